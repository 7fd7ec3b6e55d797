package io.weir.spi.connector.memory;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceReader;

import static java.util.Objects.requireNonNull;

/** A source over one {@link InMemoryData} data set. */
final class MemorySource implements Source {
    private final ConnectorContext context;
    private final InMemoryData.DataSet dataSet;

    MemorySource(ConnectorContext context, InMemoryData.DataSet dataSet) {
        this.context = requireNonNull(context, "context is null");
        this.dataSet = requireNonNull(dataSet, "dataSet is null");
    }

    @Override
    public boolean isBounded() {
        return dataSet.bounded();
    }

    @Override
    public SourceReader createReader() {
        return new MemorySourceReader(context, dataSet);
    }
}

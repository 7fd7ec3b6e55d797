package io.weir.spi.connector.memory;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.SplitOffsets;

import java.util.Map;
import java.util.Optional;

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
        return new MemorySourceReader(context, dataSet, 0);
    }

    /** Persistent queries resume at the row index they committed, or their checkpoint holds. */
    @Override
    public boolean resumes() {
        return true;
    }

    @Override
    public Optional<OffsetReading> offsetReading() {
        return Optional.of(new OffsetReading() {
            @Override
            public SplitOffsets startOffsets(String consumerId) {
                return SplitOffsets.of(Map.of(MemorySourceReader.splitName(context), dataSet.committed(consumerId)));
            }

            @Override
            public OffsetReader createReader(SplitOffsets start) {
                long from = start.get(MemorySourceReader.splitName(context)).orElse(0);
                return new MemorySourceReader(context, dataSet, from);
            }
        });
    }
}

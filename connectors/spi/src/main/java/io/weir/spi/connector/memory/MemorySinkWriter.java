package io.weir.spi.connector.memory;

import io.weir.spi.batch.Batch;
import io.weir.spi.connector.SinkWriter;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** Collects a micro-batch's rows and appends them to the data set at flush, so readers see whole batches. */
final class MemorySinkWriter implements SinkWriter {
    private final InMemoryData.DataSet dataSet;
    private final List<Object[]> pending = new ArrayList<>();

    MemorySinkWriter(InMemoryData.DataSet dataSet) {
        this.dataSet = requireNonNull(dataSet, "dataSet is null");
    }

    @Override
    public void write(Batch batch) {
        pending.addAll(batch.rows());
    }

    @Override
    public void flush() {
        if (!pending.isEmpty()) {
            dataSet.append(List.copyOf(pending));
            pending.clear();
        }
    }

    @Override
    public void close() {
        pending.clear();
    }
}

package io.weir.engine.sink;

import io.weir.spi.batch.Batch;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.PreparedCommit;
import io.weir.spi.connector.SinkCounters;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.connector.SourcePosition;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** A connector's writer whose rows count in its sink's {@link SinkCounters}, for every connector alike. */
final class CountedSinkWriter implements SinkWriter {
    private final SinkWriter writer;
    private final SinkCounters counters;

    CountedSinkWriter(SinkWriter writer, SinkCounters counters) {
        this.writer = requireNonNull(writer, "writer is null");
        this.counters = requireNonNull(counters, "counters is null");
    }

    @Override
    public void write(Batch batch) {
        writer.write(batch);
        counters.rowsWritten(batch.rowCount());
    }

    @Override
    public void flush() {
        writer.flush();
    }

    @Override
    public DeliveryGuarantee guarantee() {
        return writer.guarantee();
    }

    @Override
    public byte[] prepareCommit(long checkpointId) {
        return writer.prepareCommit(checkpointId);
    }

    @Override
    public byte[] prepareCommit(long checkpointId, List<SourcePosition> sources) {
        return writer.prepareCommit(checkpointId, sources);
    }

    @Override
    public void commit(long checkpointId) {
        writer.commit(checkpointId);
    }

    @Override
    public boolean recover(Optional<PreparedCommit> newest) {
        return writer.recover(newest);
    }

    @Override
    public void close() {
        writer.close();
    }
}

package io.weir.spi.connector.memory;

import io.weir.spi.batch.Batch;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.PreparedCommit;
import io.weir.spi.connector.SinkWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Collects a micro-batch's rows and appends them to the data set at flush, so readers see whole
 * batches; exactly once, the rows of all micro-batches since the last checkpoint are appended when
 * that checkpoint commits, together with the checkpoint's id under the writer's id (so that recovery
 * can tell whether a checkpoint's rows were appended).
 */
final class MemorySinkWriter implements SinkWriter {
    private final InMemoryData.DataSet dataSet;
    private final DeliveryGuarantee guarantee;
    private final String writerId;
    private final List<Object[]> pending = new ArrayList<>();
    private final List<Object[]> staged = new ArrayList<>();
    private List<Object[]> prepared = List.of();
    private long preparedId;

    MemorySinkWriter(InMemoryData.DataSet dataSet, DeliveryGuarantee guarantee, String writerId) {
        this.dataSet = requireNonNull(dataSet, "dataSet is null");
        this.guarantee = requireNonNull(guarantee, "guarantee is null");
        this.writerId = requireNonNull(writerId, "writerId is null");
    }

    @Override
    public void write(Batch batch) {
        pending.addAll(batch.rows());
    }

    @Override
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            staged.addAll(pending);
        } else {
            dataSet.append(List.copyOf(pending));
        }
        pending.clear();
    }

    @Override
    public DeliveryGuarantee guarantee() {
        return guarantee;
    }

    @Override
    public byte[] prepareCommit(long checkpointId) {
        flush();
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            // a checkpoint prepared again (its file could not be written) takes the rows since as well
            List<Object[]> rows = new ArrayList<>(prepared);
            rows.addAll(staged);
            staged.clear();
            prepared = rows;
            preparedId = checkpointId;
        }
        return new byte[0];
    }

    @Override
    public void commit(long checkpointId) {
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE && preparedId == checkpointId) {
            dataSet.appendCommitted(writerId, checkpointId, List.copyOf(prepared));
            prepared = List.of();
        }
    }

    @Override
    public boolean recover(Optional<PreparedCommit> newest) {
        if (guarantee == DeliveryGuarantee.AT_LEAST_ONCE || newest.isEmpty()) {
            return true;
        }
        // rows staged by the earlier run were in its memory only: nothing to discard
        return dataSet.committedCheckpoint(writerId) >= newest.get().checkpointId();
    }

    @Override
    public void close() {
        pending.clear();
        staged.clear();
        prepared = List.of();
    }
}

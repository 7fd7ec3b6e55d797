package io.weir.engine.late;

import io.weir.engine.state.StateReader;
import io.weir.engine.state.StateWriter;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.PreparedCommit;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.connector.SourcePosition;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The writers of a query that writes into two sinks (its result's and its late rows'), as one for its
 * checkpoints: each prepares, commits and recovers its own part of each checkpoint. A checkpoint's output
 * is visible when both parts are; should one writer's part be lost while the other's is visible (a Kafka
 * transaction aborted by a crash between the two commits), the query restores the checkpoint before, and
 * the visible part is written again: exactly once per sink as far as each can finish its own commit, at
 * least once otherwise. Rows go to the writers directly; this writer takes none.
 */
final class CombinedSinkWriter implements SinkWriter {
    private final List<SinkWriter> writers;

    CombinedSinkWriter(List<SinkWriter> writers) {
        this.writers = List.copyOf(writers);
    }

    @Override
    public void write(Batch batch) {
        throw new UnsupportedOperationException("each sink's rows go to its own writer");
    }

    @Override
    public void flush() {
        writers.forEach(SinkWriter::flush);
    }

    @Override
    public DeliveryGuarantee guarantee() {
        return writers.stream().map(SinkWriter::guarantee)
                .filter(guarantee -> guarantee != DeliveryGuarantee.EXACTLY_ONCE).findFirst()
                .orElse(DeliveryGuarantee.EXACTLY_ONCE);
    }

    @Override
    public byte[] prepareCommit(long checkpointId) {
        return prepareCommit(checkpointId, List.of());
    }

    @Override
    public byte[] prepareCommit(long checkpointId, List<SourcePosition> sources) {
        StateWriter out = new StateWriter(64);
        out.writeInt(writers.size());
        for (SinkWriter writer : writers) {
            byte[] part = writer.prepareCommit(checkpointId, sources);
            out.writeInt(part.length);
            out.write(part);
        }
        return out.toByteArray();
    }

    @Override
    public void commit(long checkpointId) {
        for (SinkWriter writer : writers) {
            writer.commit(checkpointId);
        }
    }

    @Override
    public boolean recover(Optional<PreparedCommit> newest) {
        requireNonNull(newest, "newest is null");
        byte[][] parts = new byte[writers.size()][];
        if (newest.isPresent()) {
            try {
                StateReader in = new StateReader(newest.get().state());
                if (in.readInt() != writers.size()) {
                    throw new IllegalArgumentException("not a combined commit");
                }
                for (int i = 0; i < writers.size(); i++) {
                    parts[i] = new byte[in.readInt()];
                    in.readFully(parts[i]);
                }
            } catch (RuntimeException e) {
                // a checkpoint written before the query had both sinks: it is the first writer's alone
                java.util.Arrays.fill(parts, null);
                parts[0] = newest.get().state();
            }
        }
        boolean visible = true;
        for (int i = 0; i < writers.size(); i++) {
            Optional<PreparedCommit> part = newest.isPresent() && parts[i] != null
                    ? Optional.of(new PreparedCommit(newest.get().checkpointId(), parts[i])) : Optional.empty();
            visible &= writers.get(i).recover(part);
        }
        return visible;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (SinkWriter writer : writers) {
            try {
                writer.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}

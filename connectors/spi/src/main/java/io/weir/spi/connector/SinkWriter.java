package io.weir.spi.connector;

import io.weir.spi.batch.Batch;

import java.util.List;
import java.util.Optional;

/**
 * Writes a persistent query's result rows to an external system. Used by one thread at a time (the
 * query's); not thread-safe.
 *
 * <p><b>Delivery.</b> The engine calls {@link #write} with each result batch of a micro-batch, then
 * {@link #flush()} once at the end of the micro-batch. A writer that may lose rows it accepted must
 * not return from {@code flush} before they are delivered (or, for an exactly-once writer, durably
 * staged).
 *
 * <p><b>Checkpoints.</b> Every so often, at the end of a micro-batch, the query takes a checkpoint:
 * <ol>
 * <li>{@link #prepareCommit(long)}: everything written since the previous checkpoint belongs to this
 *     one. The writer makes it durable but, if it delivers exactly once, not yet visible (a Kafka
 *     transaction left open, part files not yet published), and returns the bytes it needs to finish
 *     or check that later;</li>
 * <li>the engine writes the checkpoint (operator state, source positions and those bytes) durably;</li>
 * <li>{@link #commit(long)}: the output becomes visible; then the checkpoint counts as complete and
 *     the sources commit their positions.</li>
 * </ol>
 * After a crash the query restores its newest checkpoint and replays its input from the positions
 * stored in it. Before the first write, the engine calls {@link #recover(Optional)} with what the
 * newest checkpoint on disk prepared: the writer finishes that commit if it can (publishing staged
 * files again is harmless), discards output written after it that was never committed, and says
 * whether that checkpoint's output is visible now. If not (a Kafka transaction aborted when the
 * process died), the engine restores the checkpoint before it instead, whose output was committed.
 * So a writer that commits atomically per checkpoint delivers every row exactly once. The defaults
 * are those of an at-least-once writer: preparing flushes, there is nothing to commit or recover, and
 * rows written after the last checkpoint are written again on replay.
 *
 * <p><b>Errors.</b> A write, flush or commit that cannot succeed (after the connector's own retries)
 * throws {@link io.weir.spi.WeirException} with {@link io.weir.spi.ErrorCode#SINK_ERROR}; the query is
 * then marked FAILED and restarted from its last checkpoint.
 */
public interface SinkWriter extends AutoCloseable {
    /**
     * Accepts the rows of {@code batch}; its columns are the sink stream's physical columns, in
     * declared order. May buffer; may block while an internal bounded queue is full.
     */
    void write(Batch batch);

    /** Returns once every row accepted so far is delivered, or for an exactly-once writer durably staged. */
    void flush();

    /** How this writer delivers across failures. */
    default DeliveryGuarantee guarantee() {
        return DeliveryGuarantee.AT_LEAST_ONCE;
    }

    /**
     * Checkpoint step 1: makes every row written since the previous checkpoint durable as part of
     * checkpoint {@code checkpointId}, without making it visible if the writer delivers exactly once.
     *
     * <p>When the checkpoint cannot be written (a full disk), the engine calls this again later with the
     * same id, without a commit in between: the rows written since belong to that checkpoint as well.
     *
     * @return what {@link #commit} (in this process) and {@link #recover} (after a restart) need to
     *         finish or check this checkpoint's commit; stored in the checkpoint
     */
    default byte[] prepareCommit(long checkpointId) {
        flush();
        return new byte[0];
    }

    /**
     * Checkpoint step 1 with the positions of the query's replayable sources at this checkpoint: a
     * writer that can commit them atomically with its output does (the engine also records them in the
     * checkpoint and commits them to the sources afterwards, so this is for the sources' own tools).
     * Defaults to {@link #prepareCommit(long)}.
     */
    default byte[] prepareCommit(long checkpointId, List<SourcePosition> sources) {
        return prepareCommit(checkpointId);
    }

    /**
     * Checkpoint step 3, once the checkpoint is durable: makes the rows prepared for it visible. When
     * this throws, the checkpoint is not complete and the query fails and recovers.
     */
    default void commit(long checkpointId) {
    }

    /**
     * Called once, before the first write, when the query starts. Discards output of an earlier run
     * that was never committed and, if {@code newest} is present, finishes its commit where that is
     * possible.
     *
     * @param newest what the newest checkpoint on disk prepared; empty when the query has no checkpoint
     * @return whether the output of {@code newest} is visible (true when empty); false makes the engine
     *         restore the checkpoint before it
     */
    default boolean recover(Optional<PreparedCommit> newest) {
        return true;
    }

    /** Releases connections, files and threads; rows not flushed (or not committed) may be lost. Idempotent. */
    @Override
    void close();
}

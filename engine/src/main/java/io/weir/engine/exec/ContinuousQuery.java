package io.weir.engine.exec;

import io.weir.engine.checkpoint.CheckpointStatistics;

import java.time.Duration;

/**
 * A running continuous query: the engine runs its plan one micro-batch per batch interval on its
 * own thread and queues the result rows for the client. Thread-safe.
 */
public interface ContinuousQuery extends AutoCloseable {
    String id();

    /**
     * Takes up to {@code maxRows} result rows (Weir's value representation, see
     * {@link io.weir.spi.type.TypeKind}), waiting up to {@code maxWait} for the first one. Returns at
     * once with what is queued when there is something. A chunk marked finished is the last: the
     * query ended (bounded input exhausted or row limit reached), failed (the chunk carries the
     * error, after the rows produced before it) or was closed.
     */
    OutputChunk poll(int maxRows, Duration maxWait) throws InterruptedException;

    QueryState state();

    QueryStatistics statistics();

    /** The query's checkpoints so far; {@link CheckpointStatistics#NONE} for a query that does not checkpoint. */
    default CheckpointStatistics checkpoints() {
        return CheckpointStatistics.NONE;
    }

    /** Stops the query and frees its state and readers. Idempotent; a concurrent poll returns finished. */
    @Override
    void close();
}

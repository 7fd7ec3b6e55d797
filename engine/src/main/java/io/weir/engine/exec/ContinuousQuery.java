package io.weir.engine.exec;

import io.weir.engine.checkpoint.CheckpointStatistics;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

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

    /**
     * Completes once {@link #poll} would return without waiting: rows are queued or the query has
     * ended. A server answers a waiting fetch from it, without a thread blocked in {@code poll}. The
     * future may complete on the query's own thread, with the query's lock held: what depends on it
     * must run on a thread of its own (e.g. {@code whenCompleteAsync(action, executor)}). Completed
     * at once when rows are already there.
     */
    CompletableFuture<Void> outputReady();

    QueryState state();

    QueryStatistics statistics();

    /**
     * Micro-batches this run has completed; unlike {@code statistics().batches()}, without those of the
     * checkpoint it restored. More than 0 means the query runs (its sources and sink work).
     */
    default long batchesRun() {
        return statistics().batches();
    }

    /** The query's checkpoints so far; {@link CheckpointStatistics#NONE} for a query that does not checkpoint. */
    default CheckpointStatistics checkpoints() {
        return CheckpointStatistics.NONE;
    }

    /**
     * Stops the query for good, at once (STOP QUERY, a cancelled or closed result): a concurrent poll
     * returns finished; its thread is interrupted if it does not stop by itself within a moment (a call
     * blocked on a broker that is down), takes no last checkpoint, and frees its state, readers and
     * writers. Waits up to {@code timeout} for that. Idempotent.
     *
     * @return whether the query has freed everything it held; false when its thread is still busy after
     *         {@code timeout} (it frees them when the call it is blocked in returns)
     */
    default boolean stop(Duration timeout) {
        close();
        return true;
    }

    /** Whether the query has ended and freed what it held (after {@link #stop} returned false, it may not have yet). */
    default boolean isStopped() {
        return state().isDone();
    }

    /**
     * Stops the query at a micro-batch boundary, with a last checkpoint if it checkpoints (server
     * shutdown: it continues from there next time), and frees its state and readers; waits a bounded
     * time. Idempotent; a concurrent poll returns finished.
     */
    @Override
    void close();
}

package io.weir.engine.exec;

import io.weir.engine.checkpoint.CheckpointStatistics;
import io.weir.engine.state.StateMemoryBudget;

import java.time.Duration;

/**
 * Runs a query's plan one micro-batch at a time for {@link MicroBatchQuery}: on the query's thread
 * alone ({@link QueryRunner}), or as several tasks ({@link io.weir.engine.parallel.ParallelQueryRunner}).
 */
public interface MicroBatchRunner extends AutoCloseable {
    /** Restores the newest usable checkpoint, once, before the first batch. */
    void recover();

    /**
     * Runs one micro-batch; returns the number of rows read from the sources. Its operators tell {@code arrivals}
     * the arrivals of the records whose first result rows the batch produces.
     */
    long runBatch(io.weir.engine.latency.ResultArrivals arrivals);

    /** Runs one micro-batch measuring no end-to-end latency; returns the number of rows read from the sources. */
    default long runBatch() {
        return runBatch(io.weir.engine.latency.ResultArrivals.IGNORED);
    }

    /** Whether every source is finished and every window has fired. */
    boolean isFinished();

    /** Whether the next micro-batch should start at once. */
    boolean hasPendingInput();

    /** Takes a checkpoint now, if the query checkpoints; returns whether one was completed. */
    boolean checkpointNow();

    CheckpointStatistics checkpointStatistics();

    /** Counts the query's state against the server's budget. */
    void trackState(StateMemoryBudget.Account account);

    /** Drops keys of GROUP BY without a window not updated for {@code ttl}; call before the first batch. */
    void expireStateAfter(Duration ttl);

    /** Sends the late rows of the window aggregations to {@code router} besides counting them; call before the first batch. */
    void routeLateRows(io.weir.engine.late.LateRowRouter router);

    /**
     * Writes the late rows routed to {@code sink} at the end of each micro-batch, committing them with the
     * query's checkpoints (or each batch, without); closes it with the query. Call before the first batch.
     */
    void writeLateRows(io.weir.engine.late.LateRowSink sink);

    long rowsIn();

    long rowsWritten();

    long lateRows();

    long batches();

    long watermarkMillis();

    long lag();

    long stateRows();

    long stateBytes();

    /** Its operators' figures as of the last micro-batch, root first; empty before the first. */
    default java.util.List<OperatorStatistics> operatorStatistics() {
        return java.util.List.of();
    }

    /** The tasks the query runs as. */
    default int parallelism() {
        return 1;
    }

    /**
     * Forgets the positions the query's sources committed for it, once it is stopped for good and
     * closed; nothing for a query without consumer ids (a push query).
     */
    default void forgetConsumers() {
    }

    @Override
    void close();
}

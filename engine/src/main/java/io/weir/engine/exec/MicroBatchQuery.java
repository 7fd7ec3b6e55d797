package io.weir.engine.exec;

import io.weir.engine.checkpoint.CheckpointStatistics;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * A continuous query running on its own thread: one micro-batch per batch interval (at once while
 * input is pending), result rows into a bounded queue the client drains with {@link #poll}. When the
 * queue is full the query's thread waits, so a slow client slows only its own query.
 */
final class MicroBatchQuery implements ContinuousQuery {
    private static final Logger LOG = LoggerFactory.getLogger(MicroBatchQuery.class);
    private static final long CLOSE_WAIT_MILLIS = 10_000;
    private static final long BOUNDED_RETRY_NANOS = 2_000_000;

    private final String id;
    private final QueryOptions options;
    private final QueryRunner runner;
    private final Runnable onDone;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition rowsAvailable = lock.newCondition();
    private final Condition spaceAvailable = lock.newCondition();
    private final Condition wakeUp = lock.newCondition();
    private final ArrayDeque<Object[]> queue = new ArrayDeque<>();
    private final Thread thread;
    private volatile QueryState state = QueryState.RUNNING;
    private boolean producerDone;
    private boolean stopRequested;
    private WeirException failure;
    private long rowsOut;
    private volatile QueryStatistics statistics = new QueryStatistics(0, 0, 0, 0, Long.MIN_VALUE);

    /** Signals from the sink that the query is being stopped; unwinds the running batch. */
    private static final class StopRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StopRequested() {
            super("query stopped", null, false, false);
        }
    }

    MicroBatchQuery(String id, QueryOptions options, Function<Consumer<Batch>, QueryRunner> runnerFactory, Runnable onDone) {
        this.id = requireNonNull(id, "id is null");
        this.options = requireNonNull(options, "options is null");
        this.onDone = requireNonNull(onDone, "onDone is null");
        this.runner = runnerFactory.apply(this::emit);
        this.thread = new Thread(this::run, "weir-query-" + id);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public String id() {
        return id;
    }

    private void run() {
        long intervalNanos = options.batchInterval().toNanos();
        QueryState finalState = QueryState.CANCELLED;
        WeirException error = null;
        try {
            runner.recover();
            updateStatistics();
            while (!isStopRequested()) {
                long started = System.nanoTime();
                long read = runner.runBatch();
                updateStatistics();
                if (limitReached() || runner.isFinished()) {
                    finalState = QueryState.FINISHED;
                    checkpointAtEnd();
                    break;
                }
                if (!runner.hasPendingInput()) {
                    awaitNextBatch(started + intervalNanos);
                } else if (read == 0) {
                    // a bounded source waiting on I/O: poll again soon without spinning
                    awaitNextBatch(started + Math.min(intervalNanos, BOUNDED_RETRY_NANOS));
                }
            }
            if (finalState == QueryState.CANCELLED) {
                checkpointAtEnd(); // stopped between batches: continue exactly here next time
            }
        } catch (StopRequested e) {
            LOG.debug("Query {} stopped during a batch", id);
        } catch (WeirException e) {
            LOG.info("Query {} failed: {}", id, e.getMessage());
            finalState = QueryState.FAILED;
            error = e;
        } catch (RuntimeException | Error e) {
            LOG.warn("Query {} failed", id, e);
            finalState = QueryState.FAILED;
            error = new WeirException(ErrorCode.INTERNAL_ERROR, "Query " + id + " failed: " + e, e);
        } finally {
            // free the query before its client can see it ended, so that a finished query holds
            // no readers or state and is no longer listed by the engine
            try {
                runner.close();
            } finally {
                try {
                    updateStatistics();
                    onDone.run();
                } finally {
                    end(finalState, error); // no-op when close() already ended it
                }
            }
        }
    }

    /** A last checkpoint at a batch boundary when the query stops cleanly; a failure to take it loses nothing. */
    private void checkpointAtEnd() {
        try {
            runner.checkpointNow();
        } catch (RuntimeException e) {
            LOG.warn("Query {}: the checkpoint on stopping failed; it continues from its previous checkpoint: {}", id, e.toString());
        }
    }

    private void awaitNextBatch(long deadlineNanos) {
        lock.lock();
        try {
            long remaining;
            while (!stopRequested && (remaining = deadlineNanos - System.nanoTime()) > 0) {
                wakeUp.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StopRequested();
        } finally {
            lock.unlock();
        }
    }

    /** The sink of the runner: queues rows, waiting while the queue is full. */
    private void emit(Batch batch) {
        int rows = batch.rowCount();
        lock.lock();
        try {
            for (int row = 0; row < rows; row++) {
                while (queue.size() >= options.outputQueueRows() && !stopRequested) {
                    spaceAvailable.await();
                }
                if (stopRequested) {
                    throw new StopRequested();
                }
                if (options.maxRows() > 0 && rowsOut >= options.maxRows()) {
                    return;
                }
                queue.add(batch.row(row));
                rowsOut++;
                rowsAvailable.signalAll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StopRequested();
        } finally {
            lock.unlock();
        }
    }

    private boolean limitReached() {
        lock.lock();
        try {
            return options.maxRows() > 0 && rowsOut >= options.maxRows();
        } finally {
            lock.unlock();
        }
    }

    private boolean isStopRequested() {
        lock.lock();
        try {
            return stopRequested;
        } finally {
            lock.unlock();
        }
    }

    /** Moves to a final state once; later calls do nothing. */
    private void end(QueryState finalState, WeirException error) {
        lock.lock();
        try {
            if (state.isDone()) {
                return;
            }
            state = finalState;
            failure = error;
            producerDone = true;
            rowsAvailable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void updateStatistics() {
        long out;
        lock.lock();
        try {
            out = rowsOut;
        } finally {
            lock.unlock();
        }
        statistics = new QueryStatistics(runner.rowsIn(), out + runner.rowsWritten(), runner.lateRows(), runner.batches(), runner.watermarkMillis(),
                runner.lag(), runner.stateRows(), runner.stateBytes());
    }

    @Override
    public OutputChunk poll(int maxRows, Duration maxWait) throws InterruptedException {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be positive: " + maxRows);
        }
        long remaining = maxWait.toNanos();
        lock.lock();
        try {
            while (queue.isEmpty() && !producerDone && remaining > 0) {
                remaining = rowsAvailable.awaitNanos(remaining);
            }
            List<Object[]> rows = new ArrayList<>(Math.min(maxRows, queue.size()));
            while (rows.size() < maxRows && !queue.isEmpty()) {
                rows.add(queue.poll());
            }
            if (!rows.isEmpty()) {
                spaceAvailable.signalAll();
            }
            boolean finished = producerDone && queue.isEmpty();
            return new OutputChunk(rows, finished, finished ? Optional.ofNullable(failure) : Optional.empty());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CheckpointStatistics checkpoints() {
        return runner.checkpointStatistics();
    }

    @Override
    public QueryState state() {
        return state;
    }

    @Override
    public QueryStatistics statistics() {
        return statistics;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            stopRequested = true;
            if (!state.isDone()) {
                // a query that produced its row limit has finished, even when its result is closed
                // before its thread got round to noticing
                state = options.maxRows() > 0 && rowsOut >= options.maxRows() ? QueryState.FINISHED : QueryState.CANCELLED;
                producerDone = true;
            }
            queue.clear();
            rowsAvailable.signalAll();
            spaceAvailable.signalAll();
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != thread && thread.isAlive()) {
            try {
                thread.join(CLOSE_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("Query {} did not stop within {} ms; its source is still busy", id, CLOSE_WAIT_MILLIS);
            }
        }
    }

    @Override
    public String toString() {
        return "Query[" + id + ", " + state + "]";
    }

    /** Frees a query that was never started. */
    void discard() {
        runner.close();
    }
}

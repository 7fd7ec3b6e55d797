package io.weir.engine.exec;

import io.weir.engine.checkpoint.CheckpointStatistics;
import io.weir.engine.latency.LatencyPercentiles;
import io.weir.engine.latency.ResultArrivals;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
    /** How long {@link #close()} waits for a clean stop (a last checkpoint) before it interrupts, and in all. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
    /**
     * How long {@link #stop} lets the thread stop by itself before it interrupts it: long enough for a
     * thread waiting between batches, too short to wait out a call blocked on an unreachable broker.
     */
    private static final Duration STOP_GRACE = Duration.ofMillis(100);
    private static final long BOUNDED_RETRY_NANOS = 2_000_000;

    private final String id;
    private final QueryOptions options;
    private final MicroBatchRunner runner;
    private final Runnable onDone;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition rowsAvailable = lock.newCondition();
    private final Condition spaceAvailable = lock.newCondition();
    private final Condition wakeUp = lock.newCondition();
    private final ArrayDeque<Object[]> queue = new ArrayDeque<>();
    /** What {@link #outputReady} handed out while the queue was empty; completed by the next row or the end. */
    private CompletableFuture<Void> outputWaiter;
    private final Thread thread;
    private volatile QueryState state = QueryState.RUNNING;
    private boolean producerDone;
    private boolean stopRequested;
    /** Stopped for good (STOP QUERY, a closed result): no last checkpoint. */
    private boolean discarded;
    /** Whether the thread may be interrupted: while it runs batches, not while it frees its resources. */
    private boolean interruptible = true;
    private WeirException failure;
    private long rowsOut;
    /** Result and end-to-end latency of the rows handed out; guarded by the lock. */
    private final ResultLatency resultLatency = new ResultLatency(System.nanoTime());
    /** When the running micro-batch started: the boundary its rows' latency counts from. */
    private volatile long batchStartNanos = System.nanoTime();
    /** The arrivals of the records whose first results the running micro-batch produces. */
    private volatile ResultArrivals batchArrivals = new ResultArrivals();
    private volatile QueryStatistics statistics;
    private volatile long batchesRun;
    /** The time the micro-batches run so far took; written by the query's thread only. */
    private volatile long batchNanos;

    /** Signals from the sink that the query is being stopped; unwinds the running batch. */
    private static final class StopRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StopRequested() {
            super("query stopped", null, false, false);
        }
    }

    MicroBatchQuery(String id, QueryOptions options, Function<Consumer<Batch>, MicroBatchRunner> runnerFactory, Runnable onDone) {
        this.id = requireNonNull(id, "id is null");
        this.options = requireNonNull(options, "options is null");
        this.onDone = requireNonNull(onDone, "onDone is null");
        this.runner = runnerFactory.apply(this::emit);
        this.statistics = new QueryStatistics(0, 0, 0, 0, Long.MIN_VALUE, -1, 0, 0, runner.parallelism());
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
                batchStartNanos = started;
                ResultArrivals arrivals = new ResultArrivals();
                batchArrivals = arrivals;
                long writtenBefore = runner.rowsWritten();
                long read = runner.runBatch(arrivals);
                measureWritten(started, arrivals, runner.rowsWritten() - writtenBefore);
                batchNanos += System.nanoTime() - started;
                batchesRun++;
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
            if (finalState == QueryState.CANCELLED && !isDiscarded()) {
                checkpointAtEnd(); // stopped between batches: continue exactly here next time
            }
        } catch (StopRequested e) {
            LOG.debug("Query {} stopped during a batch", id);
        } catch (RuntimeException | Error e) {
            if (isStopRequested()) {
                // What a stop interrupted (a sink waiting for its broker) fails; the query was stopped, it did not fail.
                LOG.debug("Query {} stopped during a batch: {}", id, e.toString());
            } else if (e instanceof WeirException weir) {
                // Whoever owns the query reports the failure (its client, or the persistent query's retries).
                LOG.debug("Query {} failed: {}", id, e.getMessage());
                finalState = QueryState.FAILED;
                error = weir;
            } else {
                LOG.warn("Query {} failed", id, e);
                finalState = QueryState.FAILED;
                error = new WeirException(ErrorCode.INTERNAL_ERROR, "Query " + id + " failed: " + e, e);
            }
        } finally {
            lock.lock();
            try {
                interruptible = false;
            } finally {
                lock.unlock();
            }
            Thread.interrupted(); // an interrupt that came with a stop has done its job: free the resources in order
            // free the query before its client can see it ended, so that a finished query holds
            // no readers or state and is no longer listed by the engine
            try {
                runner.close();
                if (isDiscarded()) {
                    runner.forgetConsumers(); // stopped for good: a query started later under this id starts afresh
                }
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

    /** The rows a micro-batch wrote to the query's sink (INSERT INTO, a view) were handed to it by now. */
    private void measureWritten(long started, ResultArrivals arrivals, long rows) {
        if (rows <= 0) {
            return;
        }
        lock.lock();
        try {
            resultLatency.written(started, arrivals, rows, System.nanoTime());
        } finally {
            lock.unlock();
        }
    }

    /** The sink of the runner: queues rows, waiting while the queue is full. */
    private void emit(Batch batch) {
        int rows = batch.rowCount();
        ResultArrivals arrivals = batchArrivals;
        // rows derived from records read in this batch (no operator held them): their first results
        arrivals.contributed(batch.arrivalNanos(), rows);
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
                resultLatency.queued(batchStartNanos, arrivals);
                rowsOut++;
                signalRows();
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

    private boolean isDiscarded() {
        lock.lock();
        try {
            return discarded;
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
            signalRows();
        } finally {
            lock.unlock();
        }
    }

    private void updateStatistics() {
        long out;
        LatencyPercentiles latency;
        LatencyPercentiles endToEnd;
        long queued;
        lock.lock();
        try {
            out = rowsOut;
            queued = queue.size();
            long now = System.nanoTime();
            latency = resultLatency.percentiles(now);
            endToEnd = resultLatency.endToEndPercentiles(now);
        } finally {
            lock.unlock();
        }
        statistics = new QueryStatistics(runner.rowsIn(), out + runner.rowsWritten(), runner.lateRows(), runner.batches(), runner.watermarkMillis(),
                runner.lag(), runner.stateRows(), runner.stateBytes(), runner.parallelism(), latency, endToEnd, batchNanos, queued,
                runner.operatorStatistics());
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
            long now = System.nanoTime();
            while (rows.size() < maxRows && !queue.isEmpty()) {
                rows.add(queue.poll());
            }
            resultLatency.delivered(rows.size(), now);
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
    public CompletableFuture<Void> outputReady() {
        lock.lock();
        try {
            if (!queue.isEmpty() || producerDone) {
                return CompletableFuture.completedFuture(null);
            }
            if (outputWaiter == null) {
                outputWaiter = new CompletableFuture<>();
            }
            return outputWaiter;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Wakes consumers: those blocked in {@link #poll} and the one waiting on {@link #outputReady}; with
     * the lock held. The waiter is completed here rather than after the batch: the batch may wait for
     * queue space that only its consumer frees.
     */
    private void signalRows() {
        rowsAvailable.signalAll();
        CompletableFuture<Void> waiter = outputWaiter;
        if (waiter != null) {
            outputWaiter = null;
            waiter.complete(null);
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
    public long batchesRun() {
        return batchesRun;
    }

    @Override
    public boolean isStopped() {
        return state.isDone() && !thread.isAlive();
    }

    @Override
    public boolean stop(Duration timeout) {
        requestStop(true);
        return awaitThread(STOP_GRACE, timeout);
    }

    @Override
    public void close() {
        requestStop(false);
        awaitThread(CLOSE_GRACE, CLOSE_WAIT);
    }

    private void requestStop(boolean forGood) {
        lock.lock();
        try {
            stopRequested = true;
            discarded |= forGood;
            if (!state.isDone()) {
                // a query that produced its row limit has finished, even when its result is closed
                // before its thread got round to noticing
                state = options.maxRows() > 0 && rowsOut >= options.maxRows() ? QueryState.FINISHED : QueryState.CANCELLED;
                producerDone = true;
            }
            queue.clear();
            resultLatency.clear();
            signalRows();
            spaceAvailable.signalAll();
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the query's thread to end: {@code grace} for it to stop by itself, then interrupts what
     * it is blocked in (Kafka clients, sleeps and waits give up when interrupted) and waits the rest of
     * {@code timeout}. Returns whether the thread ended.
     */
    private boolean awaitThread(Duration grace, Duration timeout) {
        if (Thread.currentThread() == thread) {
            return true; // stopped from its own thread (a callback): it ends when it returns
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            thread.join(Math.max(1, Math.min(grace.toMillis(), timeout.toMillis())));
            if (thread.isAlive()) {
                interruptIfRunningBatches();
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left > 0) {
                    thread.join(left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("Query {} did not stop within {} ms: its thread is still in {}; it frees its readers and writers when"
                    + " that call returns", id, timeout.toMillis(), busyIn());
            return false;
        }
        return true;
    }

    private void interruptIfRunningBatches() {
        lock.lock();
        try {
            if (interruptible) {
                LOG.debug("Query {} did not stop by itself; interrupting it in {}", id, busyIn());
                thread.interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The call the query's thread is in, outside the JDK (for messages). */
    String busyIn() {
        for (StackTraceElement frame : thread.getStackTrace()) {
            String type = frame.getClassName();
            if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
                return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethodName();
            }
        }
        return "the JDK";
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

package io.weir.server.meta;

import io.weir.engine.exec.ContinuousQuery;
import io.weir.engine.exec.OutputChunk;
import io.weir.engine.exec.RunningQueries;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.sql.statement.ResultColumn;
import org.apache.calcite.avatica.Meta;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The never-ending result of a continuous query, fetched by long polling: a fetch waits for rows up
 * to its bound and answers with what is there as soon as there is something, so each row leaves the
 * server as soon as the engine produced it. A waiting fetch holds no thread: its answer completes
 * when the query signals rows ({@link ContinuousQuery#outputReady()}) or its wait ends, on the
 * {@code fetches} executor.
 *
 * <p>Fetches are idempotent by offset (a retried fetch gets the same frame) and answered one after
 * the other, in the order they came. Closing the result stops the query; a fetch waiting meanwhile
 * is answered at once.
 */
final class ContinuousResult implements ResultCursor {
    private static final int DEFAULT_FETCH_ROWS = 100;

    private final String id;
    private final String sql;
    private final Instant started;
    private final List<ResultColumn> columns;
    private final ContinuousQuery query;
    private final long maxRows;
    private final Duration clientTimeout;
    private final Set<String> dependencies;
    /** The user who runs it; empty on a server without users. */
    private volatile java.util.Optional<String> owner = java.util.Optional.empty();
    private final Consumer<ContinuousResult> onClose;
    private final ScheduledExecutorService fetches;

    // Guarded by "this"; close() never takes this lock. Answers are completed outside it.
    private long delivered;
    private Meta.Frame lastFrame;
    private WeirException pendingFailure;
    /** The answer to the latest fetch: the next fetch is started once it is complete. */
    private CompletableFuture<Meta.Frame> latest = CompletableFuture.completedFuture(null);
    /** The fetch waiting for rows, if any. */
    private WaitingFetch waiting;
    /** The query's failure, for the server log; written before the result closes. */
    private volatile String failureMessage;

    private final AtomicInteger fetching = new AtomicInteger();
    private volatile long lastFetchNanos = System.nanoTime();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String stopReason;

    /**
     * @param maxRows the result ends after this many rows; 0 for no limit
     * @param clientTimeout the query is stopped when its client has not fetched for this long
     * @param dependencies the identities of the catalog objects the query reads
     * @param onClose called once when the result is closed, to unregister it
     * @param fetches answers waiting fetches and times their waits; its tasks never block
     */
    ContinuousResult(String id, String sql, Instant started, List<ResultColumn> columns, ContinuousQuery query, long maxRows,
                     Duration clientTimeout, Set<String> dependencies, Consumer<ContinuousResult> onClose,
                     ScheduledExecutorService fetches) {
        this.dependencies = Set.copyOf(dependencies);
        this.id = requireNonNull(id, "id is null");
        this.sql = requireNonNull(sql, "sql is null");
        this.started = requireNonNull(started, "started is null");
        this.columns = List.copyOf(columns);
        this.query = requireNonNull(query, "query is null");
        this.maxRows = maxRows;
        this.clientTimeout = requireNonNull(clientTimeout, "clientTimeout is null");
        this.onClose = requireNonNull(onClose, "onClose is null");
        this.fetches = requireNonNull(fetches, "fetches is null");
    }

    String id() {
        return id;
    }

    @Override
    public java.util.Optional<String> queryId() {
        return java.util.Optional.of(id);
    }

    String sql() {
        return sql;
    }

    Instant started() {
        return started;
    }

    ContinuousQuery query() {
        return query;
    }

    java.util.Optional<String> owner() {
        return owner;
    }

    /** Records who runs the query, as it is registered. */
    void ownedBy(java.util.Optional<String> user) {
        owner = requireNonNull(user, "user is null");
    }

    Set<String> dependencies() {
        return dependencies;
    }

    /** Why the query failed, once it did. */
    java.util.Optional<String> failure() {
        return java.util.Optional.ofNullable(failureMessage);
    }

    /** True when the client has not fetched for longer than its timeout and no fetch is waiting. */
    boolean clientGone(long nowNanos) {
        return fetching.get() == 0 && nowNanos - lastFetchNanos > clientTimeout.toNanos();
    }

    Duration clientTimeout() {
        return clientTimeout;
    }

    /** Fetches in progress (waiting for rows). */
    int waitingFetches() {
        return fetching.get();
    }

    /** The first frame of the result: empty and not done, so that executeQuery returns at once. */
    Meta.Frame firstFrame() {
        return new Meta.Frame(0, false, List.of());
    }

    @Override
    public CompletableFuture<Meta.Frame> fetch(long offset, int maxRowCount, Duration maxWait) {
        fetching.incrementAndGet();
        lastFetchNanos = System.nanoTime();
        CompletableFuture<Meta.Frame> answer;
        synchronized (this) {
            CompletableFuture<Meta.Frame> previous = latest;
            answer = previous.isDone() ? begin(offset, maxRowCount, maxWait)
                    : previous.handle((frame, failure) -> null).thenCompose(ignored -> begin(offset, maxRowCount, maxWait));
            latest = answer;
        }
        answer.whenComplete((frame, failure) -> {
            lastFetchNanos = System.nanoTime();
            fetching.decrementAndGet();
        });
        return answer;
    }

    /** Answers at once when there is something to answer, or else registers the fetch to wait for rows. */
    private CompletableFuture<Meta.Frame> begin(long offset, int maxRowCount, Duration maxWait) {
        synchronized (this) {
            try {
                Meta.Frame frame = answer(offset, maxRowCount, maxWait.isZero() || maxWait.isNegative());
                if (frame != null) {
                    return CompletableFuture.completedFuture(frame);
                }
            } catch (WeirException e) {
                return CompletableFuture.failedFuture(e);
            }
            WaitingFetch fetch = new WaitingFetch(offset, maxRowCount);
            try {
                fetch.timeout = fetches.schedule(() -> wake(fetch, true), maxWait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // the server is stopping: answer with what there is
                try {
                    return CompletableFuture.completedFuture(answer(offset, maxRowCount, true));
                } catch (WeirException failure) {
                    return CompletableFuture.failedFuture(failure);
                }
            }
            waiting = fetch;
            awaitRows(fetch);
            return fetch.answer;
        }
    }

    /** Wakes {@code fetch} when the query has rows or ends, on the fetches executor (never on the query's thread). */
    private void awaitRows(WaitingFetch fetch) {
        query.outputReady().whenCompleteAsync((ignored, failure) -> wake(fetch, false), inline(fetches));
    }

    /**
     * Answers {@code fetch} if it still waits and there is something to answer (or its wait is over);
     * otherwise waits again.
     */
    private void wake(WaitingFetch fetch, boolean waitOver) {
        Meta.Frame frame = null;
        WeirException failure = null;
        synchronized (this) {
            if (waiting != fetch) {
                return; // answered already
            }
            try {
                frame = answer(fetch.offset, fetch.maxRowCount, waitOver);
            } catch (WeirException e) {
                failure = e;
            }
            if (frame == null && failure == null) {
                awaitRows(fetch); // woken without rows (a spurious signal): keep waiting until the time-out
                return;
            }
            waiting = null;
            fetch.timeout.cancel(false);
        }
        // outside the lock: what depends on the answer (the reply to the client) runs now, on this thread
        if (failure != null) {
            fetch.answer.completeExceptionally(failure);
        } else {
            fetch.answer.complete(frame);
        }
    }

    /** Answers a waiting fetch now, if there is one: the result was stopped or closed. */
    private void wakeWaiting() {
        WaitingFetch fetch;
        synchronized (this) {
            fetch = waiting;
        }
        if (fetch != null) {
            inline(fetches).execute(() -> wake(fetch, false));
        }
    }

    /**
     * The frame at {@code offset} if there is something to answer now; null when there is nothing yet
     * and the fetch may wait ({@code waitOver} false), an empty frame when it may not.
     */
    private Meta.Frame answer(long offset, int maxRowCount, boolean waitOver) {
        // Replay the previous frame for a retried fetch; an empty frame is not replayed, because
        // the next fetch after it asks for the same offset and must wait for new rows.
        if (lastFrame != null && offset == lastFrame.offset && (lastFrame.done || lastFrame.rows.iterator().hasNext())) {
            return lastFrame;
        }
        if (pendingFailure != null) {
            throw pendingFailure;
        }
        if (offset != delivered) {
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "Fetch at row " + offset + " of query '" + id + "' but "
                    + delivered + " rows were delivered; re-run the query");
        }
        String reason = stopReason;
        if (reason != null) {
            throw new WeirException(ErrorCode.QUERY_CANCELLED, "Query '" + id + "' was stopped: " + reason);
        }
        if (closed.get() || maxRows > 0 && delivered >= maxRows) {
            return remember(new Meta.Frame(offset, true, List.of()));
        }
        int limit = maxRowCount > 0 ? maxRowCount : DEFAULT_FETCH_ROWS;
        if (maxRows > 0) {
            limit = (int) Math.min(limit, maxRows - delivered);
        }
        OutputChunk chunk;
        try {
            chunk = query.poll(limit, Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeirException(ErrorCode.QUERY_CANCELLED, "The server is shutting down; query '" + id + "' was stopped");
        }
        if (chunk.rows().isEmpty() && !chunk.finished()) {
            return waitOver ? remember(new Meta.Frame(offset, false, List.of())) : null;
        }
        reason = stopReason;
        if (reason != null && chunk.rows().isEmpty()) {
            throw new WeirException(ErrorCode.QUERY_CANCELLED, "Query '" + id + "' was stopped: " + reason);
        }
        List<Object> rows = new ArrayList<>(chunk.rows().size());
        for (Object[] row : chunk.rows()) {
            rows.add(AvaticaTypes.toWire(columns, row));
        }
        if (chunk.failure().isPresent()) {
            // The query is over: free it now, deliver what it produced before failing, then raise the error.
            pendingFailure = chunk.failure().get();
            failureMessage = pendingFailure.getMessage();
            stopQuery(); // not close(): this fetch is the one answered
            if (rows.isEmpty()) {
                throw pendingFailure;
            }
            return remember(new Meta.Frame(offset, false, rows));
        }
        boolean done = chunk.finished() || closed.get() || maxRows > 0 && delivered + rows.size() >= maxRows;
        return remember(new Meta.Frame(offset, done, rows));
    }

    private Meta.Frame remember(Meta.Frame frame) {
        lastFrame = frame;
        for (Object ignored : frame.rows) {
            delivered++;
        }
        return frame;
    }

    /**
     * Stops the query for a reason the client is told at its next fetch (client gone, STOP QUERY); a
     * fetch waiting meanwhile fails at once. Returns whether the query freed its resources in time.
     */
    boolean stop(String reason) {
        stopReason = requireNonNull(reason, "reason is null");
        try {
            return stopQuery();
        } finally {
            wakeWaiting();
        }
    }

    /** The client closed (or cancelled) the result: the query stops; a fetch waiting meanwhile returns at once. */
    @Override
    public void close() {
        try {
            stopQuery();
        } finally {
            wakeWaiting();
        }
    }

    private boolean stopQuery() {
        if (!closed.compareAndSet(false, true)) {
            return true;
        }
        try {
            return query.stop(RunningQueries.STOP_TIMEOUT);
        } finally {
            onClose.accept(this);
        }
    }

    /** {@code executor}, or the calling thread once it has shut down (the server stopping), so that no answer is lost. */
    private static Executor inline(Executor executor) {
        return task -> {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                task.run();
            }
        };
    }

    /** A fetch waiting for rows: answered once, by the first of rows, the end of the query and its time-out. */
    private static final class WaitingFetch {
        final long offset;
        final int maxRowCount;
        final CompletableFuture<Meta.Frame> answer = new CompletableFuture<>();
        ScheduledFuture<?> timeout;

        WaitingFetch(long offset, int maxRowCount) {
            this.offset = offset;
            this.maxRowCount = maxRowCount;
        }
    }
}

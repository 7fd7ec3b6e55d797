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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The never-ending result of a continuous query, fetched by long polling: a fetch waits for rows up
 * to its bound and answers with what is there as soon as there is something, so each row leaves the
 * server as soon as the engine produced it.
 *
 * <p>Fetches are idempotent by offset (a retried fetch gets the same frame). Closing the result
 * stops the query; a fetch waiting meanwhile returns at once.
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
    private final Consumer<ContinuousResult> onClose;

    // Guarded by "this": fetches of one statement are serialised; close() never takes this lock.
    private long delivered;
    private Meta.Frame lastFrame;
    private WeirException pendingFailure;
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
     */
    ContinuousResult(String id, String sql, Instant started, List<ResultColumn> columns, ContinuousQuery query, long maxRows,
                     Duration clientTimeout, Set<String> dependencies, Consumer<ContinuousResult> onClose) {
        this.dependencies = Set.copyOf(dependencies);
        this.id = requireNonNull(id, "id is null");
        this.sql = requireNonNull(sql, "sql is null");
        this.started = requireNonNull(started, "started is null");
        this.columns = List.copyOf(columns);
        this.query = requireNonNull(query, "query is null");
        this.maxRows = maxRows;
        this.clientTimeout = requireNonNull(clientTimeout, "clientTimeout is null");
        this.onClose = requireNonNull(onClose, "onClose is null");
    }

    String id() {
        return id;
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
    public Meta.Frame fetch(long offset, int maxRowCount, Duration maxWait) {
        fetching.incrementAndGet();
        try {
            synchronized (this) {
                lastFetchNanos = System.nanoTime();
                return fetchLocked(offset, maxRowCount, maxWait);
            }
        } finally {
            lastFetchNanos = System.nanoTime();
            fetching.decrementAndGet();
        }
    }

    private Meta.Frame fetchLocked(long offset, int maxRowCount, Duration maxWait) {
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
            chunk = query.poll(limit, maxWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeirException(ErrorCode.QUERY_CANCELLED, "The server is shutting down; query '" + id + "' was stopped");
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
            close();
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
        return stopQuery();
    }

    /** The client closed (or cancelled) the result: the query stops; a fetch waiting meanwhile returns at once. */
    @Override
    public void close() {
        stopQuery();
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
}

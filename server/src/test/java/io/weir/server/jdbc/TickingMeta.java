package io.weir.server.jdbc;

import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.TypedValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only Meta with an unbounded result, as a continuous query has: {@code SELECT tick} yields
 * row n (columns TICK = n, PRODUCED_AT = the time in ms it was produced) at start + n × interval,
 * forever. {@code fetch} long-polls for the next row up to {@code maxFetchWait} and answers with a
 * frame that is never done, possibly empty.
 *
 * <p>{@code SELECT error} throws an {@link Error} from prepareAndExecute; {@code SELECT fetch error}
 * executes fine but throws an Error from its first fetch.
 */
final class TickingMeta extends MetaImpl implements AutoCloseable {
    static final String TICK = "SELECT tick";
    static final String ERROR = "SELECT error";
    static final String FETCH_ERROR = "SELECT fetch error";

    private final Duration interval;
    private final Duration maxFetchWait;
    private final AtomicInteger statementIds = new AtomicInteger();
    private final Map<Integer, Stream> streams = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    TickingMeta(Duration interval, Duration maxFetchWait) {
        // MetaImpl's connection is only used by the client-side methods this server-side Meta overrides.
        super(null);
        this.interval = interval;
        this.maxFetchWait = maxFetchWait;
    }

    boolean isClosed() {
        return closed.get();
    }

    int openStatements() {
        return streams.size();
    }

    @Override
    public void close() {
        closed.set(true);
    }

    @Override
    public StatementHandle createStatement(ConnectionHandle ch) {
        return new StatementHandle(ch.id, statementIds.incrementAndGet(), null);
    }

    @Override
    public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame,
            PrepareCallback callback) {
        if (sql.equals(ERROR)) {
            throw new StackOverflowError("simulated failure in prepareAndExecute");
        }
        if (!sql.equals(TICK) && !sql.equals(FETCH_ERROR)) {
            throw new IllegalArgumentException("TickingMeta only runs '" + TICK + "', not: " + sql);
        }
        streams.put(h.id, new Stream(System.currentTimeMillis(), sql.equals(FETCH_ERROR)));
        List<ColumnMetaData> columns = List.of(
                columnMetaData("TICK", 0, Integer.class, false),
                columnMetaData("PRODUCED_AT", 1, Long.class, false));
        Signature signature = Signature.create(columns, sql, List.of(), CursorFactory.LIST, StatementType.SELECT);
        // No first frame: every row comes through fetch.
        return new ExecuteResult(List.of(MetaResultSet.create(h.connectionId, h.id, false, signature, null)));
    }

    @Override
    @SuppressWarnings("deprecation")
    public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, PrepareCallback callback) {
        return prepareAndExecute(h, sql, maxRowCount, -1, callback);
    }

    @Override
    public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount) throws NoSuchStatementException {
        Stream stream = streams.get(h.id);
        if (stream == null) {
            throw new NoSuchStatementException(h);
        }
        if (stream.failOnFetch()) {
            throw new StackOverflowError("simulated failure in fetch");
        }
        long deadline = System.currentTimeMillis() + maxFetchWait.toMillis();
        long nextRowAt = stream.producedAt(offset + 1, interval);
        long waitUntil = Math.min(deadline, nextRowAt);
        try {
            long sleep = waitUntil - System.currentTimeMillis();
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for rows", e);
        }
        List<Object> rows = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (long n = offset + 1; rows.size() < Math.max(1, fetchMaxRowCount); n++) {
            long producedAt = stream.producedAt(n, interval);
            if (producedAt > now) {
                break;
            }
            rows.add(List.of((int) n, producedAt));
        }
        return new Frame(offset, false, rows);
    }

    @Override
    public void closeStatement(StatementHandle h) {
        streams.remove(h.id);
    }

    @Override
    public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
        throw new UnsupportedOperationException("prepare");
    }

    @Override
    public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands) {
        throw new UnsupportedOperationException("prepareAndExecuteBatch");
    }

    @Override
    public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues) {
        throw new UnsupportedOperationException("executeBatch");
    }

    @Override
    @SuppressWarnings("deprecation")
    public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, long maxRowCount) {
        throw new UnsupportedOperationException("execute");
    }

    @Override
    public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame) {
        throw new UnsupportedOperationException("execute");
    }

    @Override
    public boolean syncResults(StatementHandle sh, QueryState state, long offset) {
        return false;
    }

    @Override
    public void commit(ConnectionHandle ch) {
    }

    @Override
    public void rollback(ConnectionHandle ch) {
    }

    /** One executing {@code SELECT tick}: row n is produced at start + n × interval. */
    private record Stream(long startMillis, boolean failOnFetch) {
        long producedAt(long n, Duration interval) {
            return startMillis + n * interval.toMillis();
        }
    }
}

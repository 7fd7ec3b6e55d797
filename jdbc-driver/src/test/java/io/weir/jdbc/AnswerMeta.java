package io.weir.jdbc;

import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.TypedValue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A server-side Meta for driver tests: every query answers one row, {@code ANSWER = 42}. */
final class AnswerMeta extends MetaImpl {
    private final AtomicInteger statementIds = new AtomicInteger();

    AnswerMeta() {
        // MetaImpl's connection is only used by client-side methods, which this Meta overrides.
        super(null);
    }

    @Override
    public StatementHandle createStatement(ConnectionHandle ch) {
        return new StatementHandle(ch.id, statementIds.incrementAndGet(), null);
    }

    @Override
    public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame,
            PrepareCallback callback) {
        Signature signature = Signature.create(List.of(columnMetaData("ANSWER", 0, Integer.class, false)), sql,
                List.of(), CursorFactory.LIST, StatementType.SELECT);
        Frame frame = new Frame(0, true, List.of(List.of(42)));
        return new ExecuteResult(List.of(MetaResultSet.create(h.connectionId, h.id, false, signature, frame)));
    }

    @Override
    @SuppressWarnings("deprecation")
    public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, PrepareCallback callback) {
        return prepareAndExecute(h, sql, maxRowCount, -1, callback);
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
    public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount) {
        throw new UnsupportedOperationException("fetch");
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
    public void closeStatement(StatementHandle h) {
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
}

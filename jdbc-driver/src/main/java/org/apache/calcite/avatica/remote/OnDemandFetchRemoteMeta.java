package org.apache.calcite.avatica.remote;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;

import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.ArrayList;
import java.util.List;

/**
 * The Avatica remote client's {@code Meta}, except that result-set rows are fetched from the server
 * only when the caller asks for a row that has not arrived yet (see {@link OnDemandFetchIterator}).
 *
 * <p>Avatica's own iterator fetches the next frame before it returns the current row, so on a
 * continuous query each row would reach {@code ResultSet.next()} only once the row after it exists.
 *
 * <p>This class lives in Avatica's package because {@code RemoteMeta} is package-private; in the
 * shaded driver jar it is relocated together with Avatica.
 */
public final class OnDemandFetchRemoteMeta extends RemoteMeta {
    public OnDemandFetchRemoteMeta(AvaticaConnection connection, Service service) {
        super(connection, service);
    }

    /**
     * Asks the server whether it still has connection {@code ch}, without retries or caches (RemoteMeta
     * answers connectionSync and database properties from what it has); throws when it does not.
     */
    public void ping(ConnectionHandle ch) {
        service.apply(new Service.DatabasePropertyRequest(ch.id));
    }

    /**
     * The Avatica protocol has no request for primary keys (the stock driver answers none), so Weir's
     * driver asks the server's {@code sys.primary_keys} table, which has JDBC's columns.
     */
    @Override
    public MetaResultSet getPrimaryKeys(ConnectionHandle ch, String catalog, String schema, String table) {
        StringBuilder sql = new StringBuilder(
                "SELECT TABLE_CAT, TABLE_SCHEM, TABLE_NAME, COLUMN_NAME, KEY_SEQ, PK_NAME FROM sys.primary_keys WHERE 1 = 1");
        if (catalog != null && !catalog.isEmpty()) {
            sql.append(" AND 1 = 0"); // Weir has no catalogs
        }
        if (schema != null) {
            sql.append(" AND LOWER(TABLE_SCHEM) = LOWER(").append(literal(schema)).append(')');
        }
        if (table != null) {
            sql.append(" AND LOWER(TABLE_NAME) = LOWER(").append(literal(table)).append(')');
        }
        sql.append(" ORDER BY COLUMN_NAME");
        return query(ch, sql.toString(), "primary-key lookup");
    }

    /**
     * As {@link #getPrimaryKeys}: the Avatica protocol has no request for functions, so Weir's driver asks the
     * server's {@code sys.functions} table, which has JDBC's columns (built-in functions, then user-defined ones).
     */
    @Override
    public MetaResultSet getFunctions(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat functionNamePattern) {
        StringBuilder sql = new StringBuilder("SELECT FUNCTION_CAT, FUNCTION_SCHEM, FUNCTION_NAME, REMARKS, FUNCTION_TYPE,"
                + " SPECIFIC_NAME FROM sys.functions WHERE 1 = 1");
        if (catalog != null && !catalog.isEmpty()) {
            sql.append(" AND 1 = 0"); // Weir has no catalogs
        }
        if (schemaPattern != null && schemaPattern.s != null) {
            sql.append(" AND UPPER(FUNCTION_SCHEM) LIKE UPPER(").append(literal(schemaPattern.s)).append(") ESCAPE '\\'");
        }
        if (functionNamePattern != null && functionNamePattern.s != null) {
            sql.append(" AND UPPER(FUNCTION_NAME) LIKE UPPER(").append(literal(functionNamePattern.s)).append(") ESCAPE '\\'");
        }
        sql.append(" ORDER BY FUNCTION_SCHEM NULLS FIRST, FUNCTION_NAME, SPECIFIC_NAME");
        return query(ch, sql.toString(), "function lookup");
    }

    /** Runs a metadata query on a statement of its own. */
    private MetaResultSet query(ConnectionHandle ch, String sql, String what) {
        StatementHandle handle = createStatement(ch);
        Object monitor = new Object();
        try {
            ExecuteResult result = prepareAndExecute(handle, sql, -1, -1, new PrepareCallback() {
                @Override
                public Object getMonitor() {
                    return monitor;
                }

                @Override
                public void clear() {
                }

                @Override
                public void assign(Signature signature, Frame firstFrame, long updateCount) {
                }

                @Override
                public void execute() {
                }
            });
            return result.resultSets.get(0);
        } catch (NoSuchStatementException e) {
            throw new RuntimeException("The server lost the statement of a " + what + ": " + e.getMessage(), e);
        }
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /**
     * Avatica's, and the statement's warnings become those the server returned with the result (a
     * statement's warnings are cleared when it runs again). A new execution starts uncancelled: Avatica
     * never clears a statement's cancel flag, so after one {@code cancel()} every later result of the
     * statement would fail.
     */
    @Override
    public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame,
                                           PrepareCallback callback) throws NoSuchStatementException {
        connection.getCancelFlag(h).set(false);
        List<SQLWarning> warnings = new ArrayList<>();
        PrepareCallback capturing = new PrepareCallback() {
            @Override
            public Object getMonitor() {
                return callback.getMonitor();
            }

            @Override
            public void clear() throws SQLException {
                warnings.clear();
                callback.clear();
            }

            @Override
            public void assign(Signature signature, Frame firstFrame, long updateCount) throws SQLException {
                if (updateCount != -1) {
                    warnings.addAll(ServerWarnings.of(firstFrame));
                }
                callback.assign(signature, firstFrame, updateCount);
            }

            @Override
            public void execute() throws SQLException {
                callback.execute();
            }
        };
        ServerWarnings.replace(connection, h, List.of());
        ExecuteResult result = super.prepareAndExecute(h, sql, maxRowCount, maxRowsInFirstFrame, capturing);
        ServerWarnings.replace(connection, h, warnings);
        return result;
    }

    /**
     * Avatica's (which is not extensible: this is its code), except that the statement's warnings become
     * those the server returned with an update count, and that a new execution starts uncancelled (see
     * {@link #prepareAndExecute}).
     */
    @Override
    public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame)
            throws NoSuchStatementException {
        connection.getCancelFlag(h).set(false);
        ServerWarnings.replace(connection, h, List.of());
        try {
            return connection.invokeWithRetries(() -> {
                Service.ExecuteResponse response = service.apply(
                        new Service.ExecuteRequest(h, parameterValues, maxRowsInFirstFrame));
                if (response.missingStatement) {
                    throw new RuntimeException(new NoSuchStatementException(h));
                }
                List<MetaResultSet> results = new ArrayList<>();
                for (Service.ResultSetResponse result : response.results) {
                    if (result.updateCount != -1) {
                        ServerWarnings.replace(connection, h, ServerWarnings.of(result.firstFrame));
                        results.add(MetaResultSet.count(result.connectionId, result.statementId, result.updateCount));
                    } else {
                        Signature signature = result.signature != null ? result.signature
                                : Signature.create(List.of(), "?", List.of(), CursorFactory.ARRAY, StatementType.SELECT);
                        results.add(MetaResultSet.create(result.connectionId, result.statementId, result.ownStatement,
                                signature, result.firstFrame));
                    }
                }
                return new ExecuteResult(results);
            });
        } catch (RuntimeException e) {
            if (e.getCause() instanceof NoSuchStatementException missing) {
                throw missing;
            }
            throw e;
        }
    }

    @Override
    public Iterable<Object> createIterable(StatementHandle handle, QueryState state, Signature signature,
            List<TypedValue> parameterValues, Frame firstFrame) {
        if (firstFrame != null && firstFrame.done) {
            return firstFrame.rows;
        }
        AvaticaStatement statement = connection.statementMap.get(handle.id);
        if (statement == null) {
            // Reached from AvaticaResultSet.execute(), which declares SQLException.
            throw OnDemandFetchIterator.uncheckedThrow(new SQLException(
                    "Statement " + handle.id + " is not open on this connection", "24000"));
        }
        return () -> new OnDemandFetchIterator(this, statement, firstFrame);
    }
}

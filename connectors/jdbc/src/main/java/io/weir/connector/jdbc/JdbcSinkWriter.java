package io.weir.connector.jdbc;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.type.ConversionException;
import io.weir.spi.type.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Buffers rows and writes them with one prepared statement — an upsert by the declared primary key,
 * a plain INSERT without one — as a JDBC batch in one transaction: when
 * {@code 'sink.buffer-flush.max-rows'} rows have accumulated and at every {@link #flush()}.
 *
 * <p>Rows stay buffered until their transaction committed, so a transient failure (lost connection,
 * deadlock, serialization failure) is retried with the same rows, over a new connection when the old
 * one broke, up to {@code 'sink.max-retries'} times. Delivery is at least once: a commit whose
 * acknowledgement was lost is written again, which an upsert makes harmless.
 */
final class JdbcSinkWriter implements SinkWriter {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSinkWriter.class);

    private final ConnectorContext context;
    private final JdbcSettings settings;
    private final Backoff backoff;
    private final List<DataType.Field> schema;
    private final List<Object[]> buffer = new ArrayList<>();
    private Connection connection;
    private PreparedStatement statement;
    private String sql;
    private boolean closed;

    JdbcSinkWriter(ConnectorContext context, JdbcSettings settings, Backoff backoff) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.backoff = requireNonNull(backoff, "backoff is null");
        this.schema = context.schema();
    }

    @Override
    public void write(Batch batch) {
        checkOpen();
        for (int row = 0; row < batch.rowCount(); row++) {
            buffer.add(batch.row(row));
            if (buffer.size() >= settings.bufferFlushMaxRows()) {
                writeBuffer();
            }
        }
    }

    @Override
    public void flush() {
        checkOpen();
        writeBuffer();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(context.describe() + ": sink writer is closed");
        }
    }

    /** Writes and commits the buffered rows, retrying transient failures; empties the buffer on success. */
    private void writeBuffer() {
        if (buffer.isEmpty()) {
            return;
        }
        int attempt = 0;
        while (true) {
            try {
                executeAndCommit();
                buffer.clear();
                return;
            } catch (SQLException e) {
                SQLException cause = rootCause(e);
                boolean broken = connectionBroken(cause);
                rollbackOrDrop(broken);
                if (!isTransient(cause, broken) || attempt >= settings.maxRetries()) {
                    throw failure(cause, attempt);
                }
                attempt++;
                LOG.warn("{}: writing {} rows to table {} failed ({}); retry {} of {}{}", context.describe(), buffer.size(),
                        settings.table(), JdbcConnections.message(cause), attempt, settings.maxRetries(),
                        broken ? " over a new connection" : "");
                sleep(backoff.delay(attempt));
            } catch (ConversionException | ClassCastException e) {
                rollbackOrDrop(false);
                throw new WeirException(ErrorCode.SINK_ERROR, context.describe() + ": cannot write a row to table '"
                        + settings.table() + "': " + e.getMessage(), e);
            }
        }
    }

    private void executeAndCommit() throws SQLException {
        if (connection == null) {
            connect();
        }
        for (Object[] row : buffer) {
            for (int column = 0; column < schema.size(); column++) {
                JdbcValues.bind(statement, column + 1, schema.get(column).type(), row[column]);
            }
            statement.addBatch();
        }
        statement.executeBatch();
        connection.commit();
    }

    private void connect() throws SQLException {
        Connection opened;
        try {
            opened = JdbcConnections.open(settings, "weir-sink-" + context.objectName());
        } catch (SQLException e) {
            // a connection error the retry loop may retry: mark it as class 08
            throw e.getSQLState() == null ? new SQLRecoverableException(JdbcConnections.message(e), "08001", e) : e;
        }
        try {
            opened.setAutoCommit(false);
            if (sql == null) {
                TableColumns columns = TableColumns.resolve(context, settings, opened);
                sql = settings.dialect().insertStatement(settings.table(), columns.columns(), columns.keyColumns());
                LOG.debug("{}: writing with {}", context.describe(), sql);
            }
            statement = opened.prepareStatement(sql);
            connection = opened;
        } catch (SQLException | RuntimeException e) {
            JdbcConnections.closeQuietly(opened, e);
            throw e;
        }
    }

    /** Ends the failed transaction; drops the connection when it broke (or cannot even roll back). */
    private void rollbackOrDrop(boolean broken) {
        if (connection == null) {
            return;
        }
        if (!broken) {
            try {
                statement.clearBatch();
                connection.rollback();
                return;
            } catch (SQLException e) {
                LOG.debug("{}: rollback failed, reconnecting: {}", context.describe(), e.getMessage());
            }
        }
        dropConnection();
    }

    private void dropConnection() {
        Connection c = connection;
        PreparedStatement s = statement;
        connection = null;
        statement = null;
        JdbcConnections.closeQuietly(s, null);
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("{}: closing a broken connection failed: {}", context.describe(), e.getMessage());
            }
        }
    }

    private boolean connectionBroken(SQLException e) {
        if (connection == null || JdbcConnections.isConnectionFailure(e)) {
            return true;
        }
        try {
            return !connection.isValid(2);
        } catch (SQLException invalid) {
            return true;
        }
    }

    /**
     * Whether the same rows may succeed if tried again: a broken connection, a deadlock or
     * serialization failure (class 40), resource shortage (53), an operator intervention such as
     * a server restart (57P0x), or what the driver itself calls transient; never bad credentials.
     */
    static boolean isTransient(SQLException e, boolean connectionBroken) {
        String code = e.getSQLState();
        if (code != null && (code.startsWith("28") || code.startsWith("3D"))) {
            return false; // wrong credentials or database: trying again cannot help
        }
        if (connectionBroken || e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
            return true;
        }
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
                || state.startsWith("57P") || state.equals("HY000") && e.getErrorCode() == 1205);
    }

    /** A batch failure carries the statement's own error as its next exception. */
    private static SQLException rootCause(SQLException e) {
        if (e instanceof BatchUpdateException && e.getNextException() != null) {
            return e.getNextException();
        }
        return e;
    }

    private WeirException failure(SQLException cause, int retries) {
        String connect = connection == null && JdbcConnections.isConnectionFailure(cause)
                ? "; check that the database is running and reachable, and the options 'url', 'username' and 'password'"
                : "";
        return new WeirException(ErrorCode.SINK_ERROR, context.describe() + ": cannot write " + buffer.size()
                + " rows to table '" + settings.table() + "' in " + settings.dialect().displayName() + " at '"
                + settings.displayUrl() + "'" + (retries > 0 ? " after " + retries + " retries" : "") + ": "
                + JdbcConnections.message(cause) + connect, cause);
    }

    private void sleep(java.time.Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeirException(ErrorCode.SINK_ERROR, context.describe() + ": interrupted while retrying a write to table '"
                    + settings.table() + "'", e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        buffer.clear();
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                LOG.debug("{}: rollback on close failed: {}", context.describe(), e.getMessage());
            }
        }
        dropConnection();
    }
}

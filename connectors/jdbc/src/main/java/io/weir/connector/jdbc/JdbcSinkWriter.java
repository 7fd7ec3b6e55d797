package io.weir.connector.jdbc;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.PreparedCommit;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.type.ConversionException;
import io.weir.spi.type.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Buffers rows and sends them with one prepared statement — an upsert by the declared primary key,
 * a plain INSERT without one — as a JDBC batch when {@code 'sink.buffer-flush.max-rows'} rows have
 * accumulated and at every {@link #flush()}. When the rows are committed depends on {@code progress}:
 * <ul>
 * <li>absent: every send commits. A transient failure (lost connection, deadlock, serialization
 *     failure) is retried with the same rows, which stay buffered until committed, over a new
 *     connection when the old one broke, up to {@code 'sink.max-retries'} times. Delivery is at least
 *     once; with a key, exactly once in the final table state, as a replayed row replaces itself.</li>
 * <li>present (appends exactly once), from {@link #recover} on: one transaction holds every row
 *     sent since the last checkpoint; {@link #prepareCommit} adds the writer's progress row for the checkpoint to it and
 *     {@link #commit} commits it, so rows and progress become visible together, and {@link #recover}
 *     reads the progress row to learn whether the newest checkpoint's transaction committed. Only a
 *     failure before the transaction holds rows is retried; later the transaction is lost, and the
 *     query fails and replays from its last checkpoint. The engine calls {@code recover} before the
 *     first write of a query that takes checkpoints; a writer it never recovers commits at every
 *     send, as above, so its rows become visible without checkpoints.</li>
 * </ul>
 */
final class JdbcSinkWriter implements SinkWriter {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSinkWriter.class);

    private final ConnectorContext context;
    private final JdbcSettings settings;
    private final Backoff backoff;
    private final DeliveryGuarantee guarantee;
    private final Optional<CommitProgress> progress;
    private final List<DataType.Field> schema;
    private final List<Object[]> buffer = new ArrayList<>();
    /** Whether rows are committed at checkpoints: {@code progress} is present and the writer was recovered. */
    private boolean commitAtCheckpoints;
    private SinkConnection connection;
    private String sql;
    private boolean progressTableReady;
    /** Rows sent in the open transaction; only when committing at checkpoints. */
    private long rowsInTransaction;
    /** The checkpoint whose rows and progress row the open transaction holds, until it commits. */
    private OptionalLong prepared = OptionalLong.empty();
    /** Set when the open transaction was rolled back with rows in it: nothing may be committed any more. */
    private WeirException transactionLost;
    private boolean closed;

    /**
     * @param guarantee what {@link #guarantee()} reports
     * @param progress present when rows are committed at checkpoints, with where to record them
     */
    JdbcSinkWriter(ConnectorContext context, JdbcSettings settings, Backoff backoff, DeliveryGuarantee guarantee,
                   Optional<CommitProgress> progress) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.backoff = requireNonNull(backoff, "backoff is null");
        this.guarantee = requireNonNull(guarantee, "guarantee is null");
        this.progress = requireNonNull(progress, "progress is null");
        this.schema = context.schema();
    }

    @Override
    public DeliveryGuarantee guarantee() {
        return guarantee;
    }

    @Override
    public void write(Batch batch) {
        checkUsable();
        // rows written after a prepare whose checkpoint could not be written belong to that checkpoint, prepared again
        for (int row = 0; row < batch.rowCount(); row++) {
            buffer.add(batch.row(row));
            if (buffer.size() >= settings.bufferFlushMaxRows()) {
                send(OptionalLong.empty());
            }
        }
    }

    @Override
    public void flush() {
        checkUsable();
        send(OptionalLong.empty());
    }

    @Override
    public byte[] prepareCommit(long checkpointId) {
        if (!commitAtCheckpoints) {
            flush();
            return new byte[0];
        }
        checkUsable();
        if (prepared.isPresent() && prepared.getAsLong() != checkpointId) {
            throw new IllegalStateException(context.describe() + ": prepareCommit(" + checkpointId
                    + ") while checkpoint " + prepared.getAsLong() + " is not committed");
        }
        send(OptionalLong.of(checkpointId));
        prepared = OptionalLong.of(checkpointId);
        // Everything recovery needs is the checkpoint id, which the engine stores anyway, and the progress row.
        return new byte[0];
    }

    @Override
    public void commit(long checkpointId) {
        if (!commitAtCheckpoints) {
            return;
        }
        checkUsable();
        if (prepared.isEmpty() || prepared.getAsLong() != checkpointId) {
            throw new IllegalStateException(context.describe() + ": commit(" + checkpointId + ") without prepareCommit("
                    + checkpointId + ")");
        }
        long rows = rowsInTransaction;
        prepared = OptionalLong.empty();
        rowsInTransaction = 0;
        try {
            connection.commit();
            LOG.debug("{}: committed {} rows for checkpoint {}", context.describe(), rows, checkpointId);
        } catch (SQLException e) {
            // Whether the commit happened is unknown; recovery reads the progress row to find out.
            dropConnection();
            transactionLost = new WeirException(ErrorCode.SINK_ERROR, context.describe() + ": committing the " + rows
                    + " rows of checkpoint " + checkpointId + " to table '" + settings.table() + "' failed: "
                    + JdbcConnections.message(rootCause(e)) + ". The query restarts from its last checkpoint and finds "
                    + "out from table " + progress.get().table().name() + " whether this commit happened", e);
            throw transactionLost;
        }
    }

    @Override
    public boolean recover(Optional<PreparedCommit> newest) {
        requireNonNull(newest, "newest is null");
        checkOpen();
        if (progress.isEmpty()) {
            return true; // each flush committed; what a replay writes again is what at-least-once allows
        }
        // A writer that crashed left nothing open: the database rolled its transaction back with the connection.
        // This one starts afresh too, on a connection that first makes sure the progress table exists.
        buffer.clear();
        if (connection != null) {
            connection.rollback();
            dropConnection();
        }
        rowsInTransaction = 0;
        prepared = OptionalLong.empty();
        transactionLost = null;
        commitAtCheckpoints = true;
        CommitProgress commits = progress.get();
        OptionalLong committed = withRetries(() -> "cannot read the progress of writer '" + commits.writerId()
                + "' from table '" + commits.table().name() + "'", () -> {
                    connect();
                    return commits.table().read(connection.jdbc(), commits.writerId());
                });
        return commits.newestVisible(context.describe(), committed, newest);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(context.describe() + ": sink writer is closed");
        }
    }

    private void checkUsable() {
        checkOpen();
        if (transactionLost != null) {
            // A fresh exception, so the stack trace shows this call; the message is the first failure's.
            throw new WeirException(ErrorCode.SINK_ERROR, transactionLost.getMessage(), transactionLost);
        }
    }

    /**
     * Sends the buffered rows and, for {@code checkpoint}, the progress row in the open transaction;
     * commits unless rows are committed at checkpoints. Empties the buffer on success.
     */
    private void send(OptionalLong checkpoint) {
        if (buffer.isEmpty() && checkpoint.isEmpty()) {
            return;
        }
        withRetries(() -> "cannot write " + buffer.size() + " rows to table '" + settings.table() + "'", () -> {
            connect();
            if (!buffer.isEmpty()) {
                connection.send(buffer);
            }
            if (checkpoint.isPresent()) {
                CommitProgress commits = progress.orElseThrow();
                commits.table().record(connection.jdbc(), commits.writerId(), checkpoint.getAsLong(),
                        context.clock().millis());
            }
            if (commitAtCheckpoints) {
                rowsInTransaction += buffer.size();
            } else {
                connection.commit();
            }
            buffer.clear();
            return null;
        });
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work}, retrying transient failures while the open transaction holds no rows that a
     * rollback would lose; after a failure the transaction is rolled back (the connection dropped
     * when it broke).
     *
     * @param what the start of the error message, e.g. {@code cannot write 3 rows to table 't'}
     */
    private <T> T withRetries(Supplier<String> what, SqlWork<T> work) {
        int attempt = 0;
        while (true) {
            try {
                return work.run();
            } catch (SQLException e) {
                SQLException cause = rootCause(e);
                boolean connecting = connection == null;
                boolean broken = connecting || connection.isBroken(cause);
                long lostRows = rowsInTransaction;
                rollbackOrDrop(broken);
                if (lostRows > 0) {
                    throw lostTransaction(what.get(), JdbcConnections.message(cause), lostRows, e);
                }
                if (!isTransient(cause, broken) || attempt >= settings.maxRetries()) {
                    throw failure(what.get(), cause, attempt, connecting);
                }
                attempt++;
                LOG.warn("{}: {} ({}); retry {} of {}{}", context.describe(), what.get(), JdbcConnections.message(cause),
                        attempt, settings.maxRetries(), broken ? " over a new connection" : "");
                sleep(backoff.delay(attempt));
            } catch (ConversionException | ClassCastException e) {
                long lostRows = rowsInTransaction;
                rollbackOrDrop(false);
                String problem = "cannot write a row to table '" + settings.table() + "': " + e.getMessage();
                if (lostRows > 0) {
                    throw lostTransaction(problem, "", lostRows, e);
                }
                throw new WeirException(ErrorCode.SINK_ERROR, context.describe() + ": " + problem, e);
            }
        }
    }

    /** Marks the writer unusable: the rolled-back transaction held rows of the coming checkpoint. */
    private WeirException lostTransaction(String what, String reason, long rows, Exception cause) {
        transactionLost = new WeirException(ErrorCode.SINK_ERROR, context.describe() + ": " + what
                + (reason.isEmpty() ? "" : ": " + reason) + ". The transaction with the " + rows + " rows written since "
                + "the last checkpoint was rolled back; the query fails and restarts from its last checkpoint, which "
                + "writes them again", cause);
        return transactionLost;
    }

    /** Opens the connection unless it is open; creates the progress table first when needed. */
    private void connect() throws SQLException {
        if (connection != null) {
            return;
        }
        Connection opened;
        try {
            opened = JdbcConnections.open(settings, "weir-sink-" + context.objectName());
        } catch (SQLException e) {
            // a connection error the retry loop may retry: mark it as class 08
            throw e.getSQLState() == null ? new SQLRecoverableException(JdbcConnections.message(e), "08001", e) : e;
        }
        try {
            opened.setAutoCommit(false);
            if (commitAtCheckpoints && !progressTableReady) {
                ensureProgressTable(opened, progress.get().table());
                progressTableReady = true;
            }
            if (sql == null) {
                TableColumns columns = TableColumns.resolve(context, settings, opened);
                sql = settings.dialect().insertStatement(settings.table(), columns.columns(), columns.keyColumns());
                LOG.debug("{}: writing with {}", context.describe(), sql);
            }
            connection = SinkConnection.prepare(opened, sql, schema);
        } catch (SQLException | RuntimeException e) {
            JdbcConnections.closeQuietly(opened, e);
            throw e;
        }
    }

    /** Creates the progress table if missing; only transient failures stay SQLExceptions, to be retried. */
    private void ensureProgressTable(Connection opened, ProgressTable table) throws SQLException {
        try {
            table.ensureExists(opened);
        } catch (SQLException e) {
            SQLException cause = rootCause(e);
            if (isTransient(cause, JdbcConnections.isConnectionFailure(cause))) {
                throw e;
            }
            throw new WeirException(ErrorCode.SINK_ERROR, context.describe() + ": cannot create the sink progress table "
                    + table.name() + " in " + settings.dialect().displayName() + " at '" + settings.displayUrl() + "': "
                    + JdbcConnections.message(cause) + ". Exactly-once appends record their commits there: create it "
                    + "with '" + table.createStatement() + "', name another table with 'sink.progress-table', or set "
                    + "'delivery.guarantee' = 'at-least-once'", e);
        }
    }

    /** Ends the failed transaction; drops the connection when it broke (or cannot even roll back). */
    private void rollbackOrDrop(boolean broken) {
        rowsInTransaction = 0;
        prepared = OptionalLong.empty();
        if (connection == null) {
            return;
        }
        if (broken || !connection.rollback()) {
            dropConnection();
        }
    }

    private void dropConnection() {
        SinkConnection dropped = connection;
        connection = null;
        if (dropped != null) {
            dropped.close();
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

    private WeirException failure(String what, SQLException cause, int retries, boolean connecting) {
        String connect = connecting && JdbcConnections.isConnectionFailure(cause)
                ? "; check that the database is running and reachable, and the options 'url', 'username' and 'password'"
                : "";
        return new WeirException(ErrorCode.SINK_ERROR, context.describe() + ": " + what + " in "
                + settings.dialect().displayName() + " at '" + settings.displayUrl() + "'"
                + (retries > 0 ? " after " + retries + " retries" : "") + ": " + JdbcConnections.message(cause) + connect,
                cause);
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
            connection.rollback();
        }
        dropConnection();
    }
}

package io.weir.connector.jdbc;

import io.weir.spi.type.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * The table in which exactly-once append sinks record, one row per writer id, the last checkpoint
 * whose rows they committed. The row is written in the same database transaction as those rows, so
 * after a crash it tells whether that transaction committed. Shared by every sink writing into the
 * same database with the same {@code 'sink.progress-table'}.
 */
final class ProgressTable {
    static final String DEFAULT_NAME = "weir_sink_progress";
    /** Writer ids are {@code <query id>.<sink>}, short; a bounded key stays indexable in MySQL (utf8mb4). */
    static final int MAX_WRITER_ID_LENGTH = 255;

    private static final Logger LOG = LoggerFactory.getLogger(ProgressTable.class);
    private static final String WRITER_ID = "writer_id";
    private static final String CHECKPOINT_ID = "checkpoint_id";
    private static final String COMMITTED_AT = "committed_at";

    private final Dialect dialect;
    private final String table;

    /** @param table the name as it goes into SQL */
    ProgressTable(Dialect dialect, String table) {
        this.dialect = requireNonNull(dialect, "dialect is null");
        this.table = requireNonNull(table, "table is null");
    }

    String name() {
        return table;
    }

    String createStatement() {
        return "CREATE TABLE IF NOT EXISTS " + table + " (" + dialect.quote(WRITER_ID) + " VARCHAR("
                + MAX_WRITER_ID_LENGTH + ") NOT NULL PRIMARY KEY, " + dialect.quote(CHECKPOINT_ID) + " BIGINT NOT NULL, "
                + dialect.quote(COMMITTED_AT) + " " + dialect.millisTimestampType() + " NOT NULL)";
    }

    /** Inserts or replaces a writer's row: the dialect's upsert by writer id. */
    String recordStatement() {
        return dialect.insertStatement(table, List.of(WRITER_ID, CHECKPOINT_ID, COMMITTED_AT), List.of(WRITER_ID));
    }

    String readStatement() {
        return "SELECT " + dialect.quote(CHECKPOINT_ID) + " FROM " + table + " WHERE " + dialect.quote(WRITER_ID) + " = ?";
    }

    /**
     * Creates the table unless it exists. Call with no transaction open: it commits (MySQL commits DDL
     * implicitly anyway) and rolls back.
     */
    void ensureExists(Connection connection) throws SQLException {
        // Looking first, rather than only CREATE ... IF NOT EXISTS, works for a user who may not create tables
        // but was given the table by a DBA: PostgreSQL checks the privilege before it checks existence.
        if (exists(connection)) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(createStatement());
            connection.commit();
            LOG.info("Created the sink progress table {}", table);
        } catch (SQLException e) {
            connection.rollback();
            // Another writer may have created it at the same moment (PostgreSQL then reports a unique violation).
            if (!exists(connection)) {
                throw e;
            }
        }
    }

    private boolean exists(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet ignored = statement.executeQuery("SELECT " + dialect.quote(CHECKPOINT_ID) + " FROM " + table
                     + " WHERE 1 = 0")) {
            connection.rollback();
            return true;
        } catch (SQLException e) {
            connection.rollback();
            if (TableColumns.isUnknownTable(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Upserts the writer's row in the open transaction, without committing. */
    void record(Connection connection, String writerId, long checkpointId, long epochMillis) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(recordStatement())) {
            statement.setString(1, writerId);
            statement.setLong(2, checkpointId);
            JdbcValues.bind(statement, 3, DataType.timestamp(3), epochMillis);
            statement.executeUpdate();
        }
    }

    /** The checkpoint id committed for the writer, if it has a row; ends the reading transaction. */
    OptionalLong read(Connection connection, String writerId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(readStatement())) {
            statement.setString(1, writerId);
            try (ResultSet result = statement.executeQuery()) {
                OptionalLong committed = result.next() ? OptionalLong.of(result.getLong(1)) : OptionalLong.empty();
                connection.rollback();
                return committed;
            }
        }
    }
}

package io.weir.connector.jdbc;

import io.weir.spi.type.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A sink's connection, autocommit off, with its row statement prepared. Rows sent stay in the open
 * transaction until {@link #commit()}.
 */
final class SinkConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SinkConnection.class);

    private final Connection connection;
    private final PreparedStatement rows;
    private final List<DataType.Field> schema;

    private SinkConnection(Connection connection, PreparedStatement rows, List<DataType.Field> schema) {
        this.connection = connection;
        this.rows = rows;
        this.schema = schema;
    }

    /** Prepares {@code sql}, whose parameters are the columns of {@code schema}, on {@code connection}. */
    static SinkConnection prepare(Connection connection, String sql, List<DataType.Field> schema) throws SQLException {
        requireNonNull(connection, "connection is null");
        return new SinkConnection(connection, connection.prepareStatement(requireNonNull(sql, "sql is null")),
                List.copyOf(requireNonNull(schema, "schema is null")));
    }

    Connection jdbc() {
        return connection;
    }

    /** Sends {@code buffer} as one JDBC batch in the open transaction. */
    void send(List<Object[]> buffer) throws SQLException {
        for (Object[] row : buffer) {
            for (int column = 0; column < schema.size(); column++) {
                JdbcValues.bind(rows, column + 1, schema.get(column).type(), row[column]);
            }
            rows.addBatch();
        }
        rows.executeBatch();
    }

    void commit() throws SQLException {
        connection.commit();
    }

    /** Rolls the open transaction back; false when that failed and the connection should be dropped. */
    boolean rollback() {
        try {
            rows.clearBatch();
            connection.rollback();
            return true;
        } catch (SQLException e) {
            LOG.debug("Rollback failed: {}", e.getMessage());
            return false;
        }
    }

    /** Whether {@code failure} left the connection unusable. */
    boolean isBroken(SQLException failure) {
        if (JdbcConnections.isConnectionFailure(failure)) {
            return true;
        }
        try {
            return !connection.isValid(2);
        } catch (SQLException invalid) {
            return true;
        }
    }

    /** Closes statement and connection; the database rolls back a transaction still open. */
    @Override
    public void close() {
        JdbcConnections.closeQuietly(rows, null);
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing a sink connection failed: {}", e.getMessage());
        }
    }
}

package io.weir.connector.jdbc;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Opens connections the way every part of the connector needs them: timeouts set, session in UTC. */
final class JdbcConnections {
    private JdbcConnections() {
    }

    /**
     * A new connection whose session time zone is UTC.
     *
     * @param applicationName how the session shows in the database's list of connections
     */
    static Connection open(JdbcSettings settings, String applicationName) throws SQLException {
        Connection connection = DriverManager.getConnection(settings.dialect().driverUrl(settings.url()),
                settings.connectionProperties(applicationName));
        try {
            settings.dialect().prepareSession(connection);
            return connection;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection, e);
            throw e;
        }
    }

    /** An error for a connection that could not be made, saying what to check. */
    static WeirException connectionError(String describe, JdbcSettings settings, SQLException e, ErrorCode code) {
        return new WeirException(code, describe + ": cannot connect to " + settings.dialect().displayName() + " at '"
                + settings.displayUrl() + "'" + settings.username().map(u -> " as user '" + u + "'").orElse("") + ": "
                + message(e) + ". Check that the database is running and reachable from the Weir server, and the options "
                + "'url', 'username' and 'password'", e);
    }

    /** The exception's message with its SQLSTATE, which is what DBAs look up. */
    static String message(SQLException e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        return e.getSQLState() == null ? text : text + " (SQLSTATE " + e.getSQLState() + ")";
    }

    /** Whether the failure happened while connecting (class 08: connection exception) rather than in a statement. */
    static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || e instanceof java.sql.SQLNonTransientConnectionException
                || e instanceof java.sql.SQLTransientConnectionException;
    }

    static void closeQuietly(AutoCloseable closeable, Throwable failure) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }
}

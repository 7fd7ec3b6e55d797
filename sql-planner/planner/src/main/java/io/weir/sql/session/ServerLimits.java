package io.weir.sql.session;

/**
 * What one user, and one statement, may take of a server, so that no client can starve the others:
 * statements longer than {@link #maxStatementLength} characters are refused before parsing (SQLSTATE 54000),
 * and each user (all clients together on a server without users) may hold at most
 * {@link #maxConnectionsPerUser} connections (53300), {@link #maxPushQueriesPerUser} running push queries
 * and {@link #maxPersistentQueriesPerUser} persistent queries (53400).
 */
public record ServerLimits(int maxStatementLength, int maxConnectionsPerUser, int maxPushQueriesPerUser,
                           int maxPersistentQueriesPerUser) {
    /** The server's defaults (see the server options of the same names). */
    public static final ServerLimits DEFAULTS = new ServerLimits(1 << 20, 200, 100, 100);

    public ServerLimits {
        if (maxStatementLength < 1 || maxConnectionsPerUser < 1 || maxPushQueriesPerUser < 1 || maxPersistentQueriesPerUser < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}

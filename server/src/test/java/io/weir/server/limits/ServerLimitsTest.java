package io.weir.server.limits;

import io.weir.server.config.Secret;
import io.weir.server.config.ServerOptions;
import io.weir.server.testing.RunningServer;
import io.weir.sql.session.ServerLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each limit reached over a real server is a clear SQLException naming the limit and its value, per user
 * (another user is not affected), and frees up when the user lets go of what it held.
 */
class ServerLimitsTest {
    @TempDir
    Path dataDir;
    @TempDir
    Path files;

    private static final String ADMIN = "admin-pass-1";

    private static String url(RunningServer server, String user, String password) {
        return server.jdbcUrl() + "?user=" + user + "&password=" + password;
    }

    private static void assertRefused(ThrowingCall call, String sqlState, String setting, int limit) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(sqlState))
                .hasMessageContaining(setting).hasMessageContaining(Integer.toString(limit));
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void theDefaultsAreTheRecordedSettings() {
        assertThat(ServerLimits.DEFAULTS).isEqualTo(new ServerLimits(ServerOptions.MAX_STATEMENT_LENGTH.defaultValue(),
                ServerOptions.MAX_CONNECTIONS_PER_USER.defaultValue(), ServerOptions.MAX_PUSH_QUERIES_PER_USER.defaultValue(),
                ServerOptions.MAX_PERSISTENT_QUERIES_PER_USER.defaultValue()));
    }

    @Test
    void connectionsAndQueriesAreLimitedPerUser() throws Exception {
        try (RunningServer server = RunningServer.start(dataDir, builder -> builder.adminPassword(Optional.of(new Secret(ADMIN)))
                .maxConnectionsPerUser(3).maxPushQueriesPerUser(2).maxPersistentQueriesPerUser(1));
             Connection admin = DriverManager.getConnection(url(server, "admin", ADMIN));
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE USER alice WITH PASSWORD 'alice-pass-1'");
            statement.execute("CREATE STREAM ticks (n BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '5')");
            statement.execute("CREATE STREAM out_ticks (n BIGINT) WITH ('connector' = 'file', 'path' = '" + files.resolve("out") + "')");
            statement.execute("GRANT SELECT ON STREAM ticks TO alice");

            // connections: alice's third is her last; admin (one of three so far) is not affected
            List<Connection> alice = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    alice.add(DriverManager.getConnection(url(server, "alice", "alice-pass-1")));
                    alice.get(i).createStatement().close(); // the connection opens on the server at its first request
                }
                assertRefused(() -> {
                    try (Connection fourth = DriverManager.getConnection(url(server, "alice", "alice-pass-1"))) {
                        fourth.createStatement().close();
                    }
                }, "53300", "limits.connections-per-user", 3);
                try (Connection another = DriverManager.getConnection(url(server, "admin", ADMIN))) {
                    another.createStatement().close();
                }

                // push queries: two running; a third refused; closing one lets the next start
                Statement first = alice.get(0).createStatement();
                ResultSet one = first.executeQuery("SELECT STREAM n FROM ticks");
                Statement second = alice.get(1).createStatement();
                ResultSet two = second.executeQuery("SELECT STREAM n FROM ticks");
                assertRefused(() -> alice.get(2).createStatement().executeQuery("SELECT STREAM n FROM ticks"),
                        "53400", "limits.push-queries-per-user", 2);
                try (Statement adminPush = admin.createStatement(); ResultSet adminRows = adminPush.executeQuery("SELECT STREAM n FROM ticks")) {
                    assertThat(adminRows.next()).isTrue();
                }
                one.close();
                first.close();
                org.awaitility.Awaitility.await().until(() -> queriesOf(statement, "alice") < 2);
                try (Statement third = alice.get(2).createStatement(); ResultSet rows = third.executeQuery("SELECT STREAM n FROM ticks")) {
                    assertThat(rows.next()).isTrue();
                }
                two.close();
                second.close();
            } finally {
                for (Connection connection : alice) {
                    connection.close();
                }
            }

            // persistent queries: one
            statement.execute("INSERT INTO out_ticks SELECT STREAM n FROM ticks");
            assertRefused(() -> statement.execute("INSERT INTO out_ticks SELECT STREAM n + 1 FROM ticks"),
                    "53400", "limits.persistent-queries-per-user", 1);
        }
    }

    private static long queriesOf(Statement statement, String owner) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM sys.queries WHERE owner = '" + owner + "' AND ended IS NULL")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void aStatementLongerThanTheLimitIsRefusedBeforeParsing() throws Exception {
        try (RunningServer server = RunningServer.start(dataDir, builder -> builder.maxStatementLength(2048));
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            String longer = "SELECT 1 AS x" + " ".repeat(2048);
            assertRefused(() -> statement.executeQuery(longer), "54000", "server.max-statement-length", 2048);
            try (ResultSet rows = statement.executeQuery("SELECT 1 AS x" + " ".repeat(1000))) {
                assertThat(rows.next()).isTrue();
            }
        }
    }

    @Test
    void connectionsCountOverBothProtocols() throws Exception {
        try (RunningServer server = RunningServer.start(dataDir, builder -> builder.adminPassword(Optional.of(new Secret(ADMIN)))
                .pgPort(io.weir.server.config.ServerConfig.FREE_PORT).maxConnectionsPerUser(2));
             Connection admin = DriverManager.getConnection(url(server, "admin", ADMIN));
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE USER alice WITH PASSWORD 'alice-pass-1'");
            java.util.Properties pg = new java.util.Properties();
            pg.setProperty("user", "alice");
            pg.setProperty("password", "alice-pass-1");
            try (Connection overJdbc = DriverManager.getConnection(url(server, "alice", "alice-pass-1"));
                 Connection overPostgres = DriverManager.getConnection(server.pgUrl(), pg)) {
                overJdbc.createStatement().close();
                try (Statement ping = overPostgres.createStatement(); ResultSet one = ping.executeQuery("SELECT 1")) {
                    assertThat(one.next()).isTrue();
                }
                // two held, one over JDBC and one over PostgreSQL: a third is refused on either
                assertRefused(() -> DriverManager.getConnection(server.pgUrl(), pg).close(), "53300", "limits.connections-per-user", 2);
                assertRefused(() -> {
                    try (Connection third = DriverManager.getConnection(url(server, "alice", "alice-pass-1"))) {
                        third.createStatement().close();
                    }
                }, "53300", "limits.connections-per-user", 2);
            }
        }
    }
}

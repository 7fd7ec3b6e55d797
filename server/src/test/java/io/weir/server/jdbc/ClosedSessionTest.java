package io.weir.server.jdbc;

import io.weir.server.testing.RunningServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * A connection the server closed after its idle time-out, as Weir's driver reports it: {@code isValid}
 * is false (a pool replaces the connection) and every call fails with an SQLException of class 08
 * saying why, never with an unchecked exception or SQLSTATE 00000.
 */
@Timeout(60)
class ClosedSessionTest {
    @TempDir
    Path dataDir;
    private RunningServer server;

    @BeforeEach
    void start() throws IOException {
        server = RunningServer.start(dataDir, settings -> settings.sessionIdleTimeout(Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aConnectionClosedForIdlenessIsInvalidAndFailsWithClass08() throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl())) {
            assertThat(connection.isValid(5)).isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> server.openConnections() == 0);

            assertThat(connection.isValid(5)).isFalse();

            SQLException createStatement = catchThrowableOfType(SQLException.class, connection::createStatement);
            assertClosedForIdleness(createStatement);
            SQLException metaData = catchThrowableOfType(SQLException.class, () -> connection.getMetaData().getTables(null, null, "%", null));
            assertClosedForIdleness(metaData);
        }
        // a new connection works
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT 1 AS one_row")) {
            assertThat(rows.next()).isTrue();
        }
    }

    @Test
    void aStatementOfAClosedConnectionFailsWithClass08() throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> server.openConnections() == 0);

            assertClosedForIdleness(catchThrowableOfType(SQLException.class, () -> statement.executeQuery("SELECT 1 AS x")));
        }
    }

    private static void assertClosedForIdleness(SQLException error) {
        assertThat((Object) error).isNotNull();
        assertThat(error.getSQLState()).isEqualTo("08003");
        assertThat(error.getMessage()).contains("is not open on this server").contains("server.session-idle-timeout");
    }
}

package io.weir.server.meta;

import io.weir.spi.ErrorCode;
import io.weir.server.testing.RunningServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Work on a statement ends with its client: over a real server, a plain query that would run for
 * hours (a count over a trillion generated rows) is stopped by 'statement.timeout', by the connection
 * closing and by {@code Statement.cancel()} of Weir's driver, each with SQLSTATE 57014 and a message
 * saying why; the server is then planning or running nothing. The idle-session sweep leaves a session
 * alone while a statement of it is at work (its client is waiting for it, not idle).
 */
class StatementCancelTest {
    private static final String ENDLESS = "CREATE STREAM endless (n BIGINT) WITH ('connector' = 'datagen',"
            + " 'number-of-rows' = '1000000000000', 'rows-per-second' = '0')";
    private static final String COUNT = "SELECT COUNT(*) FROM endless";
    /** Far beyond what a cancel needs (a round trip, the next row read); the query itself would take hours. */
    private static final Duration STOPPED = Duration.ofSeconds(30);

    @TempDir
    Path temp;
    private RunningServer server;
    private final ExecutorService client = Executors.newCachedThreadPool();

    @AfterEach
    void close() {
        client.shutdownNow();
        if (server != null) {
            server.close();
        }
    }

    private Connection start(UnaryOperator<io.weir.server.config.ServerConfig.Builder> settings) throws Exception {
        server = RunningServer.start(temp.resolve("data"), settings);
        Connection connection = DriverManager.getConnection(server.jdbcUrl());
        try (Statement statement = connection.createStatement()) {
            statement.execute(ENDLESS);
        }
        return connection;
    }

    @Test
    void aPlainQueryPastItsSessionsStatementTimeoutIsCancelledNamingTheLimit() throws Exception {
        try (Connection connection = start(builder -> builder.requestThreads(1));
             Statement statement = connection.createStatement()) {
            statement.execute("SET 'statement.timeout' = '1 s'");

            assertThatThrownBy(() -> statement.executeQuery(COUNT))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("57014");
                        assertThat(e.getErrorCode()).isEqualTo(ErrorCode.STATEMENT_TIMEOUT.vendorCode());
                        assertThat(e.getMessage()).contains("'statement.timeout' (1 s)").contains("SET 'statement.timeout'");
                    });
            assertThat(server.executingStatements()).isZero();
            // the one request thread is free: the next statement runs
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM sys.queries")) {
                assertThat(rows.next()).isTrue();
            }
        }
    }

    @Test
    void theServersDefaultTimeoutAppliesAndZeroMeansNoLimit() throws Exception {
        try (Connection connection = start(builder -> builder.statementTimeout(Duration.ofMillis(500)));
             Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery(COUNT))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getMessage()).contains("(500 ms)"));

            statement.execute("SET 'statement.timeout' = '0 s'");
            Future<?> unlimited = client.submit(() -> statement.executeQuery(COUNT));
            await().atMost(STOPPED).until(() -> server.executingStatements() == 1);
            statement.cancel();
            assertThat(failure(unlimited).getErrorCode()).isEqualTo(ErrorCode.STATEMENT_CANCELLED.vendorCode());
        }
    }

    @Test
    void planningPastTheTimeoutIsCancelled() throws Exception {
        StringBuilder wide = new StringBuilder("SELECT 0 AS c0");
        for (int i = 1; i < 1600; i++) {
            wide.append(", ").append(i).append(" AS c").append(i);
        }
        try (Connection connection = start(UnaryOperator.identity()); Statement statement = connection.createStatement()) {
            // no rows to read: only planning 1,600 columns, which takes seconds, can run past 10 ms
            statement.execute("SET 'statement.timeout' = '10 ms'");

            assertThatThrownBy(() -> statement.executeQuery(wide.toString()))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode())
                            .isEqualTo(ErrorCode.STATEMENT_TIMEOUT.vendorCode()));
            assertThat(server.executingStatements()).isZero();
        }
    }

    @Test
    void closingTheConnectionCancelsWhatItsStatementsRun() throws Exception {
        Connection connection = start(UnaryOperator.identity());
        Statement statement = connection.createStatement();
        Future<?> running = client.submit(() -> statement.executeQuery(COUNT));
        await().atMost(STOPPED).until(() -> server.executingStatements() == 1);

        connection.close();

        SQLException failure = failure(running);
        assertThat(failure.getSQLState()).isEqualTo("57014");
        assertThat(failure.getMessage()).contains("its connection was closed");
        await().atMost(STOPPED).until(() -> server.executingStatements() == 0);
    }

    @Test
    void aStatementAtWorkKeepsItsSessionFromTheIdleSweepAndItsTimeoutStillEndsIt() throws Exception {
        try (Connection connection = start(builder -> builder.sessionIdleTimeout(Duration.ofSeconds(1)));
             Statement statement = connection.createStatement()) {
            // the client waits for its statement: it is not idle, however long the statement plans or runs
            statement.execute("SET 'statement.timeout' = '4 s'");
            Future<?> running = client.submit(() -> statement.executeQuery(COUNT));

            SQLException failure = failure(running);
            assertThat(failure.getSQLState()).isEqualTo("57014");
            assertThat(failure.getErrorCode()).isEqualTo(ErrorCode.STATEMENT_TIMEOUT.vendorCode());
            assertThat(failure.getMessage()).contains("'statement.timeout' (4 s)");
            assertThat(server.executingStatements()).isZero();
            // the session was kept: its setting is still there
            try (ResultSet settings = statement.executeQuery("SET")) {
                boolean kept = false;
                while (settings.next()) {
                    kept |= settings.getString(1).equals("statement.timeout") && settings.getString(2).contains("4");
                }
                assertThat(kept).as("the session's SET survived the statement").isTrue();
            }
        }
    }

    @Test
    void theIdleSweepClosesASessionWithoutRequestsAndWork() throws Exception {
        try (Connection connection = start(builder -> builder.sessionIdleTimeout(Duration.ofSeconds(1)))) {
            await().atMost(STOPPED).until(() -> server.openConnections() == 0);
            assertThat(connection.isValid(5)).isFalse();
        }
    }

    @Test
    void weirDriversCancelStopsAQueryStillRunningAndTheStatementStaysUsable() throws Exception {
        try (Connection connection = start(UnaryOperator.identity()); Statement statement = connection.createStatement()) {
            Future<?> running = client.submit(() -> statement.executeQuery(COUNT));
            await().atMost(STOPPED).until(() -> server.executingStatements() == 1);

            statement.cancel();

            SQLException failure = failure(running);
            assertThat(failure.getSQLState()).isEqualTo("57014");
            assertThat(failure.getErrorCode()).isEqualTo(ErrorCode.STATEMENT_CANCELLED.vendorCode());
            assertThat(failure.getMessage()).contains("cancelled");
            assertThat(server.executingStatements()).isZero();
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM sys.queries")) {
                assertThat(rows.next()).isTrue();
            }
        }
    }

    @Test
    void weirDriversCancelStopsAPreparedStatementStillRunning() throws Exception {
        try (Connection connection = start(UnaryOperator.identity());
             java.sql.PreparedStatement statement = connection.prepareStatement(COUNT)) {
            Future<?> running = client.submit(() -> statement.executeQuery());
            await().atMost(STOPPED).until(() -> server.executingStatements() == 1);

            statement.cancel();

            assertThat(failure(running).getErrorCode()).isEqualTo(ErrorCode.STATEMENT_CANCELLED.vendorCode());
            assertThat(server.executingStatements()).isZero();
        }
    }

    /** The SQLException the call ended with, once it has ended. */
    private static SQLException failure(Future<?> call) throws InterruptedException, java.util.concurrent.TimeoutException {
        try {
            call.get(STOPPED.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(SQLException.class);
            return (SQLException) e.getCause();
        }
        throw new AssertionError("the call succeeded");
    }
}

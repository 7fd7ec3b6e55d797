package io.weir.server.jdbc;

import io.weir.jdbc.WeirDriver;
import io.weir.server.config.ServerConfig;
import io.weir.server.launcher.WeirServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * JDBC clients against a {@link WeirServer} serving a Meta with an unbounded result (a row every
 * 300 ms): our driver, the stock Avatica driver, JSON, failures, health.
 */
class JdbcOverHttpTest {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcOverHttpTest.class);
    private static final Duration INTERVAL = Duration.ofMillis(800);
    /**
     * How late a row may reach ResultSet.next() after the server produced it: a driver that reads a
     * frame ahead hands each row over one interval late; half an interval leaves room for a busy machine.
     */
    private static final long MAX_DELIVERY_MILLIS = 400;

    @TempDir
    Path dataDir;
    private TickingMeta meta;
    private WeirServer server;

    @BeforeAll
    static void reportDriverJar() {
        // Under 'mvn verify/install' this is the shaded weir-jdbc jar; under a reactor 'mvn test' the
        // module's classes (see server/pom.xml).
        LOG.info("WeirDriver loaded from {}", WeirDriver.class.getProtectionDomain().getCodeSource().getLocation());
    }

    @BeforeEach
    void start() throws IOException {
        meta = new TickingMeta(INTERVAL, Duration.ofSeconds(1));
        server = WeirServer.start(ServerConfig.builder().port(0).pgPort(0).dataDir(dataDir).build(), meta);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void weirDriverDeliversEachRowAsSoonAsTheServerHasIt() throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(TickingMeta.TICK)) {
            assertThat(connection.getMetaData().getDriverName()).isEqualTo("Weir JDBC Driver");
            assertThat(statement.getFetchSize()).as("a fetch asks for up to 1000 rows, and gets those ready").isEqualTo(1000);
            for (int tick = 1; tick <= 4; tick++) {
                assertThat(rows.next()).isTrue();
                long receivedAt = System.currentTimeMillis();
                assertThat(rows.getInt("TICK")).isEqualTo(tick);
                long producedAt = rows.getLong("PRODUCED_AT");
                assertThat(receivedAt - producedAt)
                        .as("row %d reached next() %d ms after it was produced", tick, receivedAt - producedAt)
                        .isLessThan(MAX_DELIVERY_MILLIS);
            }
        }
    }

    @Test
    void stockAvaticaDriverAlsoReadsRowsButOnlyOnceTheNextRowExists() throws SQLException {
        String url = "jdbc:avatica:remote:url=" + server.httpUrl() + ";serialization=PROTOBUF";
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(TickingMeta.TICK)) {
            assertThat(connection.getMetaData().getDriverName()).isEqualTo("Avatica Remote JDBC Driver");
            assertThat(rows.next()).isTrue();
            long receivedAt = System.currentTimeMillis();
            assertThat(rows.getInt("TICK")).isEqualTo(1);
            // The behaviour WeirDriver exists to fix: row 1 is held back until row 2 has arrived.
            assertThat(receivedAt - rows.getLong("PRODUCED_AT")).isGreaterThanOrEqualTo(INTERVAL.toMillis() - 50);
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt("TICK")).isEqualTo(2);
        }
    }

    @Test
    void jsonSerializationWorks() throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl() + "/?serialization=json");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(TickingMeta.TICK)) {
            for (int tick = 1; tick <= 2; tick++) {
                assertThat(rows.next()).isTrue();
                long receivedAt = System.currentTimeMillis();
                assertThat(rows.getInt(1)).isEqualTo(tick);
                assertThat(receivedAt - rows.getLong(2)).isLessThan(MAX_DELIVERY_MILLIS);
            }
        }
    }

    @Test
    void errorThrownByTheMetaFailsTheStatementPromptlyAndTheConnectionStaysUsable() throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl())) {
            SQLException failure = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try (Statement statement = connection.createStatement()) {
                    statement.executeQuery(TickingMeta.ERROR);
                } catch (SQLException e) {
                    return e;
                }
                throw new AssertionError("the query did not fail");
            });
            assertThat(failure.getSQLState()).isEqualTo("XX000");
            assertThat(failure.getMessage()).contains("java.lang.StackOverflowError")
                    .contains("simulated failure in prepareAndExecute");

            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(TickingMeta.TICK)) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void errorThrownByFetchSurfacesAsSqlExceptionFromNext() throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(TickingMeta.FETCH_ERROR)) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(rows::next)
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("XX000");
                        assertThat(e.getMessage()).contains("simulated failure in fetch");
                    }));
        }
    }

    @Test
    void closingTheStatementClosesItOnTheServer() throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl())) {
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(TickingMeta.TICK);
            assertThat(rows.next()).isTrue();
            assertThat(meta.openStatements()).isEqualTo(1);

            statement.close();

            assertThat(meta.openStatements()).isZero();
        }
    }

    @Test
    void aMisspeltPropertyFailsTheConnectionNamingTheKnownOnes() {
        java.util.Properties info = new java.util.Properties();
        info.setProperty("http_respons_timeout", "5000");

        assertRejected(() -> DriverManager.getConnection(server.jdbcUrl() + "?fetchsize=10"), "fetchsize", "fetch_size");
        assertRejected(() -> DriverManager.getConnection(server.jdbcUrl(), info),
                "http_respons_timeout", "http_response_timeout");
    }

    private static void assertRejected(org.assertj.core.api.ThrowableAssert.ThrowingCallable connect, String given,
                                       String meant) {
        assertThatThrownBy(connect)
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith("Unknown connection property '" + given + "' (did you mean '" + meant + "'?)."
                        + " Weir's driver takes serialization, user, password, ")
                .hasMessageContaining("; and Avatica's client settings ")
                .hasMessageEndingWith("Correct the name, or set unknown_properties=warn to connect anyway")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
    }

    @Test
    void withUnknownPropertiesWarnTheConnectionOpensAndWarns() throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl()
                + "?fetchsize=10&unknown_properties=warn&avatica_user=alice");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(TickingMeta.TICK)) {
            assertThat(rows.next()).isTrue();
            java.sql.SQLWarning warning = connection.getWarnings();
            assertThat(warning != null && warning.getNextWarning() == null).as("one warning").isTrue();
            assertThat(warning.getSQLState()).isEqualTo("01000");
            assertThat(warning.getMessage()).startsWith("Unknown connection property 'fetchsize' (did you mean 'fetch_size'?).")
                    .endsWith("They have no effect in Weir's driver (unknown_properties=warn)");
            connection.clearWarnings();
            assertThat(connection.getWarnings() == null).as("no warnings after clearWarnings").isTrue();
        }
    }

    @Test
    void healthEndpointAnswers() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();

        HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(server.httpUrl() + "/health"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(health.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
    }

    @Test
    void rowsArriveAtTheProducedPace() throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(TickingMeta.TICK)) {
            assertThat(rows.next()).isTrue();
            long first = System.currentTimeMillis();
            assertThat(rows.next()).isTrue();
            long second = System.currentTimeMillis();
            assertThat((double) (second - first)).isCloseTo(INTERVAL.toMillis(), within(100.0));
        }
    }
}

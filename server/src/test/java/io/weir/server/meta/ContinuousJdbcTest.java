package io.weir.server.meta;

import io.weir.server.config.ServerConfig;
import io.weir.server.launcher.WeirServer;
import io.weir.sql.session.SessionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Continuous queries over real JDBC connections to a server whose engine is scripted: each query
 * yields row n = (n, time produced in ms) every interval, whatever its plan.
 */
class ContinuousJdbcTest {
    private static final String STREAM = "CREATE STREAM ticks (n BIGINT, produced_at BIGINT) WITH ('connector' = 'datagen')";
    private static final String QUERY = "SELECT STREAM n, produced_at FROM ticks";
    /**
     * How late a row may reach ResultSet.next() after the engine produced it: a row handed on at once arrives in
     * milliseconds, one that waited for a fuller frame or the fetch's wait (2 s) only after the next row (400 ms
     * later) or the wait; the bound sits between, far from both, so that a busy machine does not fail it.
     */
    private static final long MAX_DELIVERY_MILLIS = 300;

    @TempDir
    Path dataDir;
    private ScriptedQueryEngine engine;
    private WeirMeta meta;
    private WeirServer server;

    private void start(Duration interval, int failAfter) throws IOException, SQLException {
        engine = new ScriptedQueryEngine(interval, failAfter);
        meta = new WeirMeta(ServerContext.open(dataDir, Map.of(SessionOptions.FETCH_MAX_WAIT.key(), "2 s"), directory -> engine),
                Duration.ofMinutes(5));
        server = WeirServer.start(ServerConfig.builder().bindAddress("127.0.0.1").port(0).pgPort(0).dataDir(dataDir).build(), meta);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(STREAM);
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (meta != null) {
            meta.close();
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl());
    }

    private Connection connectStock() throws SQLException {
        return DriverManager.getConnection("jdbc:avatica:remote:url=http://127.0.0.1:" + server.port() + ";serialization=PROTOBUF");
    }

    /** The registry forgets a query right after the engine closed it. */
    private void awaitNoQueries() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (meta.context().queries().size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(meta.context().queries().size()).isZero();
    }

    @Test
    void executeQueryReturnsBeforeTheFirstRowAndRowsArriveAtOnce() throws Exception {
        start(Duration.ofMillis(400), 0);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            // Warm the planner so the measured query is not slowed by class loading.
            statement.executeQuery(QUERY).close();
            try (ResultSet rows = statement.executeQuery(QUERY)) {
                long returned = System.currentTimeMillis();
                assertThat(rows.getMetaData().getColumnCount()).isEqualTo(2);
                assertThat(rows.getMetaData().getColumnName(1)).isEqualToIgnoringCase("n");
                List<Long> delays = new ArrayList<>();
                for (long n = 1; n <= 6; n++) {
                    assertThat(rows.next()).isTrue();
                    long received = System.currentTimeMillis();
                    assertThat(rows.getLong(1)).isEqualTo(n);
                    if (n == 1) {
                        assertThat(rows.getLong(2)).as("first row produced after executeQuery returned").isGreaterThanOrEqualTo(returned);
                    }
                    delays.add(received - rows.getLong(2));
                }
                assertThat(delays).allSatisfy(delay -> assertThat(delay).isLessThan(MAX_DELIVERY_MILLIS));
            }
        }
    }

    @Test
    void maxRowsEndsTheStream() throws Exception {
        start(Duration.ofMillis(20), 0);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.setMaxRows(3);
            statement.setFetchSize(2);
            try (ResultSet rows = statement.executeQuery(QUERY)) {
                int count = 0;
                while (rows.next()) {
                    count++;
                }
                assertThat(count).isEqualTo(3);
            }
        }
        assertThat(engine.queries()).singleElement().satisfies(query -> assertThat(query.options().maxRows()).isEqualTo(3));
    }

    @Test
    void closingTheStatementStopsTheQuery() throws Exception {
        start(Duration.ofMillis(20), 0);
        try (Connection connection = connect()) {
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(QUERY);
            assertThat(rows.next()).isTrue();
            assertThat(rows.next()).isTrue();
            assertThat(meta.context().queries().size()).isEqualTo(1);
            statement.close();
            ScriptedQueryEngine.ScriptedQuery query = engine.queries().get(0);
            assertThat(query.awaitClosed(Duration.ofSeconds(5))).isTrue();
            awaitNoQueries();
            try (Statement other = connection.createStatement(); ResultSet streams = other.executeQuery("SHOW STREAMS")) {
                assertThat(streams.next()).isTrue();
            }
        }
    }

    @Test
    void closingTheResultSetStopsTheQueryAndTheStatementStaysUsable() throws Exception {
        start(Duration.ofMillis(20), 0);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            ResultSet rows = statement.executeQuery(QUERY);
            assertThat(rows.next()).isTrue();
            rows.close();
            assertThat(engine.queries().get(0).awaitClosed(Duration.ofSeconds(5))).isTrue();
            awaitNoQueries();
            try (ResultSet again = statement.executeQuery("SHOW STREAMS")) {
                assertThat(again.next()).isTrue();
            }
        }
    }

    @Test
    void closingTheConnectionStopsItsQueries() throws Exception {
        start(Duration.ofMillis(20), 0);
        Connection connection = connect();
        for (int i = 0; i < 2; i++) {
            ResultSet rows = connection.createStatement().executeQuery(QUERY);
            assertThat(rows.next()).isTrue();
        }
        connection.close();
        for (ScriptedQueryEngine.ScriptedQuery query : engine.queries()) {
            assertThat(query.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
        awaitNoQueries();
    }

    @Test
    void queryOfAClientThatStopsFetchingIsStopped() throws Exception {
        start(Duration.ofMillis(20), 0);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET 'query.client-timeout' = '300 ms'");
            ResultSet rows = statement.executeQuery(QUERY);
            assertThat(rows.next()).isTrue();
            ScriptedQueryEngine.ScriptedQuery query = engine.queries().get(0);
            assertThat(query.awaitClosed(Duration.ofSeconds(5))).isTrue();
            awaitNoQueries();
        }
    }

    @Test
    void failingQueryRaisesItsErrorAndTheConnectionCarriesOn() throws Exception {
        start(Duration.ofMillis(20), 2);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            ResultSet rows = statement.executeQuery(QUERY);
            assertThat(rows.next()).isTrue();
            assertThat(rows.next()).isTrue();
            assertThatThrownBy(rows::next)
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(ScriptedQueryEngine.FAILURE_CODE.sqlState()))
                    .hasMessageContaining("Scripted failure");
            try (Statement other = connection.createStatement(); ResultSet streams = other.executeQuery("SHOW STREAMS")) {
                assertThat(streams.next()).isTrue();
            }
        }
    }

    @Test
    void tenConcurrentQueries() throws Exception {
        start(Duration.ofMillis(30), 0);
        ExecutorService clients = Executors.newFixedThreadPool(10);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                results.add(clients.submit((Callable<Integer>) () -> {
                    try (Connection connection = connect(); Statement statement = connection.createStatement();
                         ResultSet rows = statement.executeQuery(QUERY)) {
                        int count = 0;
                        while (count < 20 && rows.next()) {
                            count++;
                            assertThat(rows.getLong(1)).isEqualTo(count);
                        }
                        return count;
                    }
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(1, TimeUnit.MINUTES)).isEqualTo(20);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(engine.queries()).hasSize(10).allSatisfy(query -> assertThat(query.awaitClosed(Duration.ofSeconds(5))).isTrue());
    }

    @Test
    void stockAvaticaDriverReadsTheStream() throws Exception {
        start(Duration.ofMillis(20), 0);
        try (Connection connection = connectStock(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(QUERY)) {
            for (long n = 1; n <= 5; n++) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isEqualTo(n);
            }
        }
        assertThat(engine.queries().get(0).awaitClosed(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void showQueriesListsAndStopQueryStops() throws Exception {
        start(Duration.ofMillis(20), 0);
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             Statement admin = connection.createStatement()) {
            ResultSet rows = statement.executeQuery(QUERY);
            assertThat(rows.next()).isTrue();
            String id;
            try (ResultSet queries = admin.executeQuery("SHOW QUERIES")) {
                assertThat(queries.next()).isTrue();
                id = queries.getString("query_id");
                assertThat(queries.getString("query_text")).isEqualTo(QUERY);
                assertThat(queries.getString("state")).isEqualTo("RUNNING");
                assertThat(queries.getTimestamp("started")).isNotNull();
                assertThat(queries.getLong("rows_out")).isPositive();
                assertThat(queries.getLong("late_rows")).isZero();
                assertThat(queries.next()).isFalse();
            }
            admin.execute("STOP QUERY '" + id + "'");
            assertThat(engine.queries().get(0).awaitClosed(Duration.ofSeconds(5))).isTrue();
            assertThatThrownBy(() -> {
                while (rows.next()) {
                    // drain what was delivered before the stop
                }
            }).isInstanceOf(SQLException.class).hasMessageContaining("STOP QUERY");
            try (ResultSet queries = admin.executeQuery("SHOW QUERIES")) {
                assertThat(queries.next()).isFalse();
            }
        }
    }
}

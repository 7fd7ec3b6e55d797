package io.weir.server.meta;

import io.weir.connector.jdbc.TestPostgres;
import io.weir.spi.connector.memory.InMemoryData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Connector 'jdbc' through a real server: a PostgreSQL table queried over Weir's JDBC, and a sink into one. */
class JdbcConnectorServerTest {

    private final TestPostgres postgres = TestPostgres.get();
    @TempDir
    Path dataDir;
    private EngineServer server;

    @BeforeEach
    void start() throws IOException {
        server = EngineServer.start(dataDir, "50 ms");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Connection connect() throws SQLException {
        return server.connect();
    }

    @Test
    void aPostgresTableIsQueriedAsAReferenceTable() throws Exception {
        String table = postgres.newTable("server_rates");
        postgres.execute("CREATE TABLE " + table + " (currency TEXT PRIMARY KEY, rate NUMERIC(10, 4))",
                "INSERT INTO " + table + " VALUES ('EUR', 1.0850), ('GBP', 1.2675), ('JPY', 0.0067)");
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE rates (currency VARCHAR, rate DECIMAL(10, 4), PRIMARY KEY (currency)) WITH ("
                    + postgres.withClause(table) + ")");
            List<String> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery("SELECT * FROM rates ORDER BY currency")) {
                while (result.next()) {
                    rows.add(result.getString(1) + "=" + result.getBigDecimal(2));
                }
            }
            assertThat(rows).containsExactly("EUR=1.0850", "GBP=1.2675", "JPY=0.0067");
        }
    }

    @Test
    void insertIntoAJdbcStreamWritesThePostgresTable() throws Exception {
        String table = postgres.newTable("server_sink");
        postgres.execute("CREATE TABLE " + table + " (id BIGINT, name TEXT)");
        InMemoryData.register("jdbc_server_in", List.of(), false);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM src (id BIGINT, name VARCHAR) WITH ('connector' = 'memory', 'data' = 'jdbc_server_in')");
            statement.execute("CREATE STREAM pg_out (id BIGINT, name VARCHAR) WITH (" + postgres.withClause(table) + ")");
            try (ResultSet started = statement.executeQuery("INSERT INTO pg_out SELECT STREAM id, UPPER(name) FROM src")) {
                assertThat(started.next()).isTrue();
            }
        }
        InMemoryData.append("jdbc_server_in", List.of(new Object[] {1L, "ann"}, new Object[] {2L, "bob"}));
        long deadline = System.nanoTime() + EngineServer.TIMEOUT.toNanos();
        List<Object[]> rows = List.of();
        while (System.nanoTime() < deadline) {
            rows = postgres.query("SELECT id, name FROM " + table + " ORDER BY id");
            if (rows.size() >= 2) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(rows).containsExactly(new Object[] {1L, "ANN"}, new Object[] {2L, "BOB"});
    }

    @Test
    void insertIntoAJdbcTableUpsertsRowsByItsPrimaryKey() throws Exception {
        String table = postgres.newTable("server_totals");
        postgres.execute("CREATE TABLE " + table + " (customer TEXT PRIMARY KEY, orders BIGINT, total DOUBLE PRECISION)",
                "INSERT INTO " + table + " VALUES ('old', 1, 1.0)");
        InMemoryData.register("jdbc_server_orders", List.of(), false);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM orders (customer VARCHAR, amount DOUBLE) WITH ('connector' = 'memory',"
                    + " 'data' = 'jdbc_server_orders')");
            statement.execute("CREATE TABLE customer_totals (customer VARCHAR, orders BIGINT, total DOUBLE, PRIMARY KEY (customer))"
                    + " WITH (" + postgres.withClause(table) + ")");
            // each customer's running totals, refreshed every batch: a report reads them from PostgreSQL
            statement.execute("CREATE MATERIALIZED VIEW running_totals AS SELECT customer, COUNT(*) AS orders, SUM(amount) AS total"
                    + " FROM orders GROUP BY customer");
            statement.execute("INSERT INTO customer_totals SELECT STREAM customer, orders, total FROM running_totals"
                    + " WHERE op IN ('INSERT', 'UPDATE_AFTER')");
        }
        InMemoryData.append("jdbc_server_orders", List.of(new Object[] {"ann", 5.0}, new Object[] {"bob", 1.0}));
        awaitRows(table, List.of("ann 1 5.0", "bob 1 1.0", "old 1 1.0"));
        InMemoryData.append("jdbc_server_orders", List.<Object[]>of(new Object[] {"ann", 2.5}));
        awaitRows(table, List.of("ann 2 7.5", "bob 1 1.0", "old 1 1.0"));
    }

    @Test
    void aStreamIsEnrichedFromAPostgresReferenceTableThatIsRefreshed() throws Exception {
        String table = postgres.newTable("server_customers");
        postgres.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name TEXT, tier TEXT)",
                "INSERT INTO " + table + " VALUES (1, 'Ann', 'gold'), (2, 'Bob', 'silver')");
        InMemoryData.register("jdbc_server_clicks", List.of(), false);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM clicks (customer_id BIGINT, url VARCHAR) WITH ('connector' = 'memory',"
                    + " 'data' = 'jdbc_server_clicks')");
            statement.execute("CREATE TABLE customers (id BIGINT, name VARCHAR, tier VARCHAR, PRIMARY KEY (id)) WITH ("
                    + postgres.withClause(table) + ", 'refresh-interval' = '200 ms')");
            try (ResultSet enriched = statement.executeQuery("SELECT STREAM c.url, u.name, u.tier FROM clicks c"
                    + " LEFT JOIN customers u ON c.customer_id = u.id")) {
                InMemoryData.append("jdbc_server_clicks", List.of(new Object[] {1L, "/home"}, new Object[] {3L, "/cart"}));
                assertThat(enriched.next()).isTrue();
                assertThat(List.of(enriched.getString(1), enriched.getString(2), enriched.getString(3)))
                        .containsExactly("/home", "Ann", "gold");
                assertThat(enriched.next()).isTrue();
                assertThat(enriched.getString(1)).isEqualTo("/cart");
                assertThat(enriched.getString(2)).isNull();
                // the table is re-read every 200 ms: a change in PostgreSQL reaches the join
                postgres.execute("UPDATE " + table + " SET tier = 'platinum' WHERE id = 1");
                long deadline = System.nanoTime() + EngineServer.TIMEOUT.toNanos();
                String tier = "gold";
                while (!tier.equals("platinum") && System.nanoTime() < deadline) {
                    InMemoryData.append("jdbc_server_clicks", List.<Object[]>of(new Object[] {1L, "/again"}));
                    assertThat(enriched.next()).isTrue();
                    tier = enriched.getString(3);
                }
                assertThat(tier).isEqualTo("platinum");
            }
        }
    }

    @Test
    void aGroupByWithoutWindowUpsertsRunningTotalsIntoAKeyedTable() throws Exception {
        String table = postgres.newTable("server_running");
        postgres.execute("CREATE TABLE " + table + " (customer TEXT PRIMARY KEY, orders BIGINT, total DOUBLE PRECISION)");
        InMemoryData.register("jdbc_server_running", List.of(), false);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM sales (customer VARCHAR, amount DOUBLE) WITH ('connector' = 'memory',"
                    + " 'data' = 'jdbc_server_running')");
            statement.execute("CREATE TABLE report (customer VARCHAR, orders BIGINT, total DOUBLE, PRIMARY KEY (customer))"
                    + " WITH (" + postgres.withClause(table) + ")");
            // the table's key makes the sink take updates, so GROUP BY needs no window
            statement.execute("INSERT INTO report SELECT STREAM customer, COUNT(*), SUM(amount) FROM sales GROUP BY customer");
            assertThatThrownBy(() -> statement.execute("INSERT INTO pg_nokey_missing SELECT STREAM customer FROM sales"))
                    .isInstanceOf(SQLException.class);
        }
        InMemoryData.append("jdbc_server_running", List.of(new Object[] {"ann", 5.0}, new Object[] {"bob", 1.0}));
        awaitRows(table, List.of("ann 1 5.0", "bob 1 1.0"));
        InMemoryData.append("jdbc_server_running", List.<Object[]>of(new Object[] {"ann", 2.5}));
        awaitRows(table, List.of("ann 2 7.5", "bob 1 1.0"));
    }

    private void awaitRows(String table, List<String> expected) throws Exception {
        long deadline = System.nanoTime() + EngineServer.TIMEOUT.toNanos();
        List<String> rows = List.of();
        while (System.nanoTime() < deadline) {
            rows = postgres.query("SELECT customer, orders, total FROM " + table + " ORDER BY customer").stream()
                    .map(row -> row[0] + " " + row[1] + " " + row[2]).toList();
            if (rows.equals(expected)) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(rows).isEqualTo(expected);
    }
}

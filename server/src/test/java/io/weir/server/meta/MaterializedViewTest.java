package io.weir.server.meta;

import io.weir.spi.connector.memory.InMemoryData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Materialized views as a dashboard uses them: polling plain SELECTs, change streams, JDBC metadata. */
class MaterializedViewTest {

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
    void aPollingDashboardSeesTheOpenWindowFillUpThenSettle() throws Exception {
        InMemoryData.register("mv_events", List.of(), false);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM events (id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '0' SECOND)"
                    + " WITH ('connector' = 'memory', 'data' = 'mv_events')");
            statement.execute("CREATE MATERIALIZED VIEW counts WITH ('retention' = '20 seconds') AS"
                    + " SELECT window_start, window_end, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts),"
                    + " INTERVAL '10' SECOND)) GROUP BY window_start, window_end");
        }
        String firstWindow = "SELECT n FROM counts WHERE window_start = TIMESTAMP '1970-01-01 00:00:00'";
        InMemoryData.append("mv_events", 1L, 1_000L);
        EngineServer.await(() -> longs(firstWindow).equals(List.of(1L)));
        InMemoryData.append("mv_events", List.of(new Object[] {2L, 2_000L}, new Object[] {3L, 3_000L}));
        // the window is still open (the watermark is at 3 s) and its count grows
        EngineServer.await(() -> longs(firstWindow).equals(List.of(3L)));
        InMemoryData.append("mv_events", 4L, 15_000L);
        EngineServer.await(() -> longs("SELECT n FROM counts ORDER BY window_start").equals(List.of(3L, 1L)));
        // the first window closed with 3; late rows for it are dropped, so it stays 3
        InMemoryData.append("mv_events", 5L, 4_000L);
        InMemoryData.append("mv_events", 6L, 16_000L);
        EngineServer.await(() -> longs("SELECT n FROM counts ORDER BY window_start").equals(List.of(3L, 2L)));
        // retention: windows ending 20 s before the latest window end are removed
        InMemoryData.append("mv_events", 7L, 45_000L);
        EngineServer.await(() -> longs("SELECT n FROM counts ORDER BY window_start").equals(List.of(1L)));
    }

    @Test
    void selectStreamOnAViewDeliversItsRowsThenItsChanges() throws Exception {
        InMemoryData.register("mv_orders", List.of(), false);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM orders (customer VARCHAR, amount DOUBLE) WITH ('connector' = 'memory', 'data' = 'mv_orders')");
            statement.execute("CREATE MATERIALIZED VIEW spend AS SELECT customer, SUM(amount) AS total FROM orders GROUP BY customer");
        }
        InMemoryData.append("mv_orders", "ann", 5.0);
        EngineServer.await(() -> longs("SELECT COUNT(*) FROM spend").equals(List.of(1L)));
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet changes = statement.executeQuery("SELECT STREAM * FROM spend")) {
            assertThat(changes.getMetaData().getColumnLabel(1)).isEqualTo("op");
            assertThat(changes.next()).isTrue();
            assertThat(List.of(changes.getString("op"), changes.getString("customer"), changes.getDouble("total")))
                    .containsExactly("INSERT", "ann", 5.0);
            InMemoryData.append("mv_orders", "ann", 2.5);
            assertThat(changes.next()).isTrue();
            assertThat(List.of(changes.getString("op"), changes.getDouble("total"))).containsExactly("UPDATE_BEFORE", 5.0);
            assertThat(changes.next()).isTrue();
            assertThat(List.of(changes.getString("op"), changes.getDouble("total"))).containsExactly("UPDATE_AFTER", 7.5);
            InMemoryData.append("mv_orders", "bob", 1.0);
            assertThat(changes.next()).isTrue();
            assertThat(List.of(changes.getString("op"), changes.getString("customer"))).containsExactly("INSERT", "bob");
        }
    }

    @Test
    void viewsAreListedAsMaterializedViewsAndFoundByClientsAskingForTablesOrViews() throws Exception {
        InMemoryData.register("mv_meta", List.of(), false);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM visits (page VARCHAR) WITH ('connector' = 'memory', 'data' = 'mv_meta')");
            statement.execute("CREATE MATERIALIZED VIEW page_visits AS SELECT page, COUNT(*) AS visits FROM visits GROUP BY page");
            for (String[] types : List.of(new String[] {"MATERIALIZED VIEW"}, new String[] {"VIEW"}, new String[] {"TABLE"})) {
                try (ResultSet tables = connection.getMetaData().getTables(null, null, "page_visits", types)) {
                    assertThat(tables.next()).as(String.join(",", types)).isTrue();
                    assertThat(tables.getString("TABLE_TYPE")).isEqualTo("MATERIALIZED VIEW");
                }
            }
            try (ResultSet columns = connection.getMetaData().getColumns(null, null, "page_visits", null)) {
                List<String> names = new ArrayList<>();
                while (columns.next()) {
                    names.add(columns.getString("COLUMN_NAME"));
                }
                assertThat(names).containsExactly("page", "visits");
            }
            // a BI tool's probe query answers at once with the columns
            try (ResultSet probe = statement.executeQuery("SELECT * FROM page_visits WHERE 1 = 0")) {
                assertThat(probe.getMetaData().getColumnCount()).isEqualTo(2);
                assertThat(probe.next()).isFalse();
            }
        }
    }

    @Test
    void aViewThatGrowsWithoutBoundWarnsTheClientThatCreatesIt() throws Exception {
        InMemoryData.register("mv_warn", List.of(), false);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM clicks (id BIGINT, url VARCHAR) WITH ('connector' = 'memory', 'data' = 'mv_warn')");
            assertThat(warnings(statement)).isEmpty();

            statement.execute("CREATE MATERIALIZED VIEW errors AS SELECT id, url FROM clicks WHERE url LIKE '/error%'");

            assertThat(warnings(statement)).containsExactly("01000 Materialized view 'errors' keeps every row of its stream"
                    + " and grows without bound; give it a retention to bound it: CREATE OR REPLACE MATERIALIZED VIEW errors"
                    + " WITH ('retention' = '24 hours') AS ...");

            // the next statement on the same Statement starts without warnings
            statement.execute("CREATE MATERIALIZED VIEW bounded WITH ('retention' = '1 hour') AS SELECT id FROM clicks");
            assertThat(warnings(statement)).isEmpty();
            statement.execute("CREATE MATERIALIZED VIEW per_url AS SELECT url, COUNT(*) AS n FROM clicks GROUP BY url");
            assertThat(warnings(statement)).isEmpty();

            statement.execute("CREATE MATERIALIZED VIEW errors2 AS SELECT id FROM clicks WHERE id > 1");
            assertThat(warnings(statement)).hasSize(1);
            statement.clearWarnings();
            assertThat(warnings(statement)).isEmpty();
        }
        try (Connection connection = connect();
             PreparedStatement prepared = connection.prepareStatement(
                     "CREATE MATERIALIZED VIEW errors3 AS SELECT id FROM clicks WHERE id > 2")) {
            assertThat(prepared.execute()).isFalse();
            assertThat(warnings(prepared)).singleElement().asString().startsWith("01000 Materialized view 'errors3' keeps every row");
        }
        // the view runs: rows arrive
        InMemoryData.append("mv_warn", 1L, "/error/1");
        EngineServer.await(() -> longs("SELECT id FROM errors").equals(List.of(1L)));
    }

    /** The statement's warnings, each as its SQLSTATE and message. */
    private static List<String> warnings(Statement statement) throws SQLException {
        List<String> warnings = new ArrayList<>();
        for (SQLWarning warning = statement.getWarnings(); warning != null; warning = warning.getNextWarning()) {
            warnings.add(warning.getSQLState() + " " + warning.getMessage());
        }
        return warnings;
    }

    @Test
    void theStockAvaticaDriverTakesAnUpdateCountThatCarriesWarnings() throws Exception {
        InMemoryData.register("mv_stock", List.of(), false);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM stock_clicks (id BIGINT) WITH ('connector' = 'memory', 'data' = 'mv_stock')");
        }
        int port = java.net.URI.create(server.jdbcUrl().replace("jdbc:weir:", "http:")).getPort();
        for (String url : List.of("jdbc:avatica:remote:url=http://127.0.0.1:" + port + ";serialization=PROTOBUF",
                "jdbc:avatica:remote:url=http://127.0.0.1:" + port + "/json;serialization=JSON")) {
            String view = url.endsWith("JSON") ? "stock_json" : "stock_protobuf";
            try (Connection connection = new org.apache.calcite.avatica.remote.Driver().connect(url, new java.util.Properties());
                 Statement statement = connection.createStatement()) {
                assertThat(statement.execute("CREATE MATERIALIZED VIEW " + view + " AS SELECT id FROM stock_clicks")).isFalse();
                assertThat(statement.getUpdateCount()).isZero();
                // Avatica's statements have no warnings; the documented limit of the stock driver
                assertThat(warnings(statement)).isEmpty();
                try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + view)) {
                    assertThat(rows.next()).isTrue();
                }
            }
        }
    }

    private List<Long> longs(String sql) {
        return EngineServer.unchecked(() -> {
            try (Connection connection = connect(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(sql)) {
                List<Long> values = new ArrayList<>();
                while (rows.next()) {
                    values.add(rows.getLong(1));
                }
                return values;
            }
        });
    }


}

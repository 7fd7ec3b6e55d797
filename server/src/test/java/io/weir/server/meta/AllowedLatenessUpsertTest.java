package io.weir.server.meta;

import io.weir.spi.connector.memory.InMemoryData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Allowed lateness through a real server into an upsert sink (a table with a PRIMARY KEY): a window's
 * final row, then its corrected row when a late row within the lateness comes, and nothing for a row
 * beyond it (counted as late). Each step appends rows and waits for what they bring. Rows: (user, ts ms);
 * watermark = ts, 10 s windows, 5 s of lateness.
 */
@Timeout(120)
class AllowedLatenessUpsertTest {
    @TempDir
    Path dataDir;
    private EngineServer server;
    private String clicks;
    private String out;

    @BeforeEach
    void start() throws IOException, SQLException {
        server = EngineServer.start(dataDir, "20 ms");
        clicks = "lateness_clicks_" + System.nanoTime();
        out = clicks + "_out";
        InMemoryData.register(clicks, List.of(), false);
        InMemoryData.register(out, List.of(), true);
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM clicks (user_name VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)"
                    + " WITH ('connector' = 'memory', 'data' = '" + clicks + "')");
            statement.execute("CREATE TABLE click_counts (window_end TIMESTAMP(3), user_name VARCHAR, clicks BIGINT,"
                    + " PRIMARY KEY (window_end, user_name)) WITH ('connector' = 'memory', 'data' = '" + out + "')");
        }
    }

    @AfterEach
    void stop() {
        server.close();
        InMemoryData.unregister(clicks);
        InMemoryData.unregister(out);
    }

    private void click(String user, long ts) {
        InMemoryData.append(clicks, List.<Object[]>of(new Object[] {user, ts}));
    }

    private boolean written(Object... row) {
        return InMemoryData.rows(out).stream().anyMatch(written -> Arrays.equals(written, row));
    }

    private long queryFigure(Statement statement, String column) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT " + column + " FROM sys.queries WHERE kind = 'PERSISTENT'")) {
            return rows.next() ? rows.getLong(1) : -1;
        }
    }

    @Test
    void theServersDefaultIsEverySessionsUntilItSetsItsOwn() throws Exception {
        try (io.weir.server.testing.RunningServer defaults = io.weir.server.testing.RunningServer.start(dataDir.resolve("other"),
                builder -> builder.allowedLateness(java.time.Duration.ofSeconds(5)));
             Connection connection = java.sql.DriverManager.getConnection(defaults.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM ticks (n BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)"
                    + " WITH ('connector' = 'datagen', 'rows-per-second' = '10')");
            String query = "EXPLAIN PLAN FOR SELECT STREAM window_start, COUNT(*) AS c"
                    + " FROM TABLE(TUMBLE(TABLE ticks, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end";
            assertThat(explain(statement, query)).contains("allowed lateness=5000 ms");
            statement.execute("SET 'allowed-lateness' = '0 s'");
            assertThat(explain(statement, query)).doesNotContain("allowed lateness");
        }
    }

    private static String explain(Statement statement, String explain) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(explain)) {
            while (rows.next()) {
                lines.add(rows.getString(1));
            }
        }
        return String.join("\n", lines);
    }

    @Test
    void anUpsertSinkGetsTheCorrectedRowOfAWindowThatHasFired() throws Exception {
        String query = "INSERT INTO click_counts SELECT STREAM window_end, user_name, COUNT(*)"
                + " FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' SECOND))"
                + " GROUP BY window_start, window_end, user_name EMIT AFTER WATERMARK";
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET 'allowed-lateness' = '5 s'");
            List<String> plan = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("EXPLAIN PLAN FOR " + query)) {
                while (rows.next()) {
                    plan.add(rows.getString(1));
                }
            }
            assertThat(String.join("\n", plan)).contains("allowed lateness=5000 ms");
            statement.execute(query);

            click("ann", 1_000);
            click("ann", 2_000);
            click("bob", 12_000); // the watermark reaches 12 s: [0 s, 10 s) fires
            EngineServer.await(() -> written(10_000L, "ann", 2L));
            click("ann", 3_000); // late, within the lateness (kept until 14.999 s)
            EngineServer.await(() -> written(10_000L, "ann", 3L));
            click("bob", 16_000); // the watermark passes 14.999 s: [0 s, 10 s) is freed
            EngineServer.await(() -> EngineServer.unchecked(() -> queryFigure(statement, "rows_in") == 5));
            click("ann", 4_000); // beyond the lateness: late, counted, not written
            EngineServer.await(() -> EngineServer.unchecked(() -> queryFigure(statement, "late_rows") == 1));
            assertThat(InMemoryData.rows(out).stream().filter(row -> "ann".equals(row[1])).map(row -> row[2]).toList())
                    .containsExactly(2L, 3L);
        }
    }
}

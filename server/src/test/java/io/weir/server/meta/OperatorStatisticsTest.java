package io.weir.server.meta;

import io.weir.server.testing.RunningServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** sys.operators for a running push query, at parallelism 1 and 2: the plan root first, rows passed on from child to parent. */
class OperatorStatisticsTest {
    @TempDir
    Path dataDir;

    private record Operator(int id, int depth, String operator, long rowsIn, long rowsOut, double timeMs, long stateRows,
                            Long openWindows, java.sql.Timestamp oldestWindowEnd) {
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void eachOperatorOfARunningQueryShowsItsRowsTimeAndState(int parallelism) throws Exception {
        try (RunningServer server = RunningServer.start(dataDir, parallelism);
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM ticks (k BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)"
                    + " WITH ('connector' = 'datagen', 'rows-per-second' = '2000', 'fields.k.kind' = 'random',"
                    + " 'fields.k.min' = '0', 'fields.k.max' = '9')");
            statement.execute("SET 'batch.interval' = '100 ms'");
            try (Statement push = connection.createStatement();
                 ResultSet rows = push.executeQuery("SELECT STREAM k, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE ticks, DESCRIPTOR(ts),"
                         + " INTERVAL '1' SECOND)) WHERE k < 5 GROUP BY k, window_start, window_end")) {
                assertThat(rows.next()).isTrue();
                try (Connection other = DriverManager.getConnection(server.jdbcUrl());
                     Statement show = other.createStatement()) {
                    List<Operator> operators = new ArrayList<>();
                    await().atMost(Duration.ofSeconds(30)).until(() -> {
                        operators.clear();
                        try (ResultSet found = show.executeQuery("SELECT operator_id, depth, operator, rows_in, rows_out, time_ms,"
                                + " state_rows, open_windows, oldest_window_end FROM sys.operators ORDER BY operator_id")) {
                            while (found.next()) {
                                operators.add(new Operator(found.getInt(1), found.getInt(2), found.getString(3), found.getLong(4),
                                        found.getLong(5), found.getDouble(6), found.getLong(7), found.getObject(8) == null ? null : found.getLong(8),
                                        found.getTimestamp(9)));
                            }
                        }
                        return operators.size() >= 3 && operators.get(0).rowsOut() > 0
                                && operators.stream().anyMatch(operator -> operator.openWindows() != null && operator.openWindows() > 0);
                    });
                    Operator root = operators.get(0);
                    Operator source = operators.get(operators.size() - 1);
                    String plan = operators.toString();
                    assertThat(root.depth()).as(plan).isZero();
                    Operator window = operators.stream().filter(operator -> operator.operator().toLowerCase().contains("window"))
                            .findFirst().orElseThrow(() -> new AssertionError("no window operator in " + plan));
                    assertThat(window.stateRows()).as("open windows' groups: " + plan).isPositive();
                    assertThat(window.rowsOut()).as(plan).isLessThan(window.rowsIn());
                    // 1 s windows, a 1 s watermark delay, rows of now: the current window and maybe the one before are open
                    assertThat(window.openWindows()).as(plan).isBetween(1L, 3L);
                    assertThat(window.oldestWindowEnd()).as(plan).isNotNull();
                    assertThat(source.openWindows()).as("only window aggregations have windows: " + plan).isNull();
                    assertThat(source.operator()).as(plan).containsIgnoringCase("scan");
                    assertThat(source.rowsIn()).as(plan).isZero();
                    assertThat(source.rowsOut()).as(plan).isPositive();
                    assertThat(source.depth()).as(plan).isEqualTo(operators.size() - 1);
                    // a chain: every operator gets what the one below it gave
                    for (int i = 0; i + 1 < operators.size(); i++) {
                        assertThat(operators.get(i).rowsIn()).as(plan).isEqualTo(operators.get(i + 1).rowsOut());
                    }
                    assertThat(operators).allSatisfy(operator -> assertThat(operator.timeMs()).isGreaterThanOrEqualTo(0));

                    // EXPLAIN ANALYZE QUERY prints the same DAG, indented, with the figures
                    String queryId;
                    try (ResultSet ids = show.executeQuery("SELECT query_id FROM sys.queries WHERE ended IS NULL")) {
                        assertThat(ids.next()).isTrue();
                        queryId = ids.getString(1);
                    }
                    List<String> lines = new ArrayList<>();
                    try (ResultSet explained = show.executeQuery("EXPLAIN ANALYZE QUERY '" + queryId + "'")) {
                        while (explained.next()) {
                            lines.add(explained.getString(1));
                        }
                    }
                    assertThat(lines.get(0)).startsWith("Query " + queryId + " (PUSH, RUNNING)").contains("micro-batches")
                            .contains("parallelism " + parallelism);
                    assertThat(lines).hasSize(operators.size() + 1);
                    assertThat(lines.get(lines.size() - 1)).startsWith("  ".repeat(operators.size() - 1) + source.operator())
                            .contains("rows in 0, rows out");
                    assertThat(lines).anySatisfy(line -> assertThat(line).contains(window.operator()).contains("state ")
                            .containsPattern("open windows?, oldest ending 20"));
                    assertThatThrownBy(() -> show.executeQuery("EXPLAIN ANALYZE QUERY 'no-such-query'"))
                            .isInstanceOfSatisfying(java.sql.SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42S02"))
                            .hasMessageContaining("There is no running query 'no-such-query'");
                }
            }
        }
    }
}

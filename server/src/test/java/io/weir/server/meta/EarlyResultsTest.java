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
 * EMIT EVERY through a real server on the micro-batch engine: a push query's open window as INSERT and
 * UPDATE_BEFORE/UPDATE_AFTER rows, an upserting INSERT INTO and a materialized view updated while the
 * window is open. Each step appends one row and waits for what it must bring (no sleeping); the
 * interval (100 ms) only decides how soon.
 */
@Timeout(120)
class EarlyResultsTest {
    private static final String WINDOW = "FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' SECOND))"
            + " GROUP BY window_start, window_end, user_name";

    @TempDir
    Path dataDir;
    private EngineServer server;
    private String clicks;

    @BeforeEach
    void start() throws IOException, SQLException {
        server = EngineServer.start(dataDir, "20 ms");
        clicks = "early_clicks_" + System.nanoTime();
        InMemoryData.register(clicks, List.of(), false);
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM clicks (user_name VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)"
                    + " WITH ('connector' = 'memory', 'data' = '" + clicks + "')");
        }
    }

    @AfterEach
    void stop() {
        server.close();
        InMemoryData.unregister(clicks);
    }

    private void click(String user, long ts) {
        InMemoryData.append(clicks, List.<Object[]>of(new Object[] {user, ts}));
    }

    private static List<Object> next(ResultSet rows) throws SQLException {
        assertThat(rows.next()).isTrue();
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
            row.add(rows.getObject(i) instanceof java.sql.Timestamp t ? t.getTime() : rows.getObject(i));
        }
        return row;
    }

    @Test
    void aPushQuerySendsTheOpenWindowAsChangesThenItsFinalRow() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT STREAM window_end, user_name, COUNT(*) AS clicks " + WINDOW
                     + " EMIT EVERY INTERVAL '0.1' SECOND")) {
            assertThat(rows.getMetaData().getColumnName(1)).isEqualTo("op");
            click("ann", 1_000);
            assertThat(next(rows)).containsExactly("INSERT", 10_000L, "ann", 1L);
            click("ann", 2_000);
            assertThat(next(rows)).containsExactly("UPDATE_BEFORE", 10_000L, "ann", 1L);
            assertThat(next(rows)).containsExactly("UPDATE_AFTER", 10_000L, "ann", 2L);
            // closes [0 s, 10 s) with a row of its own in the same micro-batch: the final row, changed
            InMemoryData.append(clicks, List.of(new Object[] {"ann", 3_000L}, new Object[] {"bob", 10_500L}));
            assertThat(next(rows)).containsExactly("UPDATE_BEFORE", 10_000L, "ann", 2L);
            assertThat(next(rows)).containsExactly("UPDATE_AFTER", 10_000L, "ann", 3L);
            assertThat(next(rows)).containsExactly("INSERT", 20_000L, "bob", 1L);
        }
    }

    @Test
    void anUpsertingInsertAndAMaterializedViewAreUpdatedWhileTheWindowIsOpen() throws Exception {
        String out = clicks + "_out";
        InMemoryData.register(out, List.of(), true); // a table: bounded when read, written to by the INSERT
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE click_counts (window_end TIMESTAMP(3), user_name VARCHAR, clicks BIGINT,"
                    + " PRIMARY KEY (window_end, user_name)) WITH ('connector' = 'memory', 'data' = '" + out + "')");
            statement.execute("INSERT INTO click_counts SELECT STREAM window_end, user_name, COUNT(*) " + WINDOW
                    + " EMIT EVERY INTERVAL '0.1' SECOND");
            statement.execute("CREATE MATERIALIZED VIEW live_counts AS SELECT window_end, user_name, COUNT(*) AS clicks "
                    + WINDOW + " EMIT EVERY INTERVAL '0.1' SECOND");
            click("ann", 1_000);
            click("ann", 2_000);
            // the window [0 s, 10 s) is open (the watermark is at 2 s): its current count arrives all the same
            EngineServer.await(() -> InMemoryData.rows(out).stream().anyMatch(row -> Arrays.equals(row,
                    new Object[] {10_000L, "ann", 2L})));
            EngineServer.await(() -> EngineServer.unchecked(() -> {
                try (ResultSet rows = statement.executeQuery("SELECT clicks FROM live_counts WHERE user_name = 'ann'")) {
                    return rows.next() && rows.getLong(1) == 2L;
                }
            }));
            statement.execute("DROP MATERIALIZED VIEW live_counts");
        } finally {
            InMemoryData.unregister(out);
        }
    }
}

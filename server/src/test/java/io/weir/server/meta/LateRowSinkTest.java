package io.weir.server.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weir.server.testing.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code 'late-rows.sink'}: a query's late rows written into a sink stream (here a file sink, whose
 * committed files the test reads back), with its checkpoints for a persistent query, across a restart
 * of the server; and the target checked when the query starts.
 */
@Timeout(180)
class LateRowSinkTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LATE_COLUMNS = "(query_id VARCHAR, stream_name VARCHAR, row_json VARCHAR, event_time TIMESTAMP(3),"
            + " watermark TIMESTAMP(3), arrived_at TIMESTAMP(3))";

    @TempDir
    Path temp;

    /** The rows of the visible (committed) part files under {@code dir}. */
    private static List<JsonNode> committedRows(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<JsonNode> rows = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank()) {
                        rows.add(JSON.readTree(line));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private static List<String> eventTimes(List<JsonNode> rows) {
        return rows.stream().map(row -> row.get("event_time").asText()).sorted().toList();
    }

    @Test
    void aContinuousQuerysLateRowsGoToTheSink() throws Exception {
        Path clicks = temp.resolve("clicks.json");
        // watermark ts - 1 s, one row per batch: 10:00:05 and 10:00:09 come after [10:00:00, 10:00:10) fired
        Files.writeString(clicks, """
                {"user_id": 1, "ts": "2024-01-01 10:00:01"}
                {"user_id": 1, "ts": "2024-01-01 10:00:12"}
                {"user_id": 2, "ts": "2024-01-01 10:00:05"}
                {"user_id": 1, "ts": "2024-01-01 10:00:09"}
                {"user_id": 2, "ts": "2024-01-01 10:00:14"}
                """);
        Path out = temp.resolve("late");
        try (RunningServer server = RunningServer.start(temp.resolve("data"));
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM clicks (user_id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)"
                    + " WITH ('connector' = 'file', 'path' = '" + clicks + "', 'format' = 'json')");
            statement.execute("CREATE STREAM late_clicks " + LATE_COLUMNS
                    + " WITH ('connector' = 'file', 'path' = '" + out + "', 'format' = 'json')");
            statement.execute("SET 'batch.interval' = '20 ms'");
            statement.execute("SET 'source.max-batch-rows' = '1'");
            statement.execute("SET 'late-rows.sink' = 'late_clicks'");
            statement.execute("SET 'parallelism' = '1'"); // one task (the persistent query below runs as two)
            int rows = 0;
            try (ResultSet result = statement.executeQuery("SELECT STREAM user_id, window_start, COUNT(*) AS n"
                    + " FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY user_id, window_start, window_end")) {
                while (result.next()) {
                    rows++;
                }
            }
            assertThat(rows).isEqualTo(3); // u1 [10:00:00) 1, u1 [10:00:10) 1, u2 [10:00:10) 1
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(eventTimes(committedRows(out)))
                    .containsExactly("2024-01-01 10:00:05.000", "2024-01-01 10:00:09.000"));
            JsonNode first = committedRows(out).stream().filter(row -> row.get("event_time").asText().endsWith("05.000"))
                    .findFirst().orElseThrow();
            assertThat(first.get("stream_name").asText()).isEqualTo("clicks");
            assertThat(first.get("watermark").asText()).isEqualTo("2024-01-01 10:00:11.000");
            assertThat(first.get("query_id").asText()).isNotEmpty();
            assertThat(JSON.readTree(first.get("row_json").asText()).get("user_id").asLong()).isEqualTo(2);
        }
    }

    @Test
    void aPersistentQueryDeliversItsLateRowsWithItsCheckpointsAcrossARestart() throws Exception {
        Path events = temp.resolve("events");
        Files.createDirectories(events);
        Path results = temp.resolve("results");
        Path late = temp.resolve("late");
        Path data = temp.resolve("data");
        Files.writeString(events.resolve("part-1.json"), """
                {"url": "/a", "ts": "2024-01-01 10:00:01"}
                {"url": "/a", "ts": "2024-01-01 10:00:12"}
                """);
        try (RunningServer server = RunningServer.start(data);
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM ev (url VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)"
                    + " WITH ('connector' = 'file', 'path' = '" + events + "', 'glob' = '*.json', 'format' = 'json',"
                    + " 'watch' = 'true', 'watch.interval' = '50 ms')");
            statement.execute("CREATE STREAM hits (url VARCHAR, window_start TIMESTAMP(3), n BIGINT)"
                    + " WITH ('connector' = 'file', 'path' = '" + results + "', 'format' = 'json')");
            statement.execute("CREATE STREAM late_ev (stream_name VARCHAR, row_json VARCHAR, event_time BIGINT)"
                    + " WITH ('connector' = 'file', 'path' = '" + late + "', 'format' = 'json')");
            statement.execute("SET 'batch.interval' = '20 ms'");
            statement.execute("SET 'checkpoint.interval' = '0 s'");
            statement.execute("SET 'late-rows.sink' = 'late_ev'");
            statement.execute("INSERT INTO hits SELECT STREAM url, window_start, COUNT(*) AS n"
                    + " FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY url, window_start, window_end");
            // watermark 10:00:11 fired [10:00:00, 10:00:10)
            await().atMost(TIMEOUT).until(() -> committedRows(results).size() == 1);
            Files.writeString(events.resolve("part-2.json"), "{\"url\": \"/b\", \"ts\": \"2024-01-01 10:00:03\"}\n");
            await().atMost(TIMEOUT).until(() -> committedRows(late).size() == 1);
        }
        // a late row while the server is down, read after the restart from the last checkpoint's positions
        Files.writeString(events.resolve("part-3.json"), "{\"url\": \"/c\", \"ts\": \"2024-01-01 10:00:04\"}\n");
        try (RunningServer server = RunningServer.start(data)) {
            await().atMost(TIMEOUT).until(() -> committedRows(late).size() == 2);
            Files.writeString(events.resolve("part-4.json"), "{\"url\": \"/a\", \"ts\": \"2024-01-01 10:00:25\"}\n");
            await().atMost(TIMEOUT).until(() -> committedRows(results).size() == 2); // [10:00:10) fired
            // each late row once: none lost, none written again by the restart
            List<JsonNode> rows = committedRows(late);
            assertThat(rows).hasSize(2);
            assertThat(rows.stream().map(row -> row.get("event_time").asLong()).sorted().toList())
                    .containsExactly(1704103203000L, 1704103204000L);
            assertThat(rows).allSatisfy(row -> {
                assertThat(row.get("stream_name").asText()).isEqualTo("ev");
                assertThat(row.has("query_id")).isFalse();
            });
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
                 Statement statement = connection.createStatement();
                 ResultSet queries = statement.executeQuery("SELECT late_rows FROM sys.queries WHERE kind = 'PERSISTENT'")) {
                assertThat(queries.next()).isTrue();
                assertThat(queries.getLong(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void aMaterializedViewWritesItsLateRowsIntoAFileSink() throws Exception {
        Path events = temp.resolve("events");
        Files.createDirectories(events);
        Path late = temp.resolve("late");
        Files.writeString(events.resolve("part-1.json"), "{\"url\": \"/a\", \"ts\": \"2024-01-01 10:00:01\"}\n"
                + "{\"url\": \"/a\", \"ts\": \"2024-01-01 10:00:12\"}\n");
        try (RunningServer server = RunningServer.start(temp.resolve("data"));
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM ev (url VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)"
                    + " WITH ('connector' = 'file', 'path' = '" + events + "', 'glob' = '*.json', 'format' = 'json',"
                    + " 'watch' = 'true', 'watch.interval' = '50 ms')");
            statement.execute("CREATE STREAM late_ev " + LATE_COLUMNS
                    + " WITH ('connector' = 'file', 'path' = '" + late + "', 'format' = 'json')");
            statement.execute("SET 'batch.interval' = '20 ms'");
            statement.execute("SET 'checkpoint.interval' = '0 s'");
            statement.execute("SET 'late-rows.sink' = 'late_ev'");
            statement.execute("CREATE MATERIALIZED VIEW hits AS SELECT url, window_start, COUNT(*) AS n"
                    + " FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY url, window_start, window_end");
            await().atMost(TIMEOUT).untilAsserted(() -> {
                try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM hits")) {
                    rows.next();
                    assertThat(rows.getLong(1)).isEqualTo(2);
                }
            });
            Files.writeString(events.resolve("part-2.json"), "{\"url\": \"/b\", \"ts\": \"2024-01-01 10:00:03\"}\n");
            await().atMost(TIMEOUT).until(() -> committedRows(late).size() == 1);
            JsonNode row = committedRows(late).get(0);
            assertThat(row.get("query_id").asText()).isEqualTo("view:hits"); // a query id that is no file name as it is
            assertThat(row.get("event_time").asText()).isEqualTo("2024-01-01 10:00:03.000");
        }
    }

    @Test
    void startingAQueryNeedsInsertOnTheTarget() throws Exception {
        String adminPassword = "adm1n-secret";
        try (RunningServer server = RunningServer.start(temp.resolve("data"),
                builder -> builder.adminPassword(java.util.Optional.of(new io.weir.server.config.Secret(adminPassword))));
             Connection admin = DriverManager.getConnection(server.jdbcUrl(), credentials("admin", adminPassword));
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE STREAM ticks (n BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '10')");
            statement.execute("CREATE STREAM late_ticks " + LATE_COLUMNS
                    + " WITH ('connector' = 'file', 'path' = '" + temp.resolve("late") + "', 'format' = 'json')");
            statement.execute("CREATE USER bob WITH PASSWORD 'b0b-pass'");
            statement.execute("GRANT SELECT ON STREAM ticks TO bob");
            try (Connection bob = DriverManager.getConnection(server.jdbcUrl(), credentials("bob", "b0b-pass"));
                 Statement bobs = bob.createStatement()) {
                bobs.execute("SET 'late-rows.sink' = 'late_ticks'");
                assertThatThrownBy(() -> bobs.executeQuery("SELECT STREAM n FROM ticks"))
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getSQLState()).isEqualTo("42501");
                            assertThat(e.getMessage()).contains("lacks INSERT on stream 'late_ticks'");
                        });
                statement.execute("GRANT INSERT ON STREAM late_ticks TO bob");
                try (ResultSet rows = bobs.executeQuery("SELECT STREAM n FROM ticks LIMIT 1")) {
                    assertThat(rows.next()).isTrue();
                }
            }
        }
    }

    private static java.util.Properties credentials(String user, String password) {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return properties;
    }

    @Test
    void theTargetIsCheckedWhenAQueryStarts() throws Exception {
        try (RunningServer server = RunningServer.start(temp.resolve("data"));
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM ticks (n BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '10')");
            statement.execute("CREATE STREAM wrong_columns (query_id VARCHAR, note VARCHAR)"
                    + " WITH ('connector' = 'file', 'path' = '" + temp.resolve("w") + "', 'format' = 'json')");
            statement.execute("CREATE STREAM wrong_type (event_time VARCHAR)"
                    + " WITH ('connector' = 'file', 'path' = '" + temp.resolve("t") + "', 'format' = 'json')");
            String query = "SELECT STREAM n FROM ticks";
            statement.execute("SET 'late-rows.sink' = 'nowhere'");
            assertThatThrownBy(() -> statement.executeQuery(query)).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("42S02");
                assertThat(e.getMessage()).contains("'late-rows.sink' names 'nowhere', which does not exist");
            });
            statement.execute("SET 'late-rows.sink' = 'ticks'");
            assertThatThrownBy(() -> statement.executeQuery(query)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getMessage()).contains("cannot be written to"));
            statement.execute("SET 'late-rows.sink' = 'wrong_columns'");
            assertThatThrownBy(() -> statement.executeQuery(query)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getMessage()).contains("Column 'note' of 'wrong_columns'", "is not a field of a late row"));
            statement.execute("SET 'late-rows.sink' = 'wrong_type'");
            assertThatThrownBy(() -> statement.executeQuery(query)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getMessage()).contains("takes TIMESTAMP(3) or BIGINT"));
            statement.execute("RESET 'late-rows.sink'");
            try (ResultSet rows = statement.executeQuery(query + " LIMIT 1")) {
                assertThat(rows.next()).isTrue();
            }
        }
    }
}

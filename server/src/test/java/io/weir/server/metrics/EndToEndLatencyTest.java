package io.weir.server.metrics;

import io.weir.server.testing.RunningServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The end-to-end latency of a real server's queries, from records posted to {@code /ingest} to the first result rows
 * they contribute to: a window's records count until the window's row is taken, not only the last micro-batch; a
 * query writing to a sink measures both latencies when its batches hand rows to the sink.
 */
class EndToEndLatencyTest {
    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void aWindowsRecordsCountFromTheirArrivalUntilItsRowIsTaken(int parallelism) throws Exception {
        try (RunningServer server = RunningServer.start(dataDir, parallelism);
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM readings (sensor VARCHAR, temp DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)"
                    + " WITH ('connector' = 'http')");
            statement.execute("SET 'batch.interval' = '20 ms'");
            try (ResultSet rows = statement.executeQuery("SELECT STREAM sensor, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE readings,"
                    + " DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY sensor, window_start, window_end")) {
                String queryId = runningQueryId(server);
                long beforeFirst = System.nanoTime();
                post(server, "{\"sensor\": \"a\", \"temp\": 1, \"ts\": \"2024-01-01 10:00:01\"}\n".repeat(10));
                long afterFirst = System.nanoTime();
                // the window stays open while the query has read its records
                await().atMost(Duration.ofSeconds(30)).until(() -> rowsIn(server, queryId) >= 10);
                long beforeClosing = System.nanoTime();
                post(server, "{\"sensor\": \"a\", \"temp\": 1, \"ts\": \"2024-01-01 10:00:15\"}\n");
                assertThat(rows.next()).isTrue();
                long taken = System.nanoTime();
                assertThat(rows.getLong("n")).isEqualTo(10);

                // the ten records waited from their arrival (after beforeFirst) until their row was taken (before taken),
                // which the closing record's arrival (after beforeClosing) preceded
                double[] latency = await().atMost(Duration.ofSeconds(30)).until(() -> latencies(server, queryId), l -> l[2] >= 0);
                double lowerMillis = (beforeClosing - afterFirst) / 1e6;
                double upperMillis = (taken - beforeFirst) / 1e6;
                assertThat(latency[2]).as("end-to-end p50").isBetween(lowerMillis * 0.98, upperMillis * 1.02);
                assertThat(latency[3]).as("end-to-end p99").isBetween(lowerMillis * 0.98, upperMillis * 1.02);
                // the result latency counts only from the micro-batch that fired the window
                assertThat(latency[1]).as("result latency p99").isLessThan(latency[2]);

                String series = "weir_query_end_to_end_latency_seconds{kind=\"push\",quantile=\"0.99\",query=\"" + queryId + "\"}";
                double scraped = scrapedValue(server, series);
                assertThat(scraped * 1000).isBetween(lowerMillis * 0.98, upperMillis * 1.02);
                try (Statement show = DriverManager.getConnection(server.jdbcUrl()).createStatement();
                     ResultSet queries = show.executeQuery("SHOW QUERIES")) {
                    assertThat(queries.next()).isTrue();
                    assertThat(queries.getDouble("end_to_end_latency_p99_ms")).isBetween(lowerMillis * 0.98, upperMillis * 1.02);
                }
            }
        }
    }

    @Test
    void aQueryWritingToASinkMeasuresWhenItsBatchesHandTheRowsOver() throws Exception {
        Path out = Files.createDirectories(dataDir.resolve("out"));
        try (RunningServer server = RunningServer.start(dataDir, builder -> builder.parallelism(1)
                .fileRoots(java.util.List.of(out)));
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM readings (sensor VARCHAR, temp DOUBLE) WITH ('connector' = 'http')");
            statement.execute("CREATE STREAM hot (sensor VARCHAR, temp DOUBLE) WITH ('connector' = 'file', 'path' = '"
                    + out.resolve("hot") + "')");
            statement.execute("SET 'batch.interval' = '20 ms'");
            statement.execute("INSERT INTO hot SELECT sensor, temp FROM readings WHERE temp > 30");
            String queryId = runningQueryId(server);
            long before = System.nanoTime();
            post(server, "{\"sensor\": \"a\", \"temp\": 35}\n{\"sensor\": \"b\", \"temp\": 20}\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> latencies(server, queryId)[2] >= 0);
            double upperMillis = (System.nanoTime() - before) / 1e6;
            double[] latency = latencies(server, queryId);
            assertThat(latency[0]).as("result latency p50").isBetween(0.0, upperMillis);
            assertThat(latency[2]).as("end-to-end p50").isBetween(latency[0] * 0.98, upperMillis * 1.02);
        }
    }

    private static String runningQueryId(RunningServer server) throws SQLException {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
                 Statement show = connection.createStatement();
                 ResultSet queries = show.executeQuery("SELECT query_id FROM sys.queries WHERE ended IS NULL")) {
                return queries.next() ? queries.getString(1) : null;
            }
        }, id -> id != null);
    }

    private static long rowsIn(RunningServer server, String queryId) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement show = connection.createStatement();
             ResultSet queries = show.executeQuery("SELECT rows_in FROM sys.queries WHERE query_id = '" + queryId + "'")) {
            return queries.next() ? queries.getLong(1) : 0;
        }
    }

    /** Result latency p50, p99, end-to-end latency p50, p99 in ms; -1 for each not known. */
    private static double[] latencies(RunningServer server, String queryId) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement show = connection.createStatement();
             ResultSet queries = show.executeQuery("SELECT result_latency_p50_ms, result_latency_p99_ms,"
                     + " end_to_end_latency_p50_ms, end_to_end_latency_p99_ms FROM sys.queries WHERE query_id = '" + queryId + "'")) {
            double[] values = {-1, -1, -1, -1};
            if (queries.next()) {
                for (int i = 0; i < 4; i++) {
                    double value = queries.getDouble(i + 1);
                    values[i] = queries.wasNull() ? -1 : value;
                }
            }
            return values;
        }
    }

    private void post(RunningServer server, String ndjson) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/ingest/readings")).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(ndjson)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
    }

    private double scrapedValue(RunningServer server, String series) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(series) + " (\\S+)$")
                .matcher(body);
        assertThat(matcher.find()).as("series " + series + " in:\n" + body).isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}

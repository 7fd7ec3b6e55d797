package io.weir.server.metrics;

import io.weir.server.config.Secret;
import io.weir.server.testing.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * GET /metrics over a real server, as Prometheus scrapes it: the JVM's and the server's meters, a running
 * query's (gone once it ends), sources', requests by route and failed statements by SQLSTATE class;
 * behind authentication on a server with users.
 */
class MetricsEndpointTest {
    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private HttpResponse<String> scrape(RunningServer server, Optional<String> basicAuth) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).GET();
        basicAuth.ifPresent(credentials -> request.header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double value(String metrics, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        assertThat(matcher.find()).as("series " + series + " in:\n" + metrics).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    @Test
    void aScrapeShowsTheJvmTheServerAndEachRunningQuery() throws Exception {
        try (RunningServer server = RunningServer.start(dataDir, 1);
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM ticks (id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)"
                    + " WITH ('connector' = 'datagen', 'rows-per-second' = '200', 'fields.id.kind' = 'sequence')");
            assertThatThrownBy(() -> statement.execute("SELECT nope FROM ticks")).isInstanceOf(SQLException.class);
            try (Statement push = connection.createStatement();
                 ResultSet rows = push.executeQuery("SELECT STREAM id FROM ticks")) {
                assertThat(rows.next()).isTrue();
                String queryId;
                try (Statement show = DriverManager.getConnection(server.jdbcUrl()).createStatement();
                     ResultSet queries = show.executeQuery("SELECT query_id FROM sys.queries")) {
                    assertThat(queries.next()).isTrue();
                    queryId = queries.getString(1);
                }
                String rowsIn = "weir_query_rows_in_total{kind=\"push\",query=\"" + queryId + "\"}";
                await().atMost(Duration.ofSeconds(30)).until(() -> value(scrape(server, Optional.empty()).body(), rowsIn) > 0);

                HttpResponse<String> response = scrape(server, Optional.empty());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
                String metrics = response.body();
                assertThat(metrics).contains("jvm_memory_used_bytes{area=\"heap\"").contains("jvm_threads_live_threads")
                        .contains("process_uptime_seconds").contains("jvm_gc_");
                assertThat(value(metrics, "weir_connections")).isGreaterThanOrEqualTo(1);
                assertThat(value(metrics, "weir_query_parallelism{kind=\"push\",query=\"" + queryId + "\"}")).isEqualTo(1);
                assertThat(value(metrics, "weir_query_batches_total{kind=\"push\",query=\"" + queryId + "\"}")).isPositive();
                assertThat(value(metrics, "weir_query_batch_duration_seconds_count{kind=\"push\",query=\"" + queryId + "\"}"))
                        .isPositive();
                assertThat(value(metrics, "weir_query_batch_duration_seconds_sum{kind=\"push\",query=\"" + queryId + "\"}"))
                        .isPositive();
                assertThat(value(metrics, "weir_query_output_queue_rows{kind=\"push\",query=\"" + queryId + "\"}"))
                        .isGreaterThanOrEqualTo(0);
                assertThat(value(metrics, "weir_source_records_read_total{source=\"ticks\"}")).isPositive();
                assertThat(value(metrics, "weir_statement_errors_total{sqlstate_class=\"42\"}")).isEqualTo(1);
                assertThat(metrics).containsPattern("weir_http_requests_seconds_count\\{method=\"POST\",route=\"/\",status=\"200\"} \\d+");
                // the Grafana dashboard in docs/ plots only what a server exports
                String dashboard = Files.readString(Path.of("..", "docs", "grafana", "weir-dashboard.json"));
                Matcher names = Pattern.compile("\\b((?:weir|jvm)_[a-z_]+)").matcher(dashboard);
                int plotted = 0;
                while (names.find()) {
                    plotted++;
                    assertThat(metrics).as("metric " + names.group(1) + " of the dashboard").containsPattern("(?m)^" + names.group(1) + "[{ ]");
                }
                assertThat(plotted).isGreaterThan(10);
                // rows were taken: the result latency is known, in the scrape and in sys.queries
                await().atMost(Duration.ofSeconds(30)).until(() -> !Double.isNaN(value(scrape(server, Optional.empty()).body(),
                        "weir_query_result_latency_seconds{kind=\"push\",quantile=\"0.99\",query=\"" + queryId + "\"}")));
                try (Statement show = DriverManager.getConnection(server.jdbcUrl()).createStatement();
                     ResultSet latency = show.executeQuery("SELECT result_latency_p50_ms, result_latency_p99_ms FROM sys.queries"
                             + " WHERE query_id = '" + queryId + "'")) {
                    assertThat(latency.next()).isTrue();
                    assertThat(latency.getDouble(1)).isGreaterThanOrEqualTo(0);
                    assertThat(latency.getDouble(2)).isGreaterThanOrEqualTo(latency.getDouble(1));
                }
            }
            // the query ended with its result set: its meters go at the next scrape
            await().atMost(Duration.ofSeconds(30)).until(() -> !scrape(server, Optional.empty()).body().contains("weir_query_rows_in_total"));
        }
    }

    @Test
    void onAServerWithUsersAScrapeNeedsCredentials() throws Exception {
        try (RunningServer server = RunningServer.start(dataDir, builder -> builder.adminPassword(Optional.of(new Secret("s3cret-pass"))))) {
            HttpResponse<String> anonymous = scrape(server, Optional.empty());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).doesNotContain("jvm_");
            assertThat(scrape(server, Optional.of("admin:wrong")).statusCode()).isEqualTo(401);
            HttpResponse<String> admin = scrape(server, Optional.of("admin:s3cret-pass"));
            assertThat(admin.statusCode()).isEqualTo(200);
            assertThat(admin.body()).contains("weir_connections");
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl() + "?user=admin&password=s3cret-pass");
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE USER viewer WITH PASSWORD 'viewer-pass-1'");
            }
            HttpResponse<String> viewer = scrape(server, Optional.of("viewer:viewer-pass-1"));
            assertThat(viewer.statusCode()).isEqualTo(403);
            assertThat(viewer.body()).contains("GRANT METRICS TO viewer").doesNotContain("weir_");
            // a scraper's user: METRICS and nothing else
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl() + "?user=admin&password=s3cret-pass");
                 Statement statement = connection.createStatement()) {
                statement.execute("GRANT METRICS TO viewer");
                try (ResultSet grants = statement.executeQuery("SHOW GRANTS FOR viewer")) {
                    assertThat(grants.next()).isTrue();
                    assertThat(grants.getString("privilege") + " " + grants.getString("object_kind")).isEqualTo("METRICS SERVER");
                }
            }
            HttpResponse<String> granted = scrape(server, Optional.of("viewer:viewer-pass-1"));
            assertThat(granted.statusCode()).isEqualTo(200);
            assertThat(granted.body()).contains("weir_connections");
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl() + "?user=viewer&password=viewer-pass-1");
                 Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.execute("CREATE STREAM s (v INT) WITH ('connector' = 'datagen')"))
                        .isInstanceOfSatisfying(java.sql.SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            }
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl() + "?user=admin&password=s3cret-pass");
                 Statement statement = connection.createStatement()) {
                statement.execute("REVOKE METRICS FROM viewer");
            }
            assertThat(scrape(server, Optional.of("viewer:viewer-pass-1")).statusCode()).isEqualTo(403);
        }
    }

    @Test
    void sinksCountRowsBytesAndRetries() throws Exception {
        // a webhook receiver that answers the first request 503 and the others 200
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicLong receivedBytes = new java.util.concurrent.atomic.AtomicLong();
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            boolean first = requests.getAndIncrement() == 0;
            if (!first) {
                receivedBytes.addAndGet(body.length);
            }
            exchange.sendResponseHeaders(first ? 503 : 200, -1);
            exchange.close();
        });
        receiver.start();
        try (RunningServer server = RunningServer.start(dataDir, 1);
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM readings (v INT) WITH ('connector' = 'http')");
            statement.execute("CREATE STREAM alerts (v INT) WITH ('connector' = 'webhook', 'url' = 'http://127.0.0.1:"
                    + receiver.getAddress().getPort() + "/hook', 'retry.initial-backoff' = '10 ms')");
            statement.execute("INSERT INTO alerts SELECT STREAM v FROM readings WHERE v > 1");
            HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/ingest/readings"))
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"v\": 1}\n{\"v\": 2}\n{\"v\": 3}\n")).build();
            assertThat(http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> receivedBytes.get() > 0);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String metrics = scrape(server, Optional.empty()).body();
                assertThat(value(metrics, "weir_sink_rows_written_total{sink=\"alerts\"}")).isEqualTo(2);
                assertThat(value(metrics, "weir_sink_bytes_sent_total{sink=\"alerts\"}")).isEqualTo(receivedBytes.get());
                assertThat(value(metrics, "weir_sink_retries_total{sink=\"alerts\"}")).isEqualTo(1);
            });
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void ingestedRecordsAreCountedPerStreamAndOutcome() throws Exception {
        try (RunningServer server = RunningServer.start(dataDir, 1);
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM readings (v INT) WITH ('connector' = 'http', 'on-error' = 'skip')");
            HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/ingest/readings"))
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"v\": 1}\n{\"v\": \"not a number\"}\n{\"v\": 3}\n")).build();
            assertThat(http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            String metrics = scrape(server, Optional.empty()).body();
            assertThat(value(metrics, "weir_ingest_records_total{outcome=\"accepted\",stream=\"readings\"}")).isEqualTo(2);
            assertThat(value(metrics, "weir_ingest_records_total{outcome=\"rejected\",stream=\"readings\"}")).isEqualTo(1);
            assertThat(metrics).containsPattern("weir_http_requests_seconds_count\\{method=\"POST\",route=\"/ingest/\\*\",status=\"200\"} 1");
        }
    }

    @Test
    void theBytesOfTheRecordsAQueryReadsAreCounted() throws Exception {
        try (RunningServer server = RunningServer.start(dataDir, 1);
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM readings (v INT) WITH ('connector' = 'http')");
            try (ResultSet rows = statement.executeQuery("SELECT STREAM v FROM readings")) {
                HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/ingest/readings"))
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"v\": 1}\n{\"v\": 22}\n")).build();
                assertThat(http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                assertThat(rows.next()).isTrue();
                assertThat(rows.next()).isTrue();
                // the two records' bytes, 8 and 9, without their line ends
                await().atMost(Duration.ofSeconds(30)).until(() -> value(scrape(server, Optional.empty()).body(),
                        "weir_source_bytes_read_total{source=\"readings\"}") == 17);
                try (Statement show = DriverManager.getConnection(server.jdbcUrl()).createStatement();
                     ResultSet statistics = show.executeQuery("SELECT bytes_read FROM sys.source_statistics WHERE object_name = 'readings'")) {
                    assertThat(statistics.next()).isTrue();
                    assertThat(statistics.getLong(1)).isEqualTo(17);
                }
            }
        }
    }

    @Test
    void aPersistentQueryShowsItsCheckpointAgeAndFailedAttempts() throws Exception {
        try (RunningServer server = RunningServer.start(dataDir, 1);
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM ticks (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '50')");
            statement.execute("CREATE STREAM copied (id BIGINT) WITH ('connector' = 'file', 'path' = '" + dataDir.resolve("copied") + "')");
            statement.execute("SET 'checkpoint.interval' = '0 s'");
            String queryId;
            try (ResultSet started = statement.executeQuery("INSERT INTO copied SELECT STREAM id FROM ticks")) {
                assertThat(started.next()).isTrue();
                queryId = started.getString(1);
            }
            String age = "weir_query_checkpoint_age_seconds{kind=\"persistent\",query=\"" + queryId + "\"}";
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                double seconds = value(scrape(server, Optional.empty()).body(), age);
                return !Double.isNaN(seconds) && seconds >= 0 && seconds < 30;
            });
            assertThat(value(scrape(server, Optional.empty()).body(),
                    "weir_query_failed_attempts{kind=\"persistent\",query=\"" + queryId + "\"}")).isZero();
        }
    }
}

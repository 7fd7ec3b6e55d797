package io.weir.benchmarks;

import io.weir.server.config.ServerConfig;
import io.weir.server.launcher.WeirServer;
import io.weir.server.meta.WeirMeta;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How long {@code GET /metrics} takes with many running queries: {@code --queries} push queries (a TUMBLE
 * count over a datagen stream each, read by a client of its own), then {@code --scrapes} scrapes one after
 * another over loopback; prints the scrape time's percentiles and the size of the answer. Goal (issue 12):
 * at most 50 ms with 100 running queries.
 *
 * <p>Usage: {@code MetricsScrapeBenchmark [--queries 100] [--scrapes 200] [--warmup-scrapes 50]}.
 */
public final class MetricsScrapeBenchmark {
    public static void main(String[] args) throws Exception {
        int queries = 100;
        int scrapes = 200;
        int warmup = 50;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--queries" -> queries = Integer.parseInt(args[i + 1]);
                case "--scrapes" -> scrapes = Integer.parseInt(args[i + 1]);
                case "--warmup-scrapes" -> warmup = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; use --queries, --scrapes, --warmup-scrapes");
            }
        }
        Path dataDir = ScratchDirectories.create("weir-metrics-benchmark");
        ServerConfig config = ServerConfig.builder().bindAddress("127.0.0.1").port(0).pgPort(0).dataDir(dataDir).parallelism(1).build();
        AtomicBoolean stopping = new AtomicBoolean();
        ExecutorService readers = Executors.newFixedThreadPool(queries);
        try (WeirServer server = WeirServer.start(config, new WeirMeta(config))) {
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE STREAM ticks (k BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)"
                        + " WITH ('connector' = 'datagen', 'rows-per-second' = '50', 'fields.k.kind' = 'random',"
                        + " 'fields.k.min' = '0', 'fields.k.max' = '99')");
            }
            List<Connection> clients = new ArrayList<>();
            for (int q = 0; q < queries; q++) {
                Connection client = DriverManager.getConnection(server.jdbcUrl());
                clients.add(client);
                readers.submit(() -> {
                    try (Statement statement = client.createStatement();
                         ResultSet rows = statement.executeQuery("SELECT STREAM k, COUNT(*) AS n"
                                 + " FROM TABLE(TUMBLE(TABLE ticks, DESCRIPTOR(ts), INTERVAL '1' SECOND)) GROUP BY k, window_start, window_end")) {
                        while (!stopping.get() && rows.next()) {
                            rows.getLong(2);
                        }
                    }
                    return null;
                });
            }
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest scrape = HttpRequest.newBuilder(URI.create(server.httpUrl() + "/metrics")).timeout(Duration.ofSeconds(30)).build();
            int running = 0;
            while (running < queries) {
                String body = http.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
                running = (int) body.lines().filter(line -> line.startsWith("weir_query_parallelism{")).count();
                Thread.sleep(200); // a benchmark waiting for its setup, not a test
            }
            Histogram micros = new Histogram(3);
            long bytes = 0;
            for (int i = 0; i < warmup + scrapes; i++) {
                long started = System.nanoTime();
                HttpResponse<String> response = http.send(scrape, HttpResponse.BodyHandlers.ofString());
                long elapsed = (System.nanoTime() - started) / 1_000;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("GET /metrics answered " + response.statusCode());
                }
                if (i >= warmup) {
                    micros.recordValue(elapsed);
                    bytes = response.body().length();
                }
            }
            System.out.printf(Locale.ROOT, "GET /metrics with %d running queries, %d scrapes: p50 %.1f ms, p99 %.1f ms, max %.1f ms;"
                            + " %,d characters%n", queries, scrapes, micros.getValueAtPercentile(50) / 1000.0,
                    micros.getValueAtPercentile(99) / 1000.0, micros.getMaxValue() / 1000.0, bytes);
            stopping.set(true);
            for (Connection client : clients) {
                client.close();
            }
        } finally {
            readers.shutdownNow();
        }
    }
}

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
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Result latency of windowed push queries fed through HTTP ingest at a steady rate: records stamped with
 * the wall clock are posted every 10 ms (the watermark trails the newest by {@code --delay-ms}); a push
 * query over JDBC counts them per {@code TUMBLE 1 s} window or per {@code HOP 1 s / 10 s} window with a
 * {@code --batch-interval-ms} micro-batch. For each result row the client computes the time from the
 * moment its window could close (its end plus the watermark delay: the first record past it closes it) to
 * the row reaching the client; it prints those percentiles, and the server's own (sys.queries: from the
 * start of the micro-batch that fired the window to the client taking the row).
 *
 * <p>Usage: {@code ResultLatencyBenchmark [--rate 20000] [--seconds 60] [--warmup-seconds 15]
 * [--batch-interval-ms 50] [--delay-ms 0] [--window tumble|hop]}.
 */
public final class ResultLatencyBenchmark {
    public static void main(String[] args) throws Exception {
        int rate = 20_000;
        int seconds = 60;
        int warmupSeconds = 15;
        long batchMillis = 50;
        long delayMillis = 0;
        String window = "tumble";
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--rate" -> rate = Integer.parseInt(value);
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(value);
                case "--batch-interval-ms" -> batchMillis = Long.parseLong(value);
                case "--delay-ms" -> delayMillis = Long.parseLong(value);
                case "--window" -> window = value;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --rate, --seconds, --warmup-seconds, --batch-interval-ms, --delay-ms, --window");
            }
        }
        String windowFunction = switch (window) {
            case "tumble" -> "TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' SECOND)";
            case "hop" -> "HOP(TABLE events, DESCRIPTOR(ts), INTERVAL '1' SECOND, INTERVAL '10' SECOND)";
            default -> throw new IllegalArgumentException("--window is tumble or hop");
        };
        Path dataDir = Files.createTempDirectory("weir-latency-bench");
        ServerConfig config = ServerConfig.builder().bindAddress("127.0.0.1").port(0).pgPort(0).dataDir(dataDir).parallelism(1).build();
        AtomicBoolean stopping = new AtomicBoolean();
        AtomicLong posted = new AtomicLong();
        try (WeirServer server = WeirServer.start(config, new WeirMeta(config));
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM events (k INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '"
                    + String.format(Locale.ROOT, "%.3f", delayMillis / 1000.0) + "' SECOND) WITH ('connector' = 'http', 'format' = 'json', 'wal.sync' = 'interval')");
            statement.execute("SET 'batch.interval' = '" + batchMillis + " ms'");
            int perPost = Math.max(1, rate / 100);
            Thread feeder = feeder(server, perPost, stopping, posted);
            Histogram clientMicros = new Histogram(3);
            long warmupEnd = System.currentTimeMillis() + warmupSeconds * 1000L;
            long end = warmupEnd + seconds * 1000L;
            long rows = 0;
            try (Statement push = connection.createStatement();
                 ResultSet results = push.executeQuery("SELECT STREAM window_end, COUNT(*) AS n FROM TABLE(" + windowFunction
                         + ") GROUP BY window_start, window_end")) {
                push.setFetchSize(1);
                while (System.currentTimeMillis() < end && results.next()) {
                    long now = System.currentTimeMillis();
                    long closable = results.getTimestamp(1).getTime() + delayMillis;
                    if (now >= warmupEnd) {
                        clientMicros.recordValue(Math.max(0, now - closable) * 1000);
                        rows++;
                    }
                }
                String serverSide = serverLatency(connection);
                stopping.set(true);
                feeder.join();
                System.out.printf(Locale.ROOT, "%s windows, HTTP ingest %,d records/s, %d ms micro-batches, watermark delay %d ms, %,d rows"
                                + " over %d s:%n  window closable -> row at the client: p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n"
                                + "  server (micro-batch start -> client takes the row): %s%n",
                        window.toUpperCase(Locale.ROOT), rate, batchMillis, delayMillis, rows, seconds,
                        clientMicros.getValueAtPercentile(50) / 1000.0, clientMicros.getValueAtPercentile(99) / 1000.0,
                        clientMicros.getValueAtPercentile(99.9) / 1000.0, clientMicros.getMaxValue() / 1000.0, serverSide);
            }
        } finally {
            stopping.set(true);
        }
    }

    private static String serverLatency(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT result_latency_p50_ms, result_latency_p99_ms FROM sys.queries WHERE ended IS NULL")) {
            return row.next() ? String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms (last one to two minutes)", row.getDouble(1),
                    row.getDouble(2)) : "no running query";
        }
    }

    /** Posts {@code perPost} records stamped now every 10 ms, until stopped. */
    private static Thread feeder(WeirServer server, int perPost, AtomicBoolean stopping, AtomicLong posted) {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create(server.httpUrl() + "/ingest/events");
        Thread thread = new Thread(() -> {
            long next = System.nanoTime();
            int k = 0;
            while (!stopping.get()) {
                StringBuilder body = new StringBuilder(perPost * 48);
                String ts = Instant.now().toString();
                for (int i = 0; i < perPost; i++) {
                    body.append("{\"k\": ").append(k++ % 100).append(", \"ts\": \"").append(ts).append("\"}\n");
                }
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-ndjson")
                            .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("POST answered " + response.statusCode() + ": " + response.body());
                    }
                    posted.addAndGet(perPost);
                } catch (Exception e) {
                    if (!stopping.get()) {
                        throw new IllegalStateException(e);
                    }
                    return;
                }
                next += 10_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // a steady feed, not a test waiting for a condition
                }
            }
        }, "feeder");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}

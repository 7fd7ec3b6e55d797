package io.weir.benchmarks;

import io.weir.server.config.ServerConfig;
import io.weir.server.launcher.WeirServer;
import io.weir.server.meta.WeirMeta;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /ingest/<stream>} on a real server on loopback with the write-ahead log on
 * ({@code 'wal.sync' = 'interval'}, the default): JSON lines bodies of {@code --records-per-body}
 * records, posted back to back on one connection and then by {@code --posters} concurrent clients.
 * Every reply is checked (200 and every record accepted), so a record counts only once it is on disk.
 * Prints records/s and MB/s for each. The targets: 200,000/s on one connection, 300,000/s with
 * 8 posters. No query reads the stream: this measures ingest, validation and the log.
 *
 * <p>Usage: {@code HttpIngestBenchmark [--records-per-body N] [--bodies N] [--posters N] [--sync always|interval]}.
 */
public final class HttpIngestBenchmark {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI uri;
    private final PrintStream out;

    HttpIngestBenchmark(int port, String stream, PrintStream out) {
        this.uri = URI.create("http://127.0.0.1:" + port + "/ingest/" + stream);
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        int recordsPerBody = 10_000;
        int bodies = 60;
        int posters = 8;
        String sync = "interval";
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--records-per-body" -> recordsPerBody = Integer.parseInt(args[i + 1]);
                case "--bodies" -> bodies = Integer.parseInt(args[i + 1]);
                case "--posters" -> posters = Integer.parseInt(args[i + 1]);
                case "--sync" -> sync = args[i + 1];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path dataDir = ScratchDirectories.create("weir-ingest-bench");
        ServerConfig config = ServerConfig.builder().bindAddress("127.0.0.1").port(0).pgPort(0).dataDir(dataDir).build();
        try (WeirServer server = WeirServer.start(config, new WeirMeta(config))) {
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE STREAM readings (sensor VARCHAR, seq BIGINT, temp DOUBLE, ts TIMESTAMP(3))"
                        + " WITH ('connector' = 'http', 'format' = 'json', 'wal.sync' = '" + sync + "',"
                        + " 'wal.max-bytes' = '16 GiB')");
            }
            HttpIngestBenchmark benchmark = new HttpIngestBenchmark(server.port(), "readings", System.out);
            byte[] body = body(recordsPerBody);
            System.out.printf(Locale.ROOT, "HTTP ingest, 'wal.sync' = '%s', bodies of %,d JSON lines (%,d bytes)%n", sync,
                    recordsPerBody, body.length);
            benchmark.run("warm-up, 1 connection", body, recordsPerBody, 1, Math.max(1, bodies / 3));
            benchmark.run("1 connection", body, recordsPerBody, 1, bodies);
            benchmark.run(posters + " concurrent posters", body, recordsPerBody, posters, Math.max(1, bodies / posters));
        } finally {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    /** {@code posters} threads each posting {@code bodiesEach} bodies back to back; prints the rate. */
    void run(String label, byte[] body, int recordsPerBody, int posters, int bodiesEach) throws Exception {
        AtomicLong records = new AtomicLong();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int p = 0; p < posters; p++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < bodiesEach; i++) {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/x-ndjson").timeout(Duration.ofMinutes(1))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200 || !response.body().contains("\"accepted\":" + recordsPerBody)) {
                            throw new IllegalStateException("POST answered " + response.statusCode() + ": " + response.body());
                        }
                        records.addAndGet(recordsPerBody);
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }, "poster-" + p);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!failures.isEmpty()) {
            throw new IllegalStateException(label + ": " + failures.size() + " poster(s) failed", failures.get(0));
        }
        out.printf(Locale.ROOT, "%-24s %,12d records in %6.2f s = %,10.0f records/s, %6.1f MB/s%n", label, records.get(),
                seconds, records.get() / seconds, records.get() * (double) body.length / recordsPerBody / seconds / 1e6);
    }

    private static byte[] body(int records) {
        StringBuilder text = new StringBuilder(records * 90);
        for (int i = 0; i < records; i++) {
            text.append("{\"sensor\": \"sensor-").append(i % 500).append("\", \"seq\": ").append(i)
                    .append(", \"temp\": ").append(15 + (i % 200) / 10.0).append(", \"ts\": \"2024-05-01T10:00:")
                    .append(String.format(Locale.ROOT, "%02d", i % 60)).append(".000Z\"}\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}

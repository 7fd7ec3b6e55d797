package io.weir.benchmarks;

import io.weir.server.config.ServerConfig;
import io.weir.server.launcher.WeirServer;
import io.weir.server.meta.WeirMeta;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The PostgreSQL endpoint's two busy paths, through pgjdbc on one in-process server over loopback:
 *
 * <ul>
 *   <li><b>Pull queries on a materialized view</b>: {@code --connections} clients, each with its own
 *       connection, run a prepared {@code SELECT ... WHERE url = ?} on a view of one row per URL of a bounded
 *       datagen stream of {@code --keys} × 100 rows (a dashboard's panel query) back to back for {@code --seconds} after {@code --warmup-seconds};
 *       prints queries per second and latency percentiles (HdrHistogram), and the failures.</li>
 *   <li><b>{@code COPY (SELECT STREAM ...) TO STDOUT}</b>: one client copies out a continuous query over a
 *       bounded datagen stream of {@code --copy-rows} rows (the query ends with the stream, so the COPY
 *       does too); prints rows and bytes per second as the client receives them.</li>
 * </ul>
 *
 * <p>Usage: {@code PgEndpointBenchmark [--connections 16] [--keys 100] [--warmup-seconds 10] [--seconds 30]
 * [--copy-rows 3000000]}. Run it on a quiet machine: the client and the server share the cores.
 */
public final class PgEndpointBenchmark {
    private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(1);

    private PgEndpointBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int connections = 16;
        int keys = 100;
        int warmupSeconds = 10;
        int seconds = 30;
        long copyRows = 3_000_000;
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--connections" -> connections = Integer.parseInt(value);
                case "--keys" -> keys = Integer.parseInt(value);
                case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(value);
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--copy-rows" -> copyRows = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --connections, --keys, --warmup-seconds, --seconds, --copy-rows");
            }
        }
        Path dataDir = ScratchDirectories.create("weir-pg-benchmark");
        ServerConfig config = ServerConfig.builder().bindAddress("127.0.0.1").port(0).pgPort(ServerConfig.FREE_PORT)
                .dataDir(dataDir).parallelism(1).build();
        try (WeirServer server = WeirServer.start(config, new WeirMeta(config))) {
            String url = "jdbc:postgresql://127.0.0.1:" + server.pgPort().orElseThrow() + "/weir";
            System.out.printf(Locale.ROOT, "Weir's PostgreSQL endpoint at %s; %d cores%n", url, Runtime.getRuntime().availableProcessors());
            pullQueries(url, connections, keys, warmupSeconds, seconds);
            copyOut(url, copyRows);
        }
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, "bench", "");
    }

    /** Clients running the same prepared pull query on a view, each on its own connection, as fast as they can. */
    private static void pullQueries(String url, int connections, int keys, int warmupSeconds, int seconds) throws Exception {
        try (Connection connection = connect(url); Statement statement = connection.createStatement()) {
            // a view of exactly `keys` rows that stays put: a bounded stream, aggregated per URL
            statement.execute("CREATE STREAM pg_bench_views (url VARCHAR, bytes BIGINT) WITH ('connector' = 'datagen',"
                    + " 'number-of-rows' = '" + keys * 100 + "', 'rows-per-second' = '1000000000', 'seed' = '7')");
            statement.execute("CREATE MATERIALIZED VIEW pg_bench_per_url AS SELECT url, COUNT(*) AS views, SUM(bytes) AS bytes"
                    + " FROM pg_bench_views GROUP BY url");
            List<String> urls = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (urls.isEmpty() && System.nanoTime() < deadline) {
                try (ResultSet rows = statement.executeQuery("SELECT url FROM pg_bench_per_url")) {
                    while (rows.next()) {
                        urls.add(rows.getString(1));
                    }
                }
                if (urls.isEmpty()) {
                    Thread.sleep(200); // the view fills in the background; nothing to wait on but time
                }
            }
            if (urls.isEmpty()) {
                throw new IllegalStateException("the materialized view has no rows after 60 s");
            }
            System.out.printf(Locale.ROOT, "%nPull queries: %d connections, prepared SELECT url, views, bytes FROM a view of %d rows"
                    + " WHERE url = ?, %d s after %d s of warm-up%n", connections, urls.size(), seconds, warmupSeconds);
            Recorder latencies = new Recorder(MAX_LATENCY_MICROS, 3);
            LongAdder queries = new LongAdder();
            AtomicLong failures = new AtomicLong();
            AtomicLong lastFailure = new AtomicLong();
            long start = System.nanoTime();
            long warmEnd = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
            long end = warmEnd + TimeUnit.SECONDS.toNanos(seconds);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                Thread client = new Thread(() -> {
                    try (Connection own = connect(url);
                         PreparedStatement query = own.prepareStatement("SELECT url, views, bytes FROM pg_bench_per_url WHERE url = ?")) {
                        boolean measuring = false;
                        while (true) {
                            long now = System.nanoTime();
                            if (now >= end) {
                                return;
                            }
                            if (!measuring && now >= warmEnd) {
                                measuring = true;
                            }
                            query.setString(1, urls.get(ThreadLocalRandom.current().nextInt(urls.size())));
                            long began = System.nanoTime();
                            try (ResultSet rows = query.executeQuery()) {
                                while (rows.next()) {
                                    rows.getLong(2);
                                }
                            } catch (SQLException e) {
                                failures.incrementAndGet();
                                lastFailure.set(System.nanoTime());
                                continue;
                            }
                            if (measuring) {
                                latencies.recordValue(Math.min(MAX_LATENCY_MICROS, (System.nanoTime() - began) / 1000));
                                queries.increment();
                            }
                        }
                    } catch (SQLException e) {
                        failures.incrementAndGet();
                    }
                }, "pg-bench-client-" + c);
                clients.add(client);
                client.start();
            }
            latencies.getIntervalHistogram(); // drop the warm-up's
            for (Thread client : clients) {
                client.join();
            }
            Histogram histogram = latencies.getIntervalHistogram();
            System.out.printf(Locale.ROOT, "  %,.0f queries/s; latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms; %d failed%n",
                    queries.sum() / (double) seconds, histogram.getValueAtPercentile(50) / 1000.0,
                    histogram.getValueAtPercentile(90) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
                    histogram.getMaxValue() / 1000.0, failures.get());
        }
    }

    /** One client copying out a continuous query over a bounded stream until it ends. */
    private static void copyOut(String url, long rows) throws Exception {
        try (Connection connection = connect(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM pg_bench_events (id BIGINT, url VARCHAR(40), bytes BIGINT, ts TIMESTAMP(3))"
                    + " WITH ('connector' = 'datagen', 'number-of-rows' = '" + rows + "', 'rows-per-second' = '1000000000', 'seed' = '3')");
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            for (String label : List.of("warm-up", "measured")) {
                CountingStream counted = new CountingStream();
                long began = System.nanoTime();
                long copied = copy.copyOut("COPY (SELECT STREAM id, url, bytes, ts FROM pg_bench_events) TO STDOUT", counted);
                double elapsed = (System.nanoTime() - began) / 1e9;
                System.out.printf(Locale.ROOT, "%nCOPY (SELECT STREAM ...) TO STDOUT, %s: %,d rows (%,d lines) in %.2f s: %,.0f rows/s,"
                        + " %.1f MB/s%n", label, copied, counted.lines, elapsed, copied / elapsed, counted.bytes / elapsed / 1e6);
            }
        }
    }

    /** Counts what the copy writes: bytes and lines. */
    private static final class CountingStream extends OutputStream {
        long bytes;
        long lines;

        @Override
        public void write(int b) {
            bytes++;
            if (b == '\n') {
                lines++;
            }
        }

        @Override
        public void write(byte[] buffer, int offset, int length) {
            bytes += length;
            for (int i = offset; i < offset + length; i++) {
                if (buffer[i] == '\n') {
                    lines++;
                }
            }
        }
    }
}

package io.weir.benchmarks;

import io.weir.server.config.ServerConfig;
import io.weir.server.launcher.WeirServer;
import io.weir.server.meta.WeirMeta;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Pull queries and metadata calls beside many push queries, on one in-process server over loopback:
 * {@code --push} clients each read a continuous query (a TUMBLE count that emits once every 2 s, so
 * its fetches mostly wait for rows), while {@code --pollers} dashboard clients each run a plain
 * {@code SELECT} on a materialized view, wait {@code --interval-ms} and run it again (closed loop: a
 * slow answer lowers the offered rate, as real dashboards do), and one client calls
 * {@code getTables} at the same interval. Each dashboard repeats its own query (one key of the
 * view, as a panel does); {@code --distinct-queries} spreads each client's queries over that many
 * keys instead, so that the same text comes back rarely. Prints the pull queries' and metadata calls' latency
 * percentiles (HdrHistogram), their rate, and the calls that failed (refused, timed out or an error).
 *
 * <p>Every client has its own JDBC connection. They share one JVM, hence one pool of HTTP
 * connections (Avatica's client keeps one per JVM and URL): its limits are raised to
 * {@code avatica.pooled.connections.max} / {@code .per.route} = 1000 so that the pool does not queue
 * requests, as it would not for clients on separate machines.
 *
 * <p>Usage: {@code PullUnderPushBenchmark [--push 50] [--pollers 150] [--interval-ms 100]
 * [--warmup-seconds 15] [--seconds 60] [--request-threads 64] [--rows-per-second 200] [--distinct-queries 1]}.
 */
public final class PullUnderPushBenchmark {
    private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(5);

    private final int push;
    private final int pollers;
    private final long intervalMillis;
    private final int distinctQueries;
    private final Recorder pulls = new Recorder(MAX_LATENCY_MICROS, 3);
    private final Recorder metadata = new Recorder(MAX_LATENCY_MICROS, 3);
    private final LongAdder pushRows = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final AtomicLong failureCount = new AtomicLong();
    private volatile boolean stopping;

    private PullUnderPushBenchmark(int push, int pollers, long intervalMillis, int distinctQueries) {
        this.push = push;
        this.pollers = pollers;
        this.intervalMillis = intervalMillis;
        this.distinctQueries = distinctQueries;
    }

    public static void main(String[] args) throws Exception {
        int push = 50;
        int pollers = 150;
        long intervalMillis = 100;
        int warmupSeconds = 15;
        int seconds = 60;
        int requestThreads = 64;
        int rowsPerSecond = 200;
        int distinctQueries = 1;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--push" -> push = Integer.parseInt(args[i + 1]);
                case "--pollers" -> pollers = Integer.parseInt(args[i + 1]);
                case "--interval-ms" -> intervalMillis = Long.parseLong(args[i + 1]);
                case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--request-threads" -> requestThreads = Integer.parseInt(args[i + 1]);
                case "--rows-per-second" -> rowsPerSecond = Integer.parseInt(args[i + 1]);
                case "--distinct-queries" -> distinctQueries = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        // before the first connection: the pool is created with it
        System.setProperty("avatica.pooled.connections.max", "1000");
        System.setProperty("avatica.pooled.connections.per.route", "1000");
        Path dataDir = ScratchDirectories.create("weir-pull-push-bench");
        ServerConfig config = ServerConfig.builder().bindAddress("127.0.0.1").port(0).pgPort(0).dataDir(dataDir)
                .requestThreads(requestThreads).build();
        try (WeirServer server = WeirServer.start(config, new WeirMeta(config))) {
            System.out.printf(Locale.ROOT, "%d push queries, %d clients polling a view every %d ms (%d distinct queries each),"
                            + " %d request threads, %d cores, events at %d rows/s%n", push, pollers, intervalMillis, distinctQueries,
                    requestThreads, Runtime.getRuntime().availableProcessors(), rowsPerSecond);
            new PullUnderPushBenchmark(push, pollers, intervalMillis, distinctQueries)
                    .run(server.jdbcUrl(), rowsPerSecond, warmupSeconds, seconds);
        } finally {
            try (var files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    private void run(String url, int rowsPerSecond, int warmupSeconds, int seconds) throws Exception {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM events (k INT, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)"
                    + " WITH ('connector' = 'datagen', 'rows-per-second' = '" + rowsPerSecond + "',"
                    + " 'fields.k.min' = '0', 'fields.k.max' = '999', 'fields.v.min' = '1', 'fields.v.max' = '100')");
            statement.execute("CREATE MATERIALIZED VIEW totals AS SELECT k, COUNT(*) AS n, SUM(v) AS total FROM events GROUP BY k");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (count(statement, "SELECT COUNT(*) FROM totals") == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the view has no rows after 30 s");
                }
                Thread.sleep(100);
            }
        }
        List<Connection> pushConnections = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < push; i++) {
            Connection connection = DriverManager.getConnection(url);
            pushConnections.add(connection);
            threads.add(start("push-" + i, () -> pushClient(connection)));
        }
        for (int i = 0; i < pollers; i++) {
            int firstKey = i * 997 % 1000;
            threads.add(start("poller-" + i, () -> poller(url, firstKey)));
        }
        threads.add(start("metadata", () -> metadataClient(url)));

        Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
        pulls.reset();
        metadata.reset();
        failures.clear();
        failureCount.set(0);
        long rowsBefore = pushRows.sum();
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        Histogram pull = pulls.getIntervalHistogram();
        Histogram meta = metadata.getIntervalHistogram();
        double wall = (System.nanoTime() - start) / 1e9;
        double cpu = (processCpuNanos() - cpuBefore) / 1e9;
        long rows = pushRows.sum() - rowsBefore;
        Map<String, Long> failed = new java.util.TreeMap<>();
        failures.forEach((kind, count) -> failed.put(kind, count.sum()));
        long failedCount = failureCount.get();

        stopping = true;
        for (Connection connection : pushConnections) {
            connection.close(); // ends the push clients' waiting fetches
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }

        System.out.printf(Locale.ROOT, "measured %.1f s, process CPU %.1f s (%.2f cores)%n", wall, cpu, cpu / wall);
        print("pull queries", pull, wall);
        print("getTables", meta, wall);
        System.out.printf(Locale.ROOT, "push queries: %,d rows received (%.1f/s)%n", rows, rows / wall);
        System.out.printf(Locale.ROOT, "failed or refused calls: %d%s%n", failedCount, failed.isEmpty() ? "" : " " + failed);
    }

    private static void print(String label, Histogram histogram, double wall) {
        System.out.printf(Locale.ROOT, "%-13s %,8d calls (%6.1f/s)  p50 %8.2f ms  p90 %8.2f ms  p99 %8.2f ms  p99.9 %8.2f ms"
                        + "  max %8.2f ms%n", label, histogram.getTotalCount(), histogram.getTotalCount() / wall,
                histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(90) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0, histogram.getValueAtPercentile(99.9) / 1000.0,
                histogram.getMaxValue() / 1000.0);
    }

    /** Reads a continuous query until the benchmark stops (its connection is closed). */
    private void pushClient(Connection connection) {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT STREAM window_end, COUNT(*) AS n"
                     + " FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '2' SECOND)) GROUP BY window_start, window_end")) {
            while (!stopping && rows.next()) {
                pushRows.increment();
            }
        } catch (SQLException e) {
            if (!stopping) {
                failed("push", e);
            }
        }
    }

    /** A dashboard: a pull query on the view, a pause, the next. */
    private void poller(String url, int firstKey) {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            while (!stopping) {
                long started = System.nanoTime();
                int key = (firstKey + ThreadLocalRandom.current().nextInt(distinctQueries)) % 1000;
                try (ResultSet rows = statement.executeQuery("SELECT n, total FROM totals WHERE k = " + key)) {
                    while (rows.next()) {
                        rows.getLong(1);
                    }
                    pulls.recordValue(Math.min(MAX_LATENCY_MICROS, (System.nanoTime() - started) / 1000));
                } catch (SQLException e) {
                    failed("pull", e);
                }
                Thread.sleep(intervalMillis);
            }
        } catch (SQLException e) {
            failed("pull connect", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void metadataClient(String url) {
        try (Connection connection = DriverManager.getConnection(url)) {
            while (!stopping) {
                long started = System.nanoTime();
                try (ResultSet tables = connection.getMetaData().getTables(null, null, "%", null)) {
                    while (tables.next()) {
                        tables.getString("TABLE_NAME");
                    }
                    metadata.recordValue(Math.min(MAX_LATENCY_MICROS, (System.nanoTime() - started) / 1000));
                } catch (SQLException e) {
                    failed("getTables", e);
                }
                Thread.sleep(intervalMillis);
            }
        } catch (SQLException e) {
            failed("metadata connect", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void failed(String what, SQLException e) {
        if (stopping) {
            return;
        }
        failureCount.incrementAndGet();
        String message = String.valueOf(e.getMessage());
        String kind = what + " " + e.getSQLState() + " " + message.substring(0, Math.min(60, message.length()));
        failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}

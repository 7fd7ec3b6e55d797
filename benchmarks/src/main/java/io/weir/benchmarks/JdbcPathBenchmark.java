package io.weir.benchmarks;

import io.weir.connector.datagen.nexmark.NexmarkConfig;
import io.weir.connector.datagen.nexmark.NexmarkEvent;
import io.weir.connector.datagen.nexmark.NexmarkGenerator;
import io.weir.server.config.ServerConfig;
import io.weir.server.launcher.WeirServer;
import io.weir.server.meta.WeirMeta;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * The whole path: Nexmark bids in a JSON-lines file (all 7 fields, as Flink's Nexmark JSON files hold
 * them), read by the {@code file} connector, planned from SQL, run by the engine in an in-process
 * server and read by a JDBC client until the bounded query ends. Prints events/s (wall) and events per
 * CPU-second of the process (server and client). The TUMBLE count per auction reads 2 of the 7 columns;
 * {@code --query q5} or {@code q7} runs that Nexmark query (which reads only bids) instead.
 *
 * <p>Usage: {@code JdbcPathBenchmark [--events N] [--rate events-per-second] [--runs R] [--files F]
 * [--parallelism 1,2] [--query tumble|q5|q7]}: the bids in F files of consecutive times (default 1), then per parallelism a
 * warm-up run, then R measured rounds (default 3), each running the query once at every parallelism in
 * turn (so that load from elsewhere hits them alike). Checks that every run gives the same rows, and
 * prints the median wall throughput and CPU per event of each parallelism against the first.
 */
public final class JdbcPathBenchmark {
    private static final String QUERY = "SELECT STREAM auction, window_start, window_end, COUNT(*) AS bids"
            + " FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(\"dateTime\"), INTERVAL '10' SECOND))"
            + " GROUP BY auction, window_start, window_end";

    private JdbcPathBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = 2_000_000;
        long rate = 100_000;
        int runs = 3;
        int files = 1;
        int[] parallelisms = {1};
        String query = QUERY;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(value);
                case "--rate" -> rate = Long.parseLong(value);
                case "--runs" -> runs = Integer.parseInt(value);
                case "--files" -> files = Integer.parseInt(value);
                case "--parallelism" -> parallelisms = java.util.Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--query" -> query = value.equalsIgnoreCase("tumble") ? QUERY
                        : NexmarkQuery.valueOf(value.toUpperCase(Locale.ROOT)).sql();
                // any continuous query over the stream bid (auction, bidder, price, channel, url, "dateTime", extra)
                case "--sql" -> query = value;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --events, --rate, --runs, --files, --parallelism, --query, --sql");
            }
        }
        Path dir = ScratchDirectories.create("weir-jdbc-benchmark");
        Path file = files == 1 ? dir.resolve("bids.json") : Files.createDirectories(dir.resolve("bids"));
        System.out.printf(Locale.ROOT, "Writing %,d Nexmark bids to %s in %d file(s) ...%n", events, file, files);
        writeJson(events, rate, file, files);
        ServerConfig config = ServerConfig.builder().bindAddress("127.0.0.1").port(0).pgPort(0).dataDir(dir.resolve("data"))
                .fileRoots(List.of(dir)).build();
        try (WeirServer server = WeirServer.start(config, new WeirMeta(config));
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,"
                    + " \"dateTime\" TIMESTAMP(3), extra VARCHAR, WATERMARK FOR \"dateTime\" AS \"dateTime\" - INTERVAL '4' SECOND)"
                    + " WITH ('connector' = 'file', 'path' = '" + file + "', 'format' = 'json')");
            statement.execute("SET 'batch.interval' = '100 ms'");
            double[][] wallRates = new double[parallelisms.length][runs];
            double[][] cpuRates = new double[parallelisms.length][runs];
            Long expected = null;
            for (int r = 0; r <= runs; r++) {
                for (int p = 0; p < parallelisms.length; p++) {
                    String run = (r == 0 ? "warm-up" : "run " + r) + " p" + parallelisms[p];
                    statement.execute("SET 'parallelism' = '" + parallelisms[p] + "'");
                    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                    long cpu = os.getProcessCpuTime();
                    long workerCpu = workerCpuNanos();
                    ThreadCpuSampler queryThreads = ThreadCpuSampler.start("weir-query-");
                    long wall = System.nanoTime();
                    long clientCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                    long[] result = read(statement, query);
                    double clientSeconds = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - clientCpu) / 1e9;
                    double querySeconds = queryThreads.stop() / 1e9;
                    double seconds = (System.nanoTime() - wall) / 1e9;
                    double cpuSeconds = (os.getProcessCpuTime() - cpu) / 1e9;
                    double workerSeconds = (workerCpuNanos() - workerCpu) / 1e9;
                    // the share of the work done on the server's worker threads, beside the query's own thread:
                    // on an idle machine the wall time at parallelism 2 approaches (1 - share) of the CPU time
                    System.out.printf(Locale.ROOT, "%-12s %,d events -> %,d rows in %.2f s: %,.0f events/s (wall), %,.0f events/CPU-s;"
                                    + " CPU-s on the query's thread %.2f, on worker threads %.2f, elsewhere %.2f"
                                    + " (of which the JDBC client's thread %.2f)%n",
                            run, events, result[0], seconds, events / seconds, events / cpuSeconds, querySeconds, workerSeconds,
                            cpuSeconds - querySeconds - workerSeconds, clientSeconds);
                    if (expected == null) {
                        expected = result[1];
                    } else if (expected != result[1]) {
                        throw new IllegalStateException(run + " gave other rows than the first run");
                    }
                    if (r > 0) {
                        wallRates[p][r - 1] = events / seconds;
                        cpuRates[p][r - 1] = events / cpuSeconds;
                    }
                }
            }
            if (runs > 0) {
                for (int p = 0; p < parallelisms.length; p++) {
                    double wallMedian = median(wallRates[p]);
                    double cpuMedian = median(cpuRates[p]);
                    System.out.printf(Locale.ROOT, "parallelism %d: median %,.0f events/s (wall, %.2fx of p%d), %,.0f events/CPU-s"
                                    + " (CPU per event %.2fx of p%d)%n", parallelisms[p], wallMedian, wallMedian / median(wallRates[0]),
                            parallelisms[0], cpuMedian, median(cpuRates[0]) / cpuMedian, parallelisms[0]);
                }
                System.out.printf(Locale.ROOT, "Every run gave the same rows (checksum %016x).%n", expected);
            }
        }
    }

    /** Samples the CPU time of threads whose name starts with a prefix while they live (a query's thread ends with it). */
    private static final class ThreadCpuSampler {
        private final java.util.Map<Long, Long> cpuByThread = new java.util.concurrent.ConcurrentHashMap<>();
        private final Thread sampler;
        private volatile boolean stopped;

        private ThreadCpuSampler(String prefix) {
            java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            sampler = new Thread(() -> {
                while (!stopped) {
                    for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                        if (info != null && info.getThreadName().startsWith(prefix)) {
                            long cpu = threads.getThreadCpuTime(info.getThreadId());
                            if (cpu > 0) {
                                cpuByThread.merge(info.getThreadId(), cpu, Math::max);
                            }
                        }
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "cpu-sampler");
            sampler.setDaemon(true);
        }

        static ThreadCpuSampler start(String prefix) {
            ThreadCpuSampler sampler = new ThreadCpuSampler(prefix);
            sampler.sampler.start();
            return sampler;
        }

        /** The CPU time sampled, summed over the threads (up to 5 ms short per thread). */
        long stop() throws InterruptedException {
            stopped = true;
            sampler.join();
            return cpuByThread.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** CPU time of the server's worker threads (they live as long as the server), summed. */
    private static long workerCpuNanos() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("weir-worker-")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The number of rows and an order-independent checksum of them. */
    private static long[] read(Statement statement, String query) throws SQLException {
        long rows = 0;
        long checksum = 0;
        try (ResultSet result = statement.executeQuery(query)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                rows++;
                StringBuilder row = new StringBuilder();
                for (int column = 1; column <= columns; column++) {
                    row.append(result.getString(column)).append('|');
                }
                checksum += io.weir.engine.state.KeyHashing.hashString(row.toString());
            }
        }
        return new long[] {rows, checksum};
    }

    /**
     * The bids as Flink's Nexmark JSON files hold them: 7 fields, times as {@code yyyy-MM-dd HH:mm:ss.SSS};
     * in {@code path} itself for one file, else in {@code files} files of consecutive times in the directory
     * {@code path} (so that reading them one after the other, as one task does, makes no row late).
     */
    private static void writeJson(int events, long rate, Path path, int files) throws IOException {
        NexmarkGenerator generator = new NexmarkGenerator(NexmarkConfig.defaults(rate, 1_700_000_000_000L), 42);
        int written = 0;
        for (int part = 0; part < files; part++) {
            Path file = files == 1 ? path : path.resolve(String.format(Locale.ROOT, "bids-%03d.json", part));
            int end = (int) ((long) events * (part + 1) / files);
            written = writeBids(generator, file, written, end);
        }
    }

    private static int writeBids(NexmarkGenerator generator, Path file, int from, int to) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            int written = from;
            while (written < to) {
                if (generator.next() instanceof NexmarkEvent.Bid bid) {
                    out.write(NexmarkJson.of(bid));
                    out.write('\n');
                    written++;
                }
            }
            return written;
        }
    }
}

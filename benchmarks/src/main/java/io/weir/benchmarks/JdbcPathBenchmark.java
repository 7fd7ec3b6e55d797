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
import java.util.Locale;

/**
 * The whole path: Nexmark bids in a JSON-lines file (all 7 fields, as Flink's Nexmark JSON files hold
 * them), read by the {@code file} connector, planned from SQL, run by the engine in an in-process
 * server and read by a JDBC client until the bounded query ends. Prints events/s (wall) and events per
 * CPU-second of the process (server and client). The TUMBLE count per auction reads 2 of the 7 columns;
 * {@code --query q5} or {@code q7} runs that Nexmark query (which reads only bids) instead.
 *
 * <p>Usage: {@code JdbcPathBenchmark [--events N] [--rate events-per-second] [--runs R] [--query tumble|q5|q7]}: a
 * warm-up run, then R measured runs (default 3).
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
        String query = QUERY;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(value);
                case "--rate" -> rate = Long.parseLong(value);
                case "--runs" -> runs = Integer.parseInt(value);
                case "--query" -> query = value.equalsIgnoreCase("tumble") ? QUERY
                        : NexmarkQuery.valueOf(value.toUpperCase(Locale.ROOT)).sql();
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --events, --rate, --runs, --query");
            }
        }
        Path dir = Files.createTempDirectory("weir-jdbc-benchmark");
        Path file = dir.resolve("bids.json");
        System.out.printf(Locale.ROOT, "Writing %,d Nexmark bids to %s ...%n", events, file);
        writeJson(events, rate, file);
        ServerConfig config = ServerConfig.builder().bindAddress("127.0.0.1").port(0).dataDir(dir.resolve("data")).build();
        try (WeirServer server = WeirServer.start(config, new WeirMeta(config));
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,"
                    + " \"dateTime\" TIMESTAMP(3), extra VARCHAR, WATERMARK FOR \"dateTime\" AS \"dateTime\" - INTERVAL '4' SECOND)"
                    + " WITH ('connector' = 'file', 'path' = '" + file + "', 'format' = 'json')");
            statement.execute("SET 'batch.interval' = '100 ms'");
            for (int r = 0; r <= runs; r++) {
                String run = r == 0 ? "warm-up" : "run " + r;
                var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                long cpu = os.getProcessCpuTime();
                long wall = System.nanoTime();
                long rows = read(statement, query);
                double seconds = (System.nanoTime() - wall) / 1e9;
                double cpuSeconds = (os.getProcessCpuTime() - cpu) / 1e9;
                System.out.printf(Locale.ROOT, "%-9s %,d events -> %,d rows in %.2f s: %,.0f events/s (wall), %,.0f events/CPU-s%n",
                        run, events, rows, seconds, events / seconds, events / cpuSeconds);
            }
        }
    }

    private static long read(Statement statement, String query) throws SQLException {
        long rows = 0;
        try (ResultSet result = statement.executeQuery(query)) {
            while (result.next()) {
                rows++;
            }
        }
        return rows;
    }

    /** The bids as Flink's Nexmark JSON files hold them: 7 fields, times as {@code yyyy-MM-dd HH:mm:ss.SSS}. */
    private static void writeJson(int events, long rate, Path file) throws IOException {
        NexmarkGenerator generator = new NexmarkGenerator(NexmarkConfig.defaults(rate, 1_700_000_000_000L), 42);
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            int written = 0;
            while (written < events) {
                if (generator.next() instanceof NexmarkEvent.Bid bid) {
                    out.write(NexmarkJson.of(bid));
                    out.write('\n');
                    written++;
                }
            }
        }
    }
}

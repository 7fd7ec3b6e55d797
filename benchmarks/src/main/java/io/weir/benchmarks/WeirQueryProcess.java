package io.weir.benchmarks;

import io.weir.server.config.ServerConfig;
import io.weir.server.launcher.WeirServer;
import io.weir.server.meta.WeirMeta;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Weir child process of {@link FlinkComparisonBenchmark}: starts a server (this process, the real
 * {@link WeirServer} on a loopback port), connects to it with Weir's JDBC driver, creates the Nexmark
 * streams ({@code nexmark/ddl.sql}) over the JSON files or Kafka topics, runs one query until its
 * bounded input ends, and writes the result rows and its {@link ChildReport}. The CPU time it reports
 * is the whole process: server, query, JDBC client, GC and JIT.
 *
 * <p>Usage: {@code WeirQueryProcess --query ID --out PATH (--files DIR | --kafka BOOTSTRAP --topic-prefix P)
 * [--batch-interval-ms N] [--parallelism N (default 1)]}.
 */
public final class WeirQueryProcess {
    private WeirQueryProcess() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        ComparedQuery query = null;
        Path out = null;
        Path files = null;
        String kafka = null;
        String topicPrefix = null;
        long batchMillis = 100;
        int parallelism = 1;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--query" -> query = ComparedQuery.of(value);
                case "--out" -> out = Path.of(value);
                case "--files" -> files = Path.of(value);
                case "--kafka" -> kafka = value;
                case "--topic-prefix" -> topicPrefix = value;
                case "--batch-interval-ms" -> batchMillis = Long.parseLong(value);
                case "--parallelism" -> parallelism = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (query == null || out == null || (files == null) == (kafka == null)) {
            throw new IllegalArgumentException("use --query ID --out PATH and one of --files DIR, --kafka BOOTSTRAP");
        }
        Path dataDir = Files.createTempDirectory(out.getParent(), "weir-data");
        // the server reads the event files where the comparison wrote them
        ServerConfig config = ServerConfig.builder().bindAddress("127.0.0.1").port(0).pgPort(0).dataDir(dataDir)
                .fileRoots(files == null ? List.of() : List.of(files)).build();
        List<String> rows = new ArrayList<>();
        try (WeirServer server = WeirServer.start(config, new WeirMeta(config));
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            String[] ddl = files != null
                    ? NexmarkQuery.ddl(file(files, "person"), file(files, "auction"), file(files, "bid"))
                    : NexmarkQuery.ddl(topic(kafka, topicPrefix, "person"), topic(kafka, topicPrefix, "auction"),
                            topic(kafka, topicPrefix, "bid"));
            for (String create : ddl) {
                if (!create.isBlank()) {
                    statement.execute(create);
                }
            }
            statement.execute(String.format(Locale.ROOT, "SET 'batch.interval' = '%d ms'", batchMillis));
            // one task, as Flink runs at parallelism 1 (the server's default is one task per core)
            statement.execute("SET 'parallelism' = '" + parallelism + "'");
            try (ResultSet result = statement.executeQuery(query.weirSql())) {
                int columns = result.getMetaData().getColumnCount();
                Object[] values = new Object[columns];
                while (result.next()) {
                    for (int c = 0; c < columns; c++) {
                        values[c] = result.getObject(c + 1);
                    }
                    rows.add(ChildReport.line(values));
                }
            }
            ChildReport.measure(start, rows.size()).write(out, rows);
        }
    }

    private static String file(Path dir, String stream) {
        return "'connector' = 'file', 'path' = '" + dir.resolve(stream + ".json") + "', 'format' = 'json'";
    }

    private static String topic(String bootstrap, String prefix, String stream) {
        return "'connector' = 'kafka', 'topic' = '" + prefix + stream + "', 'bootstrap.servers' = '" + bootstrap
                + "', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', 'format' = 'json'";
    }
}

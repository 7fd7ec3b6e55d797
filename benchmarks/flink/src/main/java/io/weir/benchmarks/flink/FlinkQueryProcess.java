package io.weir.benchmarks.flink;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Flink child process of Weir's {@code FlinkComparisonBenchmark}: Flink 2.3 SQL in a local
 * MiniCluster (streaming mode, parallelism 1, the default heap state backend), the Nexmark tables of
 * {@code nexmark-flink/ddl.sql} over the JSON files or Kafka topics, one query of
 * {@code nexmark-flink/<id>.sql} collected to the end of its bounded input; writes the result rows and
 * the {@link ChildReport}. The CPU time it reports is the whole process: planning, the MiniCluster,
 * the job, the collect client, GC and JIT.
 *
 * <p>Usage: {@code FlinkQueryProcess --query ID --out PATH (--files DIR | --kafka BOOTSTRAP --topic-prefix P)}.
 */
public final class FlinkQueryProcess {
    private FlinkQueryProcess() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        String query = null;
        Path out = null;
        Path files = null;
        String kafka = null;
        String topicPrefix = null;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--query" -> query = value;
                case "--out" -> out = Path.of(value);
                case "--files" -> files = Path.of(value);
                case "--kafka" -> kafka = value;
                case "--topic-prefix" -> topicPrefix = value;
                // Weir's micro-batch interval; Flink has none.
                case "--batch-interval-ms" -> { }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (query == null || out == null || (files == null) == (kafka == null)) {
            throw new IllegalArgumentException("use --query ID --out PATH and one of --files DIR, --kafka BOOTSTRAP");
        }
        Configuration config = new Configuration();
        config.set(CoreOptions.DEFAULT_PARALLELISM, 1);
        TableEnvironment tables = TableEnvironment.create(EnvironmentSettings.newInstance().inStreamingMode()
                .withConfiguration(config).build());
        String ddl = sql("ddl.sql");
        for (String stream : List.of("person", "auction", "bid")) {
            ddl = ddl.replace("${" + stream + "}", files != null ? file(files, stream) : topic(kafka, topicPrefix, stream));
        }
        for (String create : ddl.split(";")) {
            if (!create.isBlank()) {
                tables.executeSql(create);
            }
        }
        TableResult result = tables.executeSql(sql(query + ".sql"));
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<Row> iterator = result.collect()) {
            while (iterator.hasNext()) {
                Row row = iterator.next();
                Object[] values = new Object[row.getArity()];
                for (int c = 0; c < values.length; c++) {
                    values[c] = row.getField(c);
                }
                String line = ChildReport.line(values);
                // Append-only results have only inserts; anything else shows up as a difference.
                rows.add(row.getKind() == RowKind.INSERT ? line : row.getKind().shortString() + " " + line);
            }
        }
        ChildReport.measure(start, rows.size()).write(out, rows);
        // The MiniCluster's non-daemon threads may outlive the job.
        System.exit(0);
    }

    private static String file(Path dir, String stream) {
        return "'connector' = 'filesystem', 'path' = '" + dir.resolve(stream + ".json").toUri() + "', 'format' = 'json'";
    }

    private static String topic(String bootstrap, String prefix, String stream) {
        return "'connector' = 'kafka', 'topic' = '" + prefix + stream + "', 'properties.bootstrap.servers' = '" + bootstrap
                + "', 'properties.group.id' = 'nexmark', 'scan.startup.mode' = 'earliest-offset',"
                + " 'scan.bounded.mode' = 'latest-offset', 'format' = 'json'";
    }

    /** A statement file of {@code nexmark-flink/}, without its comment lines. */
    private static String sql(String name) {
        try (InputStream in = FlinkQueryProcess.class.getResourceAsStream("/nexmark-flink/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no Flink SQL nexmark-flink/" + name + " for this query");
            }
            StringBuilder sql = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.strip().startsWith("--")) {
                    sql.append(line).append('\n');
                }
            }
            return sql.toString().strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

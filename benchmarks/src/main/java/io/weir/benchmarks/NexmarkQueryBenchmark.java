package io.weir.benchmarks;

import io.weir.engine.exec.ContinuousQuery;
import io.weir.engine.exec.OutputChunk;
import io.weir.engine.exec.QueryEngine;
import io.weir.engine.exec.QueryOptions;
import io.weir.spi.connector.memory.InMemoryData;
import io.weir.spi.error.InMemoryDeadLetterSink;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.session.SessionProperties;
import io.weir.sql.statement.StatementExecutor;
import io.weir.sql.statement.StatementResult;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs Nexmark queries 5, 7, 8, 11 and 12 ({@code src/main/resources/nexmark/q*.sql}) from SQL through
 * the planner ({@link StatementExecutor}) and the micro-batch engine, over Nexmark events generated in
 * memory beforehand and read by the {@code memory} connector, and prints per query: events per
 * CPU-second of the whole process (GC and JIT included) and of the query's thread, and wall events/s.
 * The engine alone, on rows already in memory: {@link FlinkComparisonBenchmark} compares the whole path
 * (JSON files or a Kafka topic, a server, JDBC) with Flink on the same input.
 *
 * <p>"Events" are all Nexmark events of the input (people, auctions and bids), whichever of them the
 * query reads, as Flink's Nexmark counts them. Each query runs once over a smaller input to warm up,
 * then {@code --runs} times measured (the figures are over all measured runs together, since one run
 * takes only a second or two); the bounded input ends the query once its last windows fired (q12's
 * processing-time windows: once everything was read and aggregated).
 *
 * <p>With {@code --source file} the events are written beforehand as JSON-lines files (one per stream, the
 * fields and time format of Flink's Nexmark JSON files) and read by the {@code file} connector, so that
 * the figures include reading and decoding them.
 *
 * <p>Usage: {@code NexmarkQueryBenchmark [--events N] [--warmup-events N] [--runs N] [--rate events-per-second]
 * [--batch-interval-ms N] [--query q5|q7|q8|q11|q12] [--checkpoint-interval-ms N] [--source memory|file]}; with
 * {@code --checkpoint-interval-ms} each query checkpoints its state that often, as a persistent query does.
 */
public final class NexmarkQueryBenchmark {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final String PERSON = "nexmark-person";
    private static final String AUCTION = "nexmark-auction";
    private static final String BID = "nexmark-bid";
    private static final DateTimeFormatter JSON_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final QueryEngine engine;
    private final StatementExecutor executor;
    private final SessionProperties session = new SessionProperties(Map.of());
    private final Path dataDir;
    private final Duration batchInterval;
    private java.util.Optional<Duration> checkpointInterval = java.util.Optional.empty();
    /** Runs started: each run's query id is new, so that a run never restores an earlier one's checkpoint. */
    private int started;
    private final PrintStream out;
    /** With {@code --source file}: the directory of each data set's files; null when reading from memory. */
    private final Map<NexmarkData, Path> files;

    NexmarkQueryBenchmark(QueryEngine engine, Path dataDir, Duration batchInterval, PrintStream out) {
        this(engine, dataDir, batchInterval, out, false);
    }

    /** @param fromFiles whether the streams read JSON-lines files ({@code --source file}) instead of memory */
    NexmarkQueryBenchmark(QueryEngine engine, Path dataDir, Duration batchInterval, PrintStream out, boolean fromFiles) {
        this.files = fromFiles ? new IdentityHashMap<>() : null;
        this.engine = engine;
        this.dataDir = dataDir;
        this.batchInterval = batchInterval;
        this.out = out;
        this.executor = new StatementExecutor(Catalog.inMemory(), dataDir);
        // CREATE STREAM checks that the data set exists; each run registers its own rows under these names.
        for (String dataSet : List.of(PERSON, AUCTION, BID)) {
            InMemoryData.register(dataSet, List.of(), true);
        }
        String[] ddl = fromFiles
                ? NexmarkQuery.ddl(file("person"), file("auction"), file("bid"))
                : NexmarkQuery.ddl(memory(PERSON), memory(AUCTION), memory(BID));
        for (String statement : ddl) {
            if (!statement.isBlank()) {
                executor.execute(session, statement);
            }
        }
    }

    private static String memory(String dataSet) {
        return "'connector' = 'memory', 'data' = '" + dataSet + "'";
    }

    /** The stream reads {@code <data dir>/current/<stream>.json}; {@code current} links to the run's data set. */
    private String file(String stream) {
        return "'connector' = 'file', 'path' = '" + dataDir.resolve("current").resolve(stream + ".json") + "', 'format' = 'json'";
    }

    /** Points {@code current} at the files of {@code data}, writing them the first time. */
    private void useFiles(NexmarkData data) {
        try {
            Path dir = files.get(data);
            if (dir == null) {
                dir = Files.createDirectory(dataDir.resolve("events-" + files.size()));
                writeJson(data, dir);
                files.put(data, dir);
            }
            Path link = dataDir.resolve("current");
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the JSON-lines files written for {@code --source file} (they take about 350 bytes per event). */
    void deleteFiles() throws IOException {
        if (files == null) {
            return;
        }
        Files.deleteIfExists(dataDir.resolve("current"));
        for (Path dir : files.values()) {
            try (var written = Files.list(dir)) {
                for (Path file : written.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
        files.clear();
    }

    /** The events as Flink's Nexmark JSON files hold them: every field, times as {@code yyyy-MM-dd HH:mm:ss.SSS}. */
    private static void writeJson(NexmarkData data, Path dir) throws IOException {
        String[] person = {"id", "name", "emailAddress", "creditCard", "city", "state", "dateTime", "extra"};
        String[] auction = {"id", "itemName", "description", "initialBid", "reserve", "dateTime", "expires", "seller", "category", "extra"};
        String[] bid = {"auction", "bidder", "price", "channel", "url", "dateTime", "extra"};
        writeJson(dir.resolve("person.json"), person, Set.of(6), data.persons());
        writeJson(dir.resolve("auction.json"), auction, Set.of(5, 6), data.auctions());
        writeJson(dir.resolve("bid.json"), bid, Set.of(5), data.bids());
    }

    private static void writeJson(Path file, String[] names, Set<Integer> times, List<Object[]> rows) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            StringBuilder line = new StringBuilder();
            for (Object[] row : rows) {
                line.setLength(0);
                line.append('{');
                for (int i = 0; i < names.length; i++) {
                    line.append(i == 0 ? "\"" : ",\"").append(names[i]).append("\":");
                    Object value = row[i];
                    if (times.contains(i)) {
                        line.append('"').append(JSON_TIME.format(Instant.ofEpochMilli((Long) value))).append('"');
                    } else if (value instanceof String text) {
                        appendString(line, text);
                    } else {
                        line.append(value);
                    }
                }
                out.append(line).append("}\n");
            }
        }
    }

    private static void appendString(StringBuilder line, String text) {
        line.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                line.append('\\').append(c);
            } else if (c < 0x20) {
                line.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                line.append(c);
            }
        }
        line.append('"');
    }

    public static void main(String[] args) throws Exception {
        int events = 5_000_000;
        int warmup = 1_000_000;
        int runs = 3;
        long rate = 100_000;
        long batchMillis = 100;
        long checkpointMillis = -1;
        boolean fromFiles = false;
        List<NexmarkQuery> queries = new ArrayList<>(List.of(NexmarkQuery.values()));
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(value);
                case "--warmup-events" -> warmup = Integer.parseInt(value);
                case "--runs" -> runs = Integer.parseInt(value);
                case "--rate" -> rate = Long.parseLong(value);
                case "--batch-interval-ms" -> batchMillis = Long.parseLong(value);
                case "--query" -> queries = List.of(NexmarkQuery.valueOf(value.toUpperCase(Locale.ROOT)));
                case "--checkpoint-interval-ms" -> checkpointMillis = Long.parseLong(value);
                case "--source" -> fromFiles = switch (value) {
                    case "file" -> true;
                    case "memory" -> false;
                    default -> throw new IllegalArgumentException("--source is memory or file, not " + value);
                };
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --events, --warmup-events, --runs, --rate, --batch-interval-ms, --query, --checkpoint-interval-ms, --source");
            }
        }
        Path dataDir = ScratchDirectories.create("weir-nexmark-benchmark");
        try (QueryEngine engine = Engines.microBatch()) {
            NexmarkQueryBenchmark benchmark = new NexmarkQueryBenchmark(engine, dataDir, Duration.ofMillis(batchMillis), System.out,
                    fromFiles);
            if (checkpointMillis >= 0) {
                benchmark.checkpointEvery(Duration.ofMillis(checkpointMillis));
            }
            try {
                benchmark.run(queries, events, warmup, runs, rate);
            } finally {
                benchmark.deleteFiles();
            }
        }
    }

    void run(List<NexmarkQuery> queries, int events, int warmupEvents, int runs, long rate) throws InterruptedException {
        out.printf(Locale.ROOT, "Generating %,d Nexmark events (%,d events/s of event time) ...%n", events, rate);
        NexmarkData data = NexmarkData.generate(events, rate, 42);
        NexmarkData warmup = NexmarkData.generate(warmupEvents, rate, 7);
        out.printf(Locale.ROOT, "%,d people, %,d auctions, %,d bids over %.1f s of event time; %d measured run(s) per query%n",
                data.persons().size(), data.auctions().size(), data.bids().size(), (double) events / rate, runs);
        out.printf(Locale.ROOT, "%-6s %14s %18s %16s %10s%n", "query", "events/CPU-s", "events/query-CPU-s",
                "events/s (wall)", "rows out");
        for (NexmarkQuery query : queries) {
            String name = query.name().toLowerCase(Locale.ROOT);
            long cpu = 0;
            long queryCpu = 0;
            long wall = 0;
            long rowsOut = 0;
            try {
                runToEnd(query, warmup);
                for (int i = 0; i < runs; i++) {
                    Run run = runToEnd(query, data);
                    cpu += run.measurement().cpuNanos();
                    queryCpu += run.measurement().queryThreadCpuNanos();
                    wall += run.measurement().wallNanos();
                    rowsOut = run.rowsOut();
                }
            } catch (RuntimeException e) {
                out.printf(Locale.ROOT, "%-6s failed: %s%n", name, e.getMessage());
                continue;
            }
            double measuredEvents = (double) events * runs;
            double perCpu = measuredEvents / (cpu / 1e9);
            out.printf(Locale.ROOT, "%-6s %,14.0f %,18.0f %,16.0f %,10d%n", name, perCpu,
                    measuredEvents / (queryCpu / 1e9), measuredEvents / (wall / 1e9), rowsOut);
        }
    }

    private record Run(ResourceMeter.Measurement measurement, long rowsOut) {
    }

    /** Runs the queries as persistent queries do: resumable sources and a checkpoint every {@code interval}. */
    void checkpointEvery(Duration interval) {
        checkpointInterval = java.util.Optional.of(interval);
    }

    private QueryOptions options() {
        QueryOptions options = new QueryOptions(batchInterval, 0, 1_000_000, dataDir, executor.statistics(), new InMemoryDeadLetterSink(),
                InstantSource.system());
        return checkpointInterval.map(interval -> options.withResumable(true).withCheckpointInterval(interval)).orElse(options);
    }

    /** The result rows of {@code query} over {@code data}, in the engine's value representation (times in epoch ms). */
    List<Object[]> results(NexmarkQuery query, NexmarkData data) throws InterruptedException {
        List<Object[]> rows = new ArrayList<>();
        runToEnd(query, data, rows);
        return rows;
    }

    private Run runToEnd(NexmarkQuery query, NexmarkData data) throws InterruptedException {
        return runToEnd(query, data, null);
    }

    /**
     * Runs the query over {@code data} until it ends (event time) or read and aggregated everything
     * (processing time); keeps the result rows in {@code rows} unless it is null.
     */
    private Run runToEnd(NexmarkQuery query, NexmarkData data, List<Object[]> rows) throws InterruptedException {
        if (files != null) {
            useFiles(data);
        }
        InMemoryData.register(PERSON, data.persons(), true);
        InMemoryData.register(AUCTION, data.auctions(), true);
        InMemoryData.register(BID, data.bids(), true);
        StatementResult.Continuous planned = (StatementResult.Continuous) executor.execute(session, query.sql());
        try (ResourceMeter meter = new ResourceMeter();
             ContinuousQuery running = engine.start("nexmark-" + query.name().toLowerCase(Locale.ROOT) + "-" + ++started, planned.plan(), options())) {
            long rowsOut = 0;
            long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
            long batchesWhenRead = -1;
            while (System.nanoTime() < deadline) {
                OutputChunk chunk = running.poll(100_000, Duration.ofMillis(10));
                rowsOut += chunk.rows().size();
                if (rows != null) {
                    rows.addAll(chunk.rows());
                }
                if (chunk.failure().isPresent()) {
                    throw new IllegalStateException("query " + query + " failed: " + chunk.failure().get(), chunk.failure().get());
                }
                if (chunk.finished()) {
                    return new Run(meter.stop(), rowsOut);
                }
                if (query.processingTime()) {
                    // Stop once the batch after the one that read the last bid (q12 reads bids only) has run.
                    var statistics = running.statistics();
                    if (statistics.rowsIn() >= data.bids().size()) {
                        if (batchesWhenRead < 0) {
                            batchesWhenRead = statistics.batches();
                        } else if (statistics.batches() > batchesWhenRead) {
                            return new Run(meter.stop(), rowsOut);
                        }
                    }
                }
            }
            throw new IllegalStateException("query " + query + " did not finish within " + RUN_TIMEOUT + " (" + rowsOut
                    + " rows out; " + running.statistics() + "; input: " + data.persons().size() + " people, "
                    + data.auctions().size() + " auctions, " + data.bids().size() + " bids)");
        } finally {
            InMemoryData.unregister(PERSON);
            InMemoryData.unregister(AUCTION);
            InMemoryData.unregister(BID);
        }
    }
}

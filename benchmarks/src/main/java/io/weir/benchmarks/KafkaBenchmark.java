package io.weir.benchmarks;

import io.weir.engine.deadletter.DeadLetterStore;
import io.weir.engine.exec.ContinuousQuery;
import io.weir.engine.exec.OutputChunk;
import io.weir.engine.exec.QueryEngine;
import io.weir.engine.exec.QueryOptions;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SourceScan;
import io.weir.engine.plan.SourceSpec;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.source.SourceStatistics;
import io.weir.spi.connector.ObjectKind;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Reads Nexmark bids from a real Kafka topic through the {@code kafka} connector (resolved by the
 * engine's source opener, as for a stream created in SQL) and runs a TUMBLE 10 s COUNT(*) per auction
 * over them with {@code 'scan.bounded.mode' = 'latest-offset'}, so that each query ends once it has
 * read the whole topic. The broker is a single-node KRaft cluster in this JVM; the records are
 * produced before anything is measured. Prints, for one query and then for several identical
 * queries started at once: records per CPU-second of the whole process (engine, Kafka clients and
 * the broker serving the fetches, GC and JIT included), records per CPU-second of the readers' threads
 * alone (the query threads, which decode, and the consumers' fetcher threads: the path from the fetched
 * bytes to the rows, without the broker's noise), bytes allocated per record, wall records/s, and the ratio of the
 * CPU time of the several queries to that of one. It does so twice: for push queries, and for
 * persistent queries (as {@code INSERT INTO} runs them: each resumes from and commits to a consumer
 * group of its own, and the queries of a stream share one reader by offsets). Every query's result is
 * checked: as many rows as (window, auction) pairs in the input, and counts adding up to the number
 * of records.
 *
 * <p>Usage: {@code KafkaBenchmark [--events N] [--span-seconds S] [--queries Q] [--batch-interval-ms N]
 * [--warmup-runs N]}.
 */
public final class KafkaBenchmark {
    private static final String TOPIC = "bids";
    private static final int PARTITIONS = 4;
    private static final long WINDOW_MILLIS = 10_000;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
    /** The output's COUNT(*) column (auction, window_start, window_end, cnt). */
    private static final int COUNT_COLUMN = 3;
    /** The kafka connector names each reader's fetcher thread after its client id, weir-<stream>-<n>. */
    private static final Pattern FETCHER_THREAD = Pattern.compile("weir-bid-\\d+");
    private static final long READER_SAMPLE_NANOS = 50_000_000;

    private final QueryEngine engine;
    private final String bootstrapServers;
    private final Path dataDir;
    private final Duration batchInterval;
    private final PrintStream out;

    KafkaBenchmark(QueryEngine engine, String bootstrapServers, Path dataDir, Duration batchInterval, PrintStream out) {
        this.engine = engine;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.batchInterval = batchInterval;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        int events = 2_000_000;
        long spanSeconds = 200;
        int queries = 10;
        long batchMillis = 100;
        int warmupRuns = 1;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(value);
                case "--span-seconds" -> spanSeconds = Long.parseLong(value);
                case "--queries" -> queries = Integer.parseInt(value);
                case "--batch-interval-ms" -> batchMillis = Long.parseLong(value);
                case "--warmup-runs" -> warmupRuns = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --events, --span-seconds, --queries, --batch-interval-ms, --warmup-runs");
            }
        }
        // Nexmark emits 46 bids in every 50 events: the event rate that spreads the bids over the span.
        long rate = Math.max(1, Math.round(events * 50.0 / 46 / spanSeconds));
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "Generating %,d Nexmark bids ...%n", events);
        BidData data = BidData.generate(events, rate, 42);
        Expected expected = Expected.of(data);
        Path dataDir = ScratchDirectories.create("weir-kafka-benchmark");
        long startNanos = System.nanoTime();
        try (KafkaClusterTestKit cluster = startBroker()) {
            out.printf(Locale.ROOT, "Single-node KRaft broker started in %.1f s at %s%n",
                    (System.nanoTime() - startNanos) / 1e9, cluster.bootstrapServers());
            produce(cluster.bootstrapServers(), data, out);
            out.printf(Locale.ROOT, "%,d records over %.1f s of event time; each query must return %,d windows"
                            + " (TUMBLE 10 s COUNT(*) per auction); %d cores%n%n",
                    events, (data.maxTime() - data.time(0)) / 1e3, expected.windows(), Runtime.getRuntime().availableProcessors());
            try (QueryEngine engine = Engines.microBatch()) {
                new KafkaBenchmark(engine, cluster.bootstrapServers(), dataDir, Duration.ofMillis(batchMillis), out)
                        .run(events, expected, queries, warmupRuns);
            }
        }
    }

    static KafkaClusterTestKit startBroker() throws Exception {
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                // transactions (exactly-once sinks) on a single broker
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * Creates the topic and writes the bids as JSON, round-robin over the partitions so that each
     * partition is in event-time order, and waits until the broker acknowledged all of them.
     */
    private static void produce(String bootstrapServers, BidData data, PrintStream out) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
        }
        long start = System.nanoTime();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "20",
                ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            for (int i = 0; i < data.size() && failure.get() == null; i++) {
                Object[] row = data.rows().get(i);
                byte[] value = ("{\"auction\":" + row[BidData.AUCTION] + ",\"bidder\":" + row[BidData.BIDDER]
                        + ",\"price\":" + row[BidData.PRICE] + ",\"dateTime\":\""
                        + Instant.ofEpochMilli((Long) row[BidData.DATE_TIME]) + "\"}").getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, value), (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing the bids failed", failure.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "Produced %,d JSON records to '%s' (%d partitions) in %.1f s (%,.0f records/s)%n",
                data.size(), TOPIC, PARTITIONS, seconds, data.size() / seconds);
    }

    void run(int events, Expected expected, int queries, int warmupRuns) throws InterruptedException {
        for (int i = 0; i < warmupRuns; i++) {
            runQueries("warmup-" + i, 1, events, expected, false);
            runQueries("warmup-persistent-" + i, 1, events, expected, true);
        }
        Run one = runQueries("one", 1, events, expected, false);
        Run many = runQueries("many", queries, events, expected, false);
        Run onePersistent = runQueries("one-persistent", 1, events, expected, true);
        Run manyPersistent = runQueries("many-persistent", queries, events, expected, true);
        // Printed after the runs so that the readers' log lines do not split the table.
        out.printf(Locale.ROOT, "%n%-24s %14s %10s %10s %16s %22s %14s %18s %12s %14s%n", "run", "records read", "wall s", "CPU-s",
                "records/CPU-s", "records/reader-CPU-s", "alloc B/record", "records/s (wall)", "rows/query", "Kafka readers");
        print("1 push query", 1, events, expected, one);
        print(queries + " push queries", queries, events, expected, many);
        print("1 persistent query", 1, events, expected, onePersistent);
        print(queries + " persistent queries", queries, events, expected, manyPersistent);
        out.println();
        printRatio(queries, "push", many, one);
        printRatio(queries, "persistent", manyPersistent, onePersistent);
        out.printf(Locale.ROOT, "Every query returned %,d windows whose counts add up to %,d records.%n",
                expected.windows(), events);
    }

    private void printRatio(int queries, String kind, Run many, Run one) {
        out.printf(Locale.ROOT, "CPU-seconds for %d identical %s queries at once vs 1 query: %.2f s / %.2f s = %.2fx"
                        + " (%d cores; process CPU includes the in-process broker)%n",
                queries, kind, many.measurement().cpuNanos() / 1e9, one.measurement().cpuNanos() / 1e9,
                (double) many.measurement().cpuNanos() / one.measurement().cpuNanos(), Runtime.getRuntime().availableProcessors());
    }

    private void print(String label, int queries, int events, Expected expected, Run run) {
        ResourceMeter.Measurement m = run.measurement();
        long read = (long) queries * events;
        out.printf(Locale.ROOT, "%-24s %,14d %10.2f %10.2f %,16.0f %,22.0f %,14.0f %,18.0f %,12d %,14d%n", label, read,
                m.wallNanos() / 1e9, m.cpuNanos() / 1e9, read / (m.cpuNanos() / 1e9), read / (m.queryThreadCpuNanos() / 1e9),
                (double) m.allocatedBytes() / read, read / (m.wallNanos() / 1e9), expected.windows(), run.kafkaReaders());
    }

    /**
     * @param kafkaReaders Kafka readers (consumers) the queries opened: the engine may let queries over the
     *        same stream share one, so this says how many times the topic was actually fetched and decoded
     */
    private record Run(ResourceMeter.Measurement measurement, int kafkaReaders) {
    }

    /**
     * Starts the queries at once, reads their results until all finished, and checks each result.
     *
     * @param persistent whether the queries resume from consumer groups of their own, as persistent queries do
     */
    private Run runQueries(String name, int count, int events, Expected expected, boolean persistent) throws InterruptedException {
        List<ContinuousQuery> running = new ArrayList<>(count);
        Set<String> fetchers = new HashSet<>();
        long nextReaderSample = 0;
        try (ResourceMeter meter = new ResourceMeter(thread -> thread.startsWith("weir-query-")
                || FETCHER_THREAD.matcher(thread).matches())) {
            for (int i = 0; i < count; i++) {
                running.add(engine.start("kafka-" + name + "-" + i, plan(), options().withResumable(persistent)));
            }
            long[] rows = new long[count];
            long[] counted = new long[count];
            boolean[] finished = new boolean[count];
            int remaining = count;
            long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
            while (remaining > 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("queries " + name + " did not finish within " + RUN_TIMEOUT);
                }
                if (System.nanoTime() >= nextReaderSample) {
                    fetchers.addAll(fetcherThreads());
                    nextReaderSample = System.nanoTime() + READER_SAMPLE_NANOS;
                }
                for (int i = 0; i < count; i++) {
                    if (finished[i]) {
                        continue;
                    }
                    OutputChunk chunk = running.get(i).poll(100_000, Duration.ofMillis(10));
                    for (Object[] row : chunk.rows()) {
                        counted[i] += ((Number) row[COUNT_COLUMN]).longValue();
                    }
                    rows[i] += chunk.rows().size();
                    if (chunk.failure().isPresent()) {
                        throw new IllegalStateException("query " + name + "-" + i + " failed", chunk.failure().get());
                    }
                    if (chunk.finished()) {
                        finished[i] = true;
                        remaining--;
                    }
                }
            }
            ResourceMeter.Measurement measurement = meter.stop();
            for (int i = 0; i < count; i++) {
                if (rows[i] != expected.windows() || counted[i] != events) {
                    throw new IllegalStateException(String.format(Locale.ROOT,
                            "query %s-%d returned %,d windows counting %,d records; expected %,d windows counting %,d",
                            name, i, rows[i], counted[i], expected.windows(), events));
                }
            }
            return new Run(measurement, fetchers.size());
        } finally {
            for (ContinuousQuery query : running) {
                query.close();
            }
        }
    }

    /** Names of the live fetcher threads of the kafka connector's readers (one per reader). */
    private static Set<String> fetcherThreads() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Set<String> names = new HashSet<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
            if (info != null && FETCHER_THREAD.matcher(info.getThreadName()).matches()) {
                names.add(info.getThreadName());
            }
        }
        return names;
    }

    /** The plan of WindowBenchmark's TUMBLE 10 s count per auction, over the Kafka topic. */
    private PlanNode plan() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("connector", "kafka");
        options.put("topic", TOPIC);
        options.put("bootstrap.servers", bootstrapServers);
        options.put("scan.startup.mode", "earliest-offset");
        options.put("scan.bounded.mode", "latest-offset");
        options.put("format", "json");
        // As WATERMARK FOR "dateTime" AS "dateTime" - INTERVAL '1' SECOND would.
        SourceScan scan = new SourceScan(new SourceSpec("bid", ObjectKind.STREAM, options, BidData.SCHEMA,
                BidData.DATE_TIME, Duration.ofSeconds(1), Optional.empty()));
        return WindowQuery.countPer(scan, BidData.AUCTION, WindowSpec.tumble(BidData.DATE_TIME, true, WINDOW_MILLIS));
    }

    private QueryOptions options() {
        return new QueryOptions(batchInterval, 0, 1_000_000, dataDir, new SourceStatistics(),
                new DeadLetterStore(dataDir.resolve("dead-letters")), InstantSource.system());
    }

    /** What every query must return: one row per (10 s window, auction) pair of the input. */
    record Expected(long windows) {
        static Expected of(BidData data) {
            Set<WindowKey> keys = new HashSet<>();
            for (int i = 0; i < data.size(); i++) {
                keys.add(new WindowKey(Math.floorDiv(data.time(i), WINDOW_MILLIS), data.auction(i)));
            }
            return new Expected(keys.size());
        }
    }

    private record WindowKey(long window, long auction) {
    }
}

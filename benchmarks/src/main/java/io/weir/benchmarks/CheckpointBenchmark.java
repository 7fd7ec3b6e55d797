package io.weir.benchmarks;

import io.weir.engine.checkpoint.CheckpointRecord;
import io.weir.engine.deadletter.DeadLetterStore;
import io.weir.engine.exec.ContinuousQuery;
import io.weir.engine.exec.OutputChunk;
import io.weir.engine.exec.QueryEngine;
import io.weir.engine.exec.QueryOptions;
import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.AggregateKind;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SourceScan;
import io.weir.engine.plan.SourceSpec;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.source.SourceStatistics;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.memory.InMemoryData;
import io.weir.spi.connector.memory.MemoryConnectorFactory;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What checkpoints cost and how fast a query with large state recovers: a TUMBLE and a HOP COUNT(*)
 * per key over {@code --keys} distinct keys (1,000,000 by default, all of them in every open window),
 * run without checkpoints and with one every {@code --checkpoint-interval-ms} (1 s), in events per
 * CPU-second of the process; then the TUMBLE query stopped with all keys in state, {@code --missed}
 * events appended while it was down, and started again: the time to restore its state and the time
 * to catch up.
 *
 * <p>Usage: {@code CheckpointBenchmark [--events N] [--keys N] [--checkpoint-interval-ms N] [--missed N] [--runs N]
 * [--query tumble|hop]}; {@code --query} runs that comparison alone.
 */
public final class CheckpointBenchmark {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final List<DataType.Field> SCHEMA = List.of(
            new DataType.Field("k", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("v", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("ts", DataType.timestamp(3)));

    private final QueryEngine engine;
    private final Path dataDir;

    private CheckpointBenchmark(QueryEngine engine, Path dataDir) {
        this.engine = engine;
        this.dataDir = dataDir;
    }

    public static void main(String[] args) throws Exception {
        int events = 4_000_000;
        int keys = 1_000_000;
        long intervalMillis = 1_000;
        int missed = 1_000_000;
        int runs = 2;
        List<String> queries = List.of("tumble", "hop");
        boolean recovery = true;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(value);
                case "--keys" -> keys = Integer.parseInt(value);
                case "--checkpoint-interval-ms" -> intervalMillis = Long.parseLong(value);
                case "--missed" -> missed = Integer.parseInt(value);
                case "--runs" -> runs = Integer.parseInt(value);
                case "--query" -> {
                    queries = List.of(value);
                    recovery = false;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --events, --keys, --checkpoint-interval-ms, --missed, --runs, --query tumble|hop");
            }
        }
        Path dataDir = ScratchDirectories.create("weir-checkpoint-benchmark");
        try (QueryEngine engine = Engines.microBatch()) {
            new CheckpointBenchmark(engine, dataDir).run(events, keys, Duration.ofMillis(intervalMillis), missed, runs, queries, recovery);
        }
    }

    private void run(int events, int keys, Duration interval, int missed, int runs, List<String> queries, boolean recovery)
            throws InterruptedException {
        // every window of 60 s holds 2.5 keys' worth of events per key: all keys are in state while it is open
        long windowMillis = 60_000;
        double eventsPerMilli = 2.5 * keys / windowMillis;
        List<Object[]> rows = rows(0, events, keys, eventsPerMilli);
        System.out.printf(Locale.ROOT, "%,d events over %,d keys; checkpoints every %s%n", events, keys, interval);
        System.out.printf(Locale.ROOT, "%-10s %18s %18s %8s %12s %10s %20s %16s%n", "query", "events/CPU-s (off)", "events/CPU-s (on)",
                "ratio", "checkpoints", "state MB", "written MB avg/max", "ckpt ms avg/max");
        for (String name : queries) {
            WindowSpec window = name.equals("tumble") ? WindowSpec.tumble(2, true, windowMillis)
                    : WindowSpec.hop(2, true, windowMillis / 5, windowMillis);
            double off = 0;
            double on = 0;
            Run last = null;
            for (int run = 0; run < runs + 1; run++) { // the first of each is a warm-up
                // alternate which goes first, so that neither always finds the heap the other left
                boolean withFirst = run % 2 == 1;
                Run with = withFirst ? runToEnd(name + "-on-" + run, window, rows, Optional.of(interval)) : null;
                Run without = runToEnd(name + "-off-" + run, window, rows, Optional.empty());
                if (!withFirst) {
                    with = runToEnd(name + "-on-" + run, window, rows, Optional.of(interval));
                }
                if (run > 0) {
                    off = Math.max(off, events / (without.measurement().cpuNanos() / 1e9));
                    on = Math.max(on, events / (with.measurement().cpuNanos() / 1e9));
                    last = with;
                }
            }
            System.out.printf(Locale.ROOT, "%-10s %,18.0f %,18.0f %8.2f %12d %10.1f %20s %16s%n", name, off, on, on / off,
                    last.checkpoints().count(), last.checkpoints().stateBytes() / 1e6, last.checkpoints().writtenMegabytes(), last.checkpoints().millis());
        }
        if (recovery) { // with --query only the comparison runs
            slowStream(keys, interval);
            recovery(rows, keys, eventsPerMilli, missed, interval);
        }
    }

    private record Run(ResourceMeter.Measurement measurement, Checkpoints checkpoints) {
    }

    /** The recent checkpoints of a query (up to the last ten): how many in all, the state, and per checkpoint the bytes written and time. */
    private record Checkpoints(long count, long stateBytes, double avgWritten, long maxWritten, double avgMillis, long maxMillis,
                               long incremental, int recent) {
        static Checkpoints of(List<CheckpointRecord> recent) {
            return new Checkpoints(recent.isEmpty() ? 0 : recent.get(recent.size() - 1).id(),
                    recent.isEmpty() ? 0 : recent.get(recent.size() - 1).stateBytes(),
                    recent.stream().mapToLong(CheckpointRecord::bytesWritten).average().orElse(0),
                    recent.stream().mapToLong(CheckpointRecord::bytesWritten).max().orElse(0),
                    recent.stream().mapToLong(CheckpointRecord::durationMillis).average().orElse(0),
                    recent.stream().mapToLong(CheckpointRecord::durationMillis).max().orElse(0),
                    recent.stream().filter(CheckpointRecord::incremental).count(), recent.size());
        }

        String writtenMegabytes() {
            return String.format(Locale.ROOT, "%.2f/%.2f", avgWritten / 1e6, maxWritten / 1e6);
        }

        String millis() {
            return String.format(Locale.ROOT, "%.0f/%d", avgMillis, maxMillis);
        }
    }

    private QueryOptions options(Optional<Duration> checkpoints) {
        QueryOptions options = new QueryOptions(Duration.ofMillis(100), 0, 1_000_000, dataDir, new SourceStatistics(),
                new DeadLetterStore(dataDir.resolve("dead-letters")), InstantSource.system());
        return checkpoints.map(interval -> options.withResumable(true).withCheckpointInterval(interval)).orElse(options);
    }

    private Run runToEnd(String id, WindowSpec window, List<Object[]> rows, Optional<Duration> checkpoints) throws InterruptedException {
        String dataSet = "checkpoint-benchmark-" + id;
        InMemoryData.register(dataSet, rows, true);
        System.gc(); // each run starts from the same heap: the input rows are old, nothing else is left over
        try (ResourceMeter meter = new ResourceMeter();
             ContinuousQuery query = engine.start(id, plan(dataSet, window), options(checkpoints))) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                OutputChunk chunk = query.poll(1_000_000, Duration.ofMillis(10));
                if (chunk.failure().isPresent()) {
                    throw new IllegalStateException("query " + id + " failed", chunk.failure().get());
                }
                if (chunk.finished()) {
                    ResourceMeter.Measurement measurement = meter.stop();
                    return new Run(measurement, Checkpoints.of(query.checkpoints().recent()));
                }
            }
            throw new IllegalStateException("query " + id + " did not finish within " + TIMEOUT);
        } finally {
            InMemoryData.unregister(dataSet);
        }
    }

    /**
     * Incremental checkpoints: a TUMBLE query (one window open) holding all {@code keys}, then a slow
     * stream touching 1% of them a second; what each checkpoint writes should follow the keys touched.
     */
    private void slowStream(int keys, Duration interval) throws InterruptedException {
        String dataSet = "checkpoint-benchmark-slow";
        List<Object[]> all = new ArrayList<>(keys);
        for (long key = 0; key < keys; key++) {
            all.add(new Object[] {key, key, Instant.ofEpochMilli(0)});
        }
        InMemoryData.register(dataSet, all, false);
        try (ContinuousQuery query = engine.start("slow", plan(dataSet, WindowSpec.tumble(2, true, 3_600_000)), options(Optional.of(interval)))) {
            await(() -> query.statistics().rowsIn() >= keys, "reading the keys");
            int perSecond = Math.max(1, keys / 100);
            long total = keys;
            for (int second = 0; second < 12; second++) {
                List<Object[]> touched = new ArrayList<>(perSecond);
                for (int i = 0; i < perSecond; i++) {
                    long key = ((long) second * perSecond + i) * 7_919L % keys;
                    touched.add(new Object[] {key, (long) i, Instant.ofEpochMilli(1_000L + second)});
                }
                InMemoryData.append(dataSet, touched);
                total += perSecond;
                long expected = total;
                await(() -> query.statistics().rowsIn() >= expected, "reading the slow stream");
                Thread.sleep(interval.toMillis());
            }
            Checkpoints checkpoints = Checkpoints.of(query.checkpoints().recent());
            System.out.printf(Locale.ROOT, "slow stream: %,d keys in state, %,d touched a second: %d of the last %d checkpoints"
                    + " incremental; written MB avg/max %s (state %.1f MB); ckpt ms avg/max %s%n", keys, perSecond,
                    checkpoints.incremental(), checkpoints.recent(), checkpoints.writtenMegabytes(), checkpoints.stateBytes() / 1e6,
                    checkpoints.millis());
        } finally {
            InMemoryData.unregister(dataSet);
        }
    }

    /** Stops a TUMBLE query holding every key, appends {@code missed} events, restarts it: restore and catch-up times. */
    private void recovery(List<Object[]> rows, int keys, double eventsPerMilli, int missed, Duration interval)
            throws InterruptedException {
        String dataSet = "checkpoint-benchmark-recovery";
        String id = "recovery";
        InMemoryData.register(dataSet, rows, false);
        WindowSpec window = WindowSpec.tumble(2, true, 3_600_000); // one window open through the whole run
        try {
            try (ContinuousQuery query = engine.start(id, plan(dataSet, window), options(Optional.of(interval)))) {
                await(() -> query.statistics().rowsIn() >= rows.size(), "reading the input");
            } // a clean stop: a last checkpoint
            InMemoryData.append(dataSet, rows(rows.size(), missed, keys, eventsPerMilli));
            long total = rows.size() + (long) missed;
            Instant started = Instant.now();
            try (ContinuousQuery query = engine.start(id, plan(dataSet, window), options(Optional.of(interval)))) {
                await(() -> query.checkpoints().restoredFrom().isPresent(), "restoring");
                Duration restore = Duration.between(started, Instant.now());
                await(() -> query.statistics().rowsIn() >= total, "catching up");
                Duration caughtUp = Duration.between(started, Instant.now()).minus(restore);
                System.out.printf(Locale.ROOT, "recovery: %,d keys of window state restored in %,d ms; %,d missed events caught up in %,d ms more%n",
                        keys, restore.toMillis(), missed, caughtUp.toMillis());
            }
        } finally {
            InMemoryData.unregister(dataSet);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " took longer than " + TIMEOUT);
            }
            Thread.sleep(5); // a benchmark's poll, not a test's synchronization
        }
    }

    private static List<Object[]> rows(int from, int count, int keys, double eventsPerMilli) {
        List<Object[]> rows = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            long key = (i * 7_919L) % keys;
            rows.add(new Object[] {key, (long) i, Instant.ofEpochMilli((long) (i / eventsPerMilli))});
        }
        return rows;
    }

    private static PlanNode plan(String dataSet, WindowSpec window) {
        SourceScan scan = new SourceScan(new SourceSpec("events", ObjectKind.STREAM,
                Map.of("connector", MemoryConnectorFactory.NAME, MemoryConnectorFactory.DATA.key(), dataSet),
                SCHEMA, 2, Duration.ZERO, Optional.empty()));
        AggregateCall count = new AggregateCall(AggregateKind.COUNT, -1, false, -1,
                DataType.of(TypeKind.BIGINT).withNullable(false), "cnt");
        return new WindowAggregate(scan, window, List.of(0), List.of(count),
                WindowAggregate.outputType(scan.outputType(), List.of(0), List.of(count)));
    }
}

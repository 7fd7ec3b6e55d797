package io.weir.benchmarks;

import io.weir.engine.deadletter.DeadLetterStore;
import io.weir.engine.exec.ContinuousQuery;
import io.weir.engine.exec.OutputChunk;
import io.weir.engine.exec.QueryEngine;
import io.weir.engine.exec.QueryOptions;
import io.weir.engine.source.SourceStatistics;
import io.weir.spi.connector.memory.InMemoryData;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the Nexmark window queries through the micro-batch engine over bids generated in memory
 * beforehand and prints, per query: events per CPU-second of the whole process (GC and JIT
 * included) and of the query's thread alone, wall events/s, allocation rate, and the heap each open
 * (window, key) state takes. Each query runs once to warm up, once measured for
 * throughput (bounded input: the run ends when the last windows fire), and once with the same input
 * left unbounded to measure the state held for the windows still open.
 *
 * <p>Usage: {@code WindowBenchmark [--events N] [--warmup-events N] [--rate events-per-second]
 * [--batch-interval-ms N] [--query NAME]}.
 */
public final class WindowBenchmark {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

    private final QueryEngine engine;
    private final Path dataDir;
    private final Duration batchInterval;
    private final PrintStream out;

    WindowBenchmark(QueryEngine engine, Path dataDir, Duration batchInterval, PrintStream out) {
        this.engine = engine;
        this.dataDir = dataDir;
        this.batchInterval = batchInterval;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        int events = 5_000_000;
        int warmup = 1_000_000;
        long rate = 100_000;
        long batchMillis = 100;
        List<WindowQuery> queries = new ArrayList<>(List.of(WindowQuery.values()));
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(value);
                case "--warmup-events" -> warmup = Integer.parseInt(value);
                case "--rate" -> rate = Long.parseLong(value);
                case "--batch-interval-ms" -> batchMillis = Long.parseLong(value);
                case "--query" -> queries = List.of(WindowQuery.valueOf(value.toUpperCase(Locale.ROOT)));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --events, --warmup-events, --rate, --batch-interval-ms, --query");
            }
        }
        Path dataDir = ScratchDirectories.create("weir-benchmark");
        try (QueryEngine engine = Engines.microBatch()) {
            WindowBenchmark benchmark = new WindowBenchmark(engine, dataDir, Duration.ofMillis(batchMillis), System.out);
            benchmark.run(queries, events, warmup, rate);
        }
    }

    void run(List<WindowQuery> queries, int events, int warmupEvents, long rate) throws InterruptedException {
        out.printf(Locale.ROOT, "Generating %,d Nexmark bids (%,d events/s of event time) ...%n", events, rate);
        BidData data = BidData.generate(events, rate, 42);
        BidData warmup = BidData.generate(warmupEvents, rate, 7);
        out.printf(Locale.ROOT, "%-28s %16s %18s %16s %12s %16s %12s %10s%n", "query", "events/CPU-s", "events/query-CPU-s",
                "events/s (wall)", "alloc MB/s", "bytes/open state", "open states", "rows out");
        for (WindowQuery query : queries) {
            runToEnd(query, warmup);
            Run run = runToEnd(query, data);
            long stateBytes = stateBytes(query, data);
            long open = query.openStates(data);
            ResourceMeter.Measurement m = run.measurement();
            out.printf(Locale.ROOT, "%-28s %,16.0f %,18.0f %,16.0f %,12.1f %,16.0f %,12d %,10d%n",
                    query.name().toLowerCase(Locale.ROOT), events / (m.cpuNanos() / 1e9),
                    events / (m.queryThreadCpuNanos() / 1e9), events / (m.wallNanos() / 1e9),
                    m.allocatedBytes() / 1e6 / (m.wallNanos() / 1e9),
                    open == 0 ? Double.NaN : (double) stateBytes / open, open, run.rowsOut());
        }
    }

    private record Run(ResourceMeter.Measurement measurement, long rowsOut) {
    }

    private QueryOptions options() {
        return new QueryOptions(batchInterval, 0, 1_000_000, dataDir, new SourceStatistics(),
                new DeadLetterStore(dataDir.resolve("dead-letters")), InstantSource.system());
    }

    /** Bounded input: runs until the query finished (event time) or read and aggregated everything (processing time). */
    private Run runToEnd(WindowQuery query, BidData data) throws InterruptedException {
        String dataSet = "nexmark-" + query.name().toLowerCase(Locale.ROOT);
        InMemoryData.register(dataSet, data.rows(), true);
        try (ResourceMeter meter = new ResourceMeter();
             ContinuousQuery running = engine.start(query.name().toLowerCase(Locale.ROOT), query.plan(dataSet), options())) {
            long rowsOut = 0;
            long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
            long batchesWhenRead = -1;
            while (System.nanoTime() < deadline) {
                OutputChunk chunk = running.poll(100_000, Duration.ofMillis(10));
                rowsOut += chunk.rows().size();
                if (chunk.failure().isPresent()) {
                    throw new IllegalStateException("query " + query + " failed", chunk.failure().get());
                }
                if (chunk.finished()) {
                    return new Run(meter.stop(), rowsOut);
                }
                // Processing-time windows close with the clock, not with the input: stop once the
                // batch after the one that read the last event has run.
                var statistics = running.statistics();
                if (query == WindowQuery.PROCTIME_TUMBLE_PER_BIDDER && statistics.rowsIn() >= data.size()) {
                    if (batchesWhenRead < 0) {
                        batchesWhenRead = statistics.batches();
                    } else if (statistics.batches() > batchesWhenRead) {
                        return new Run(meter.stop(), rowsOut);
                    }
                }
            }
            throw new IllegalStateException("query " + query + " did not finish within " + RUN_TIMEOUT);
        } finally {
            InMemoryData.unregister(dataSet);
        }
    }

    /** Heap held by the query once all input was read and the watermark reached the last event. */
    private long stateBytes(WindowQuery query, BidData data) throws InterruptedException {
        String dataSet = "nexmark-state-" + query.name().toLowerCase(Locale.ROOT);
        InMemoryData.register(dataSet, data.rows(), false);
        try {
            long before = ResourceMeter.liveHeapBytes();
            try (ContinuousQuery running = engine.start(query.name().toLowerCase(Locale.ROOT) + "-state", query.plan(dataSet), options())) {
                long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
                long batchesWhenRead = -1;
                while (System.nanoTime() < deadline) {
                    OutputChunk chunk = running.poll(100_000, Duration.ofMillis(10));
                    if (chunk.finished()) {
                        throw new IllegalStateException("unbounded query " + query + " ended: " + chunk.failure());
                    }
                    var statistics = running.statistics();
                    if (statistics.rowsIn() >= data.size()) {
                        if (batchesWhenRead < 0) {
                            batchesWhenRead = statistics.batches();
                        } else if (statistics.batches() > batchesWhenRead + 1) {
                            // Everything read, aggregated and the windows the watermark passed fired.
                            return Math.max(0, ResourceMeter.liveHeapBytes() - before);
                        }
                    }
                }
                throw new IllegalStateException("query " + query + " did not read its input within " + RUN_TIMEOUT);
            }
        } finally {
            InMemoryData.unregister(dataSet);
        }
    }
}

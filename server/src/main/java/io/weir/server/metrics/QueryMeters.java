package io.weir.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.weir.engine.exec.QueryStatistics;
import io.weir.engine.exec.RunningQueries;
import io.weir.engine.exec.RunningQueries.QueryInfo;
import io.weir.engine.latency.LatencyPercentiles;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Meters of every running query, labelled by its id and kind, read from {@link RunningQueries#list()} at
 * each scrape (so the queries' own threads do no extra work): rows in and out, late rows and micro-batches
 * as counters; watermark lag (now minus the watermark), source lag in records, state rows and bytes,
 * parallelism and the result latency's percentiles as gauges. A query that ended loses its meters at the next scrape.
 */
final class QueryMeters {
    private final MeterRegistry registry;
    private final RunningQueries queries;
    private final InstantSource clock;
    private final Map<String, Tracked> tracked = new HashMap<>();

    QueryMeters(MeterRegistry registry, RunningQueries queries, InstantSource clock) {
        this.registry = registry;
        this.queries = queries;
        this.clock = clock;
    }

    /** The latest figures of one query, which its meters read. */
    private static final class Tracked {
        volatile QueryInfo query;
        volatile QueryStatistics statistics;
        final List<Meter> meters = new ArrayList<>();

        Tracked(QueryInfo query) {
            update(query);
        }

        void update(QueryInfo latest) {
            query = latest;
            statistics = latest.statistics();
        }
    }

    synchronized void refresh() {
        Set<String> seen = new HashSet<>();
        for (QueryInfo query : queries.list()) {
            seen.add(query.id());
            Tracked existing = tracked.get(query.id());
            if (existing != null) {
                existing.update(query);
            } else {
                tracked.put(query.id(), register(query));
            }
        }
        tracked.entrySet().removeIf(entry -> {
            if (seen.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().meters.forEach(registry::remove);
            return true;
        });
    }

    private Tracked register(QueryInfo query) {
        Tracked t = new Tracked(query);
        Tags tags = Tags.of("query", query.id(), "kind", query.kind().name().toLowerCase(Locale.ROOT));
        t.meters.add(FunctionCounter.builder("weir.query.rows.in", t, x -> x.statistics.rowsIn())
                .description("Rows the query read from its sources").tags(tags).register(registry));
        t.meters.add(FunctionCounter.builder("weir.query.rows.out", t, x -> x.statistics.rowsOut())
                .description("Rows the query produced (to its client or sink)").tags(tags).register(registry));
        t.meters.add(FunctionCounter.builder("weir.query.late.rows", t, x -> x.statistics.lateRows())
                .description("Rows that arrived after the watermark had passed their window").tags(tags).register(registry));
        t.meters.add(FunctionCounter.builder("weir.query.batches", t, x -> x.statistics.batches())
                .description("Micro-batches the query ran").tags(tags).register(registry));
        t.meters.add(Gauge.builder("weir.query.watermark.lag", t, this::watermarkLagSeconds).baseUnit("seconds")
                .description("Now minus the query's watermark (NaN before it has one, or once its input is finished)")
                .tags(tags).register(registry));
        t.meters.add(Gauge.builder("weir.query.source.lag", t, x -> x.statistics.lag() < 0 ? Double.NaN : x.statistics.lag())
                .baseUnit("records").description("Records at the sources not read yet (NaN when the sources cannot tell)")
                .tags(tags).register(registry));
        t.meters.add(Gauge.builder("weir.query.state.rows", t, x -> x.statistics.stateRows())
                .description("Rows held in the query's state (windows, groups, join buffers)").tags(tags).register(registry));
        t.meters.add(Gauge.builder("weir.query.state", t, x -> x.statistics.stateBytes()).baseUnit("bytes")
                .description("Memory of the query's state, estimated").tags(tags).register(registry));
        t.meters.add(Gauge.builder("weir.query.parallelism", t, x -> x.statistics.parallelism())
                .description("Tasks the query runs as").tags(tags).register(registry));
        t.meters.add(Gauge.builder("weir.query.failed.attempts", t, x -> x.query.retries().failedAttempts())
                .description("Attempts that failed in a row (a persistent query retrying after failures; 0 while it runs)")
                .tags(tags).register(registry));
        t.meters.add(Gauge.builder("weir.query.checkpoint.age", t, this::checkpointAgeSeconds).baseUnit("seconds")
                .description("Time since the query's last completed checkpoint (NaN for a query that does not checkpoint or has"
                        + " not completed one)").tags(tags).register(registry));
        t.meters.add(FunctionTimer.builder("weir.query.batch.duration", t, x -> x.statistics.batches(),
                        x -> x.statistics.batchNanos(), TimeUnit.NANOSECONDS)
                .description("Micro-batches run and the time they took (rate of _sum over rate of _count: the mean duration)")
                .tags(tags).register(registry));
        t.meters.add(Gauge.builder("weir.query.output.queue", t, x -> x.statistics.outputQueueRows()).baseUnit("rows")
                .description("Result rows waiting for the client to take them (push queries; a full queue makes the query"
                        + " wait for its client)").tags(tags).register(registry));
        for (double quantile : new double[] {0.5, 0.99, 0.999}) {
            t.meters.add(Gauge.builder("weir.query.result.latency", t, x -> resultLatencySeconds(x.statistics.resultLatency(), quantile))
                    .baseUnit("seconds").tags(tags).tag("quantile", Double.toString(quantile))
                    .description("From the start of the micro-batch that produced a row to its client taking it (or its sink"
                            + " being handed it), over the last one to two minutes; NaN when no row was taken lately")
                    .register(registry));
            t.meters.add(Gauge.builder("weir.query.end.to.end.latency", t, x -> resultLatencySeconds(x.statistics.endToEndLatency(), quantile))
                    .baseUnit("seconds").tags(tags).tag("quantile", Double.toString(quantile))
                    .description("From a record's arrival at the server to the first result row it contributes to being taken by"
                            + " the client (or handed to the sink), over the last one to two minutes; NaN when none lately")
                    .register(registry));
        }
        return t;
    }

    private static double resultLatencySeconds(LatencyPercentiles latency, double quantile) {
        if (!latency.known()) {
            return Double.NaN;
        }
        double millis = quantile == 0.5 ? latency.p50Millis() : quantile == 0.99 ? latency.p99Millis() : latency.p999Millis();
        return millis / 1000.0;
    }

    private double checkpointAgeSeconds(Tracked t) {
        return t.query.checkpoints().last().map(last -> (clock.millis() - last.completedAt().toEpochMilli()) / 1000.0)
                .orElse(Double.NaN);
    }

    private double watermarkLagSeconds(Tracked t) {
        long watermark = t.statistics.watermarkMillis();
        // Long.MIN_VALUE: no watermark yet; Long.MAX_VALUE: every input finished
        if (watermark == Long.MIN_VALUE || watermark == Long.MAX_VALUE) {
            return Double.NaN;
        }
        return (clock.millis() - watermark) / 1000.0;
    }
}

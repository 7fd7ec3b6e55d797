package io.weir.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.weir.engine.source.SourceStatistics;
import io.weir.spi.error.SourceCounters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counters of every stream and table read since the server started, by object name, as
 * {@code sys.source_statistics} shows them: records read, skipped (bad, under {@code 'on-error' = 'skip'})
 * and dead-lettered. Synced at each scrape; a dropped object's counters go with it.
 */
final class SourceMeters {
    private final MeterRegistry registry;
    private final SourceStatistics statistics;
    private final Map<String, Tracked> tracked = new HashMap<>();

    SourceMeters(MeterRegistry registry, SourceStatistics statistics) {
        this.registry = registry;
        this.statistics = statistics;
    }

    private static final class Tracked {
        volatile SourceCounters.Snapshot snapshot;
        final List<Meter> meters = new ArrayList<>();

        Tracked(SourceCounters.Snapshot snapshot) {
            this.snapshot = snapshot;
        }
    }

    synchronized void refresh() {
        Map<String, SourceCounters.Snapshot> now = statistics.snapshot();
        now.forEach((name, snapshot) -> {
            Tracked existing = tracked.get(name);
            if (existing != null) {
                existing.snapshot = snapshot;
            } else {
                tracked.put(name, register(name, snapshot));
            }
        });
        tracked.entrySet().removeIf(entry -> {
            if (now.containsKey(entry.getKey())) {
                return false;
            }
            entry.getValue().meters.forEach(registry::remove);
            return true;
        });
    }

    private Tracked register(String name, SourceCounters.Snapshot snapshot) {
        Tracked t = new Tracked(snapshot);
        Tags tags = Tags.of("source", name);
        t.meters.add(FunctionCounter.builder("weir.source.records.read", t, x -> x.snapshot.read())
                .description("Records read from the stream or table").tags(tags).register(registry));
        t.meters.add(FunctionCounter.builder("weir.source.records.skipped", t, x -> x.snapshot.skipped())
                .description("Records that could not be decoded and were dropped ('on-error' = 'skip')").tags(tags).register(registry));
        t.meters.add(FunctionCounter.builder("weir.source.records.dead.lettered", t, x -> x.snapshot.deadLettered())
                .description("Records that could not be decoded and went to sys.dead_letters").tags(tags).register(registry));
        return t;
    }
}

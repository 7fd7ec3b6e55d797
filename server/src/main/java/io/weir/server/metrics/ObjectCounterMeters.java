package io.weir.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import static java.util.Objects.requireNonNull;

/**
 * Counters kept per catalog object since the server started (sources' records read, sinks' rows written),
 * as Micrometer function counters tagged by the object's name: synced at each scrape from a snapshot of
 * every object's figures; an object no longer in the snapshot (dropped) takes its meters with it.
 *
 * @param <S> one object's figures at one moment
 */
final class ObjectCounterMeters<S> {
    /** One counter of each object: its name, what it counts, and its value in a snapshot. */
    record Counted<S>(String name, String description, ToDoubleFunction<S> value) {
    }

    private final MeterRegistry registry;
    private final Supplier<Map<String, S>> snapshot;
    private final String tag;
    private final List<Counted<S>> counted;
    private final Map<String, Tracked<S>> tracked = new HashMap<>();

    ObjectCounterMeters(MeterRegistry registry, Supplier<Map<String, S>> snapshot, String tag, List<Counted<S>> counted) {
        this.registry = requireNonNull(registry, "registry is null");
        this.snapshot = requireNonNull(snapshot, "snapshot is null");
        this.tag = requireNonNull(tag, "tag is null");
        this.counted = List.copyOf(counted);
    }

    private static final class Tracked<S> {
        volatile S snapshot;
        final List<Meter> meters = new ArrayList<>();

        Tracked(S snapshot) {
            this.snapshot = snapshot;
        }
    }

    synchronized void refresh() {
        Map<String, S> now = snapshot.get();
        now.forEach((name, figures) -> {
            Tracked<S> existing = tracked.get(name);
            if (existing != null) {
                existing.snapshot = figures;
            } else {
                tracked.put(name, register(name, figures));
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

    private Tracked<S> register(String name, S figures) {
        Tracked<S> t = new Tracked<>(figures);
        Tags tags = Tags.of(tag, name);
        for (Counted<S> counter : counted) {
            t.meters.add(FunctionCounter.builder(counter.name(), t, x -> counter.value().applyAsDouble(x.snapshot))
                    .description(counter.description()).tags(tags).register(registry));
        }
        return t;
    }
}

package io.weir.sql.query;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The most recently used plans of plain queries by their text: a dashboard that runs the same query
 * every few seconds has it parsed, planned and compiled once (compiling the generated code alone takes
 * milliseconds), not each time. Everything is forgotten when the catalog changes ({@link #clear}), and
 * a plan made while it changed is not kept. Thread-safe.
 */
final class PlanCache<K, V> {
    private final int capacity;
    private final Map<K, V> plans;
    private long generation;

    PlanCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.plans = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > PlanCache.this.capacity;
            }
        };
    }

    /** The plan for {@code key}: the cached one, or the one {@code plan} makes (cached unless the catalog changed meanwhile). */
    V get(K key, Supplier<V> plan) {
        requireNonNull(key, "key is null");
        long plannedIn;
        synchronized (this) {
            V cached = plans.get(key);
            if (cached != null) {
                return cached;
            }
            plannedIn = generation;
        }
        V planned = requireNonNull(plan.get(), "plan is null"); // not under the lock: planning takes milliseconds
        synchronized (this) {
            if (generation == plannedIn) {
                plans.put(key, planned);
            }
        }
        return planned;
    }

    /** The cached plan for {@code key}, if any. */
    synchronized Optional<V> cached(K key) {
        return Optional.ofNullable(plans.get(key));
    }

    /** Forgets every plan: the objects they read may have changed. */
    synchronized void clear() {
        generation++;
        plans.clear();
    }

    synchronized int size() {
        return plans.size();
    }
}

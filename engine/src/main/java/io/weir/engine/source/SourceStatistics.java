package io.weir.engine.source;

import io.weir.spi.error.SourceCounters;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters of records read, skipped and dead-lettered, per stream or table, shared by every query
 * that reads it, for {@code sys.source_statistics} and DESCRIBE. Counts live as long as the server.
 */
public final class SourceStatistics {
    private final Map<String, Entry> counters = new ConcurrentHashMap<>();

    /** The counters of the object named {@code objectName} (names compare ignoring case). */
    public SourceCounters counters(String objectName) {
        return counters.computeIfAbsent(objectName.toLowerCase(Locale.ROOT), key -> new Entry(objectName, new SourceCounters()))
                .counters();
    }

    /** Forgets an object's counts, when it is dropped or replaced. */
    public void remove(String objectName) {
        counters.remove(objectName.toLowerCase(Locale.ROOT));
    }

    /** Every object's counts, by name. */
    public Map<String, SourceCounters.Snapshot> snapshot() {
        Map<String, SourceCounters.Snapshot> result = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        counters.values().forEach(entry -> result.put(entry.name(), entry.counters().snapshot()));
        return result;
    }

    private record Entry(String name, SourceCounters counters) {
    }
}

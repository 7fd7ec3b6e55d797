package io.weir.spi.connector;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/** The {@link SinkCounters} of a server's sinks, by object name (ignoring case). One per server; thread-safe. */
public final class SinkStatistics {
    /** By lower-cased name: the counters and the name as first written. */
    private final Map<String, Named> counters = new ConcurrentHashMap<>();

    private record Named(String name, SinkCounters counters) {
    }

    /** The counters of sink {@code objectName}, created at first use. */
    public SinkCounters counters(String objectName) {
        requireNonNull(objectName, "objectName is null");
        return counters.computeIfAbsent(objectName.toLowerCase(Locale.ROOT), key -> new Named(objectName, new SinkCounters())).counters();
    }

    /** Forgets a dropped object's counters (a new object of the same name starts from zero). */
    public void forget(String objectName) {
        counters.remove(objectName.toLowerCase(Locale.ROOT));
    }

    /** Every sink's figures, by name as first written, in name order. */
    public Map<String, SinkCounters.Snapshot> snapshot() {
        Map<String, SinkCounters.Snapshot> snapshot = new TreeMap<>();
        counters.values().forEach(named -> snapshot.put(named.name(), named.counters().snapshot()));
        return snapshot;
    }
}

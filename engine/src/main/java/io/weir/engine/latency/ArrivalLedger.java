package io.weir.engine.latency;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The arrivals of the records an operator holds until their first result is emitted, by the event (or processing)
 * time at which that happens: a window's fire time, an OVER row's time. {@link #hold} when a record is taken in,
 * {@link #releaseThrough} when the operator's progress passes a time (the results of everything up to it are
 * emitted now). Kept in memory only: records restored from a checkpoint count from no arrival. Not thread-safe:
 * one per operator.
 */
public final class ArrivalLedger {
    private final NavigableMap<Long, ArrivalRuns> byThreshold = new TreeMap<>();
    /** The runs of the threshold held last: rows of a chunk mostly share their window. */
    private long lastThreshold;
    private ArrivalRuns last;

    /** {@code records} records that arrived at {@code arrivalNanos} have their first result when the progress reaches {@code threshold}. */
    public void hold(long threshold, long arrivalNanos, long records) {
        if (arrivalNanos == io.weir.spi.batch.Batch.ARRIVAL_UNKNOWN || records <= 0) {
            return;
        }
        ArrivalRuns runs = last;
        if (runs == null || lastThreshold != threshold) {
            runs = byThreshold.computeIfAbsent(threshold, t -> new ArrivalRuns());
            last = runs;
            lastThreshold = threshold;
        }
        runs.add(arrivalNanos, records);
    }

    /** The records held up to {@code threshold} (inclusive) have their first result in this micro-batch. */
    public void releaseThrough(long threshold, ResultArrivals into) {
        if (byThreshold.isEmpty() || byThreshold.firstKey() > threshold) {
            return;
        }
        NavigableMap<Long, ArrivalRuns> due = byThreshold.headMap(threshold, true);
        for (ArrivalRuns runs : due.values()) {
            runs.releaseInto(into);
        }
        due.clear();
        last = null;
    }

    /** Every record held has its first result in this micro-batch (e.g. open windows emitted early). */
    public void releaseAll(ResultArrivals into) {
        releaseThrough(Long.MAX_VALUE, into);
    }

    /**
     * The records held at {@code from} now wait for {@code to} (a session merged into a later one); nothing
     * when nothing is held at {@code from}.
     */
    public void move(long from, long to) {
        if (from == to) {
            return;
        }
        ArrivalRuns runs = byThreshold.remove(from);
        if (runs == null) {
            return;
        }
        ArrivalRuns target = byThreshold.get(to);
        if (target == null) {
            byThreshold.put(to, runs);
        } else {
            target.addAll(runs);
        }
        last = null;
    }

    /** Forgets everything held (the operator's state was replaced). */
    public void clear() {
        byThreshold.clear();
        last = null;
    }

    /** Thresholds with records held; for tests. */
    int thresholds() {
        return byThreshold.size();
    }

    /** Records held; for tests. */
    long records() {
        long total = 0;
        for (Map.Entry<Long, ArrivalRuns> entry : byThreshold.entrySet()) {
            for (int run = 0; run < entry.getValue().size(); run++) {
                total += entry.getValue().records(run);
            }
        }
        return total;
    }
}

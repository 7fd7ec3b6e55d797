package io.weir.engine.latency;

import java.util.Arrays;

/**
 * Arrival times of records, as runs of {arrival, records} in the order they were added. A run per source chunk
 * is exact; past {@link #MAX_RUNS} runs the older half is merged pairwise (each pair into its record-weighted
 * mean arrival), so a long window keeps a bounded number of runs, with its newest arrivals exact and its oldest
 * ones (whose latencies are the longest) coarser. Not thread-safe.
 */
public final class ArrivalRuns {
    static final int MAX_RUNS = 64;

    private long[] arrivals = new long[4];
    private long[] records = new long[4];
    private int size;

    public void add(long arrivalNanos, long count) {
        if (size > 0 && arrivals[size - 1] == arrivalNanos) {
            records[size - 1] += count;
            return;
        }
        if (size == MAX_RUNS) {
            compactOlderHalf();
        }
        if (size == arrivals.length) {
            arrivals = Arrays.copyOf(arrivals, size * 2);
            records = Arrays.copyOf(records, size * 2);
        }
        arrivals[size] = arrivalNanos;
        records[size] = count;
        size++;
    }

    public void addAll(ArrivalRuns other) {
        for (int i = 0; i < other.size; i++) {
            add(other.arrivals[i], other.records[i]);
        }
    }

    /** Hands every run to {@code arrivals} as records whose first result is emitted now. */
    public void releaseInto(ResultArrivals into) {
        for (int i = 0; i < size; i++) {
            into.contributed(arrivals[i], records[i]);
        }
    }

    int size() {
        return size;
    }

    long arrival(int run) {
        return arrivals[run];
    }

    long records(int run) {
        return records[run];
    }

    private void compactOlderHalf() {
        int half = size / 2;
        int out = 0;
        for (int i = 0; i + 1 < half; i += 2) {
            long n = records[i] + records[i + 1];
            // the weighted mean, computed from the earlier arrival so that it cannot overflow
            long mean = arrivals[i] + (long) ((double) (arrivals[i + 1] - arrivals[i]) * records[i + 1] / n);
            arrivals[out] = mean;
            records[out] = n;
            out++;
        }
        int from = half - (half % 2);
        for (int i = from; i < size; i++) {
            arrivals[out] = arrivals[i];
            records[out] = records[i];
            out++;
        }
        size = out;
    }
}

package io.weir.engine.latency;

import java.util.ArrayList;
import java.util.List;

/** The arrivals released into a micro-batch, kept as runs of {arrival, records} for tests to look at. */
final class RecordedArrivals extends ResultArrivals {
    final List<long[]> runs = new ArrayList<>();

    @Override
    public synchronized void contributed(long arrivalNanos, long records) {
        runs.add(new long[] {arrivalNanos, records});
    }

    long records() {
        return runs.stream().mapToLong(run -> run[1]).sum();
    }

    /** Whether every run arrived between {@code from} and {@code to} ({@link System#nanoTime()}). */
    boolean allWithin(long from, long to) {
        return runs.stream().allMatch(run -> run[0] >= from && run[0] <= to);
    }
}

package io.weir.engine.latency;

import org.HdrHistogram.Histogram;

/**
 * A latency's percentiles over the last one to two minutes: two histograms (microseconds, two significant digits)
 * that take turns, so that the figures say how a query does now rather than since it started. Not thread-safe:
 * its owner records and reads it under its own lock.
 */
public final class LatencyWindow {
    private static final long WINDOW_NANOS = 60_000_000_000L;

    private Histogram current = new Histogram(2);
    private Histogram previous = new Histogram(2);
    private long currentSince;

    public LatencyWindow(long nowNanos) {
        this.currentSince = nowNanos;
    }

    /** {@code count} values of {@code latencyNanos} (negative ones count as 0) measured at {@code nowNanos}. */
    public void record(long latencyNanos, long count, long nowNanos) {
        rotate(nowNanos);
        current.recordValueWithCount(Math.max(0, latencyNanos / 1_000), count);
    }

    /** The percentiles now; {@link LatencyPercentiles#NONE} when nothing was measured in the last minutes. */
    public LatencyPercentiles percentiles(long nowNanos) {
        rotate(nowNanos);
        Histogram both = current.copy();
        both.add(previous);
        if (both.getTotalCount() == 0) {
            return LatencyPercentiles.NONE;
        }
        return new LatencyPercentiles(both.getValueAtPercentile(50) / 1000.0, both.getValueAtPercentile(99) / 1000.0,
                both.getValueAtPercentile(99.9) / 1000.0, both.getMaxValue() / 1000.0);
    }

    private void rotate(long nowNanos) {
        long age = nowNanos - currentSince;
        if (age < WINDOW_NANOS) {
            return;
        }
        if (age < 2 * WINDOW_NANOS) {
            // the current minute becomes the previous one; the old previous one is reused
            Histogram recycled = previous;
            previous = current;
            recycled.reset();
            current = recycled;
        } else {
            current.reset(); // nothing was measured for minutes: both are stale
            previous.reset();
        }
        currentSince = nowNanos;
    }
}

package io.weir.engine.exec;

import org.HdrHistogram.Histogram;

import java.util.ArrayDeque;

/**
 * A push query's result latency: for each row handed to its client, the time since the start of the
 * micro-batch that produced it, the batch boundary up to which its input was read (a window's row:
 * the boundary after which the watermark passed the window's end). Kept as percentiles over the last
 * one to two minutes (two histograms that take turns), so that they say how the query does now.
 * Not thread-safe: the query uses it under its lock.
 */
final class ResultLatency {
    private static final long WINDOW_NANOS = 60_000_000_000L;

    /** Stamps of the rows queued, oldest first, as runs of {stamp, rows}. */
    private final ArrayDeque<long[]> stamps = new ArrayDeque<>();
    private Histogram current = new Histogram(2);
    private Histogram previous = new Histogram(2);
    private long currentSince;

    ResultLatency(long nowNanos) {
        this.currentSince = nowNanos;
    }

    /** A row produced in the micro-batch started at {@code batchStartNanos} was queued. */
    void queued(long batchStartNanos) {
        long[] last = stamps.peekLast();
        if (last != null && last[0] == batchStartNanos) {
            last[1]++;
        } else {
            stamps.addLast(new long[] {batchStartNanos, 1});
        }
    }

    /** The oldest queued row was handed to the client at {@code nowNanos}. */
    void delivered(long nowNanos) {
        long[] first = stamps.peekFirst();
        if (first == null) {
            return;
        }
        rotate(nowNanos);
        current.recordValue(Math.max(0, (nowNanos - first[0]) / 1_000));
        if (--first[1] == 0) {
            stamps.pollFirst();
        }
    }

    /** The queued rows were dropped (the query was discarded): none will be delivered. */
    void clear() {
        stamps.clear();
    }

    /** The latency percentiles now; {@link LatencyPercentiles#NONE} when no row was delivered in the last minutes. */
    LatencyPercentiles percentiles(long nowNanos) {
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
            current.reset(); // nothing was delivered for minutes: both are stale
            previous.reset();
        }
        currentSince = nowNanos;
    }
}

package io.weir.engine.latency;

import java.util.Arrays;

/**
 * The records whose first result rows one micro-batch emits, as when they arrived at the server: filled by the
 * operators while the batch runs ({@link #contributed}), taken by the query when it hands the batch's rows to its
 * client or sink ({@link #drainInto}). Operators of a parallel query fill it from several threads: thread-safe.
 */
public class ResultArrivals {
    /** Collects nothing: for runs that measure no latency (tests, one-off plans). */
    public static final ResultArrivals IGNORED = new ResultArrivals() {
        @Override
        public void contributed(long arrivalNanos, long records) {
        }
    };

    private long[] arrivals = new long[16];
    private long[] records = new long[16];
    /** Volatile so that {@link #isEmpty} needs no lock: the query asks for every row it hands out. */
    private volatile int size;

    /** {@code records} records that arrived at {@code arrivalNanos} ({@link System#nanoTime()}) have their first result now. */
    public synchronized void contributed(long arrivalNanos, long records) {
        if (records <= 0 || arrivalNanos == io.weir.spi.batch.Batch.ARRIVAL_UNKNOWN) {
            return;
        }
        if (size > 0 && arrivals[size - 1] == arrivalNanos) {
            this.records[size - 1] += records;
            return;
        }
        if (size == arrivals.length) {
            arrivals = Arrays.copyOf(arrivals, size * 2);
            this.records = Arrays.copyOf(this.records, size * 2);
        }
        arrivals[size] = arrivalNanos;
        this.records[size] = records;
        size++;
    }

    /**
     * Records the latency of every record collected so far, their first results having been handed out at
     * {@code deliveredNanos}, and forgets them (records collected later are measured at the next call).
     */
    public synchronized void drainInto(LatencyWindow latency, long deliveredNanos) {
        for (int i = 0; i < size; i++) {
            latency.record(deliveredNanos - arrivals[i], records[i], deliveredNanos);
        }
        size = 0;
    }

    /** Whether records were collected and not drained yet. */
    public boolean isEmpty() {
        return size == 0;
    }
}

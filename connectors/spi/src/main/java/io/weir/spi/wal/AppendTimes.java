package io.weir.spi.wal;

import io.weir.spi.batch.Batch;

/**
 * When the newest appends to a write-ahead log arrived ({@link System#nanoTime()}), by offset range, so that its
 * readers can tell when the records they read reached the server (the end-to-end latency counts from there).
 * Kept in memory only, for the last {@link #CAPACITY} appends: older records, and records appended before the
 * server started, have no known arrival. Thread-safe.
 */
final class AppendTimes {
    static final int CAPACITY = 8192;

    /** One append: offsets {@code [start, end)} arrived at {@code nanos}; {@link #UNKNOWN} for offsets not kept. */
    record Append(long start, long end, long nanos) {
    }

    static final Append UNKNOWN = new Append(0, 0, Batch.ARRIVAL_UNKNOWN);

    private final long[] starts = new long[CAPACITY];
    private final long[] ends = new long[CAPACITY];
    private final long[] nanos = new long[CAPACITY];
    /** Appends kept, the newest at {@code (head + size - 1) % CAPACITY}. */
    private int head;
    private int size;

    /** Offsets {@code [start, end)} were appended, having arrived at {@code arrivalNanos}; appends come in offset order. */
    synchronized void appended(long start, long end, long arrivalNanos) {
        int slot = (head + size) % CAPACITY;
        if (size == CAPACITY) {
            head = (head + 1) % CAPACITY;
        } else {
            size++;
        }
        starts[slot] = start;
        ends[slot] = end;
        nanos[slot] = arrivalNanos;
    }

    /** The append that wrote {@code offset}, or one of no known arrival ending at the next append kept (or never). */
    synchronized Append of(long offset) {
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int slot = (head + middle) % CAPACITY;
            if (ends[slot] <= offset) {
                low = middle + 1;
            } else if (starts[slot] > offset) {
                high = middle - 1;
            } else {
                return new Append(starts[slot], ends[slot], nanos[slot]);
            }
        }
        // not kept: older than the oldest append kept, or written before this server started
        long nextStart = low < size ? starts[(head + low) % CAPACITY] : Long.MAX_VALUE;
        return new Append(offset, nextStart, Batch.ARRIVAL_UNKNOWN);
    }
}

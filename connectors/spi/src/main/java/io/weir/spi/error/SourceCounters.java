package io.weir.spi.error;

import java.util.concurrent.atomic.LongAdder;

/**
 * Per-object record counters, updated by readers (possibly several threads) and read by the server
 * for metrics and {@code SHOW STREAMS}. Records read are rows a source produced; skipped and
 * dead-lettered records produced none.
 */
public final class SourceCounters {
    private final LongAdder read = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();

    public void addRead(long rows) {
        read.add(rows);
    }

    public void incrementSkipped() {
        skipped.increment();
    }

    public void incrementDeadLettered() {
        deadLettered.increment();
    }

    public long read() {
        return read.sum();
    }

    public long skipped() {
        return skipped.sum();
    }

    public long deadLettered() {
        return deadLettered.sum();
    }

    public Snapshot snapshot() {
        return new Snapshot(read(), skipped(), deadLettered());
    }

    /** The counters at one moment. */
    public record Snapshot(long read, long skipped, long deadLettered) {
    }

    @Override
    public String toString() {
        return "SourceCounters" + snapshot();
    }
}

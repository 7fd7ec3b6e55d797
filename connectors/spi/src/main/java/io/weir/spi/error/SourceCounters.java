package io.weir.spi.error;

import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import static java.util.Objects.requireNonNull;

/**
 * Per-object record counters, updated by readers (possibly several threads) and read by the server
 * for metrics and {@code SHOW STREAMS}. Records read are rows a source produced; skipped and
 * dead-lettered records produced none. A source that stops taking records for a while (its write-ahead
 * log is full) says why in {@link #pausedReason()}.
 */
public final class SourceCounters {
    private final LongAdder read = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private volatile String pausedReason;

    public void addRead(long rows) {
        read.add(rows);
    }

    /** Bytes of records read (decoded or not). */
    public void addBytes(long count) {
        if (count > 0) {
            bytes.add(count);
        }
    }

    public void incrementSkipped() {
        skipped.increment();
    }

    public void incrementDeadLettered() {
        deadLettered.increment();
    }

    /** The source takes no records for now, for {@code reason} (e.g. {@code log full}); shown until {@link #resumed()}. */
    public void paused(String reason) {
        pausedReason = requireNonNull(reason, "reason is null");
    }

    /** The source takes records again. */
    public void resumed() {
        pausedReason = null;
    }

    /** Why the source takes no records now; empty while it does. */
    public Optional<String> pausedReason() {
        return Optional.ofNullable(pausedReason);
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

    public long bytes() {
        return bytes.sum();
    }

    public Snapshot snapshot() {
        return new Snapshot(read(), skipped(), deadLettered(), bytes(), pausedReason());
    }

    /** The counters at one moment, and why the source was paused then, if it was. */
    public record Snapshot(long read, long skipped, long deadLettered, long bytes, Optional<String> pausedReason) {
        public Snapshot {
            requireNonNull(pausedReason, "pausedReason is null");
        }

        /** Counters of a source that is not paused. */
        public Snapshot(long read, long skipped, long deadLettered, long bytes) {
            this(read, skipped, deadLettered, bytes, Optional.empty());
        }
    }

    @Override
    public String toString() {
        return "SourceCounters" + snapshot();
    }
}

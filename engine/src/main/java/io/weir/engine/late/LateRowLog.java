package io.weir.engine.late;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The late rows of a server's queries that keep them ({@code 'late-rows' = 'side-output'}), for
 * {@code sys.late_rows}: the most recent, at most {@code capacity} of them and none older than the
 * retention (by arrival), so that a stream of late rows cannot fill the memory. Thread-safe.
 */
public final class LateRowLog {
    /** Rows kept at most, the oldest dropped first. */
    public static final int DEFAULT_CAPACITY = 10_000;
    /** How long a row is kept after it arrived. */
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);

    private final int capacity;
    private final long retentionMillis;
    private final InstantSource clock;
    private final ArrayDeque<LateRow> rows = new ArrayDeque<>();
    private long dropped;

    public LateRowLog() {
        this(DEFAULT_CAPACITY, DEFAULT_RETENTION, InstantSource.system());
    }

    public LateRowLog(int capacity, Duration retention, InstantSource clock) {
        if (capacity < 1 || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("capacity and retention must be positive: " + capacity + ", " + retention);
        }
        this.capacity = capacity;
        this.retentionMillis = retention.toMillis();
        this.clock = requireNonNull(clock, "clock is null");
    }

    public synchronized void add(LateRow row) {
        requireNonNull(row, "row is null");
        rows.addLast(row);
        while (rows.size() > capacity) {
            rows.removeFirst();
            dropped++;
        }
    }

    /** The rows kept, oldest first. */
    public synchronized List<LateRow> rows() {
        long oldest = clock.millis() - retentionMillis;
        while (!rows.isEmpty() && rows.peekFirst().arrivedAt() < oldest) {
            rows.removeFirst();
            dropped++;
        }
        return List.copyOf(rows);
    }

    /** Rows no longer kept: past the capacity or the retention. */
    public synchronized long dropped() {
        return dropped;
    }
}

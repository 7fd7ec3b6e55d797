package io.weir.connector.kinesis;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Exponential back-off between repeated attempts: the first wait {@code initial}, each next one twice the last,
 * at most {@code max}; {@link #reset()} after a success. Not thread-safe: one per shard or writer.
 */
final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private long nextMillis;
    private int failures;

    Backoff(Duration initial, Duration max) {
        requireNonNull(initial, "initial is null");
        requireNonNull(max, "max is null");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("back-off from " + initial + " to " + max);
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.nextMillis = initialMillis;
    }

    /** 100 ms doubling up to 5 s: Kinesis's throttling clears within a second, an endpoint's restart within seconds. */
    static Backoff standard() {
        return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    /** A copy with the same bounds and no failures. */
    Backoff fresh() {
        return new Backoff(Duration.ofMillis(initialMillis), Duration.ofMillis(maxMillis));
    }

    /** The wait before the next attempt, in milliseconds; counts a failure. */
    long nextMillis() {
        long wait = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        failures++;
        return wait;
    }

    /** Failures since the last success. */
    int failures() {
        return failures;
    }

    void reset() {
        nextMillis = initialMillis;
        failures = 0;
    }
}

package io.weir.connector.jdbc;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Exponential back-off between a sink's retries: {@code initial}, doubling, at most {@code max}.
 */
record Backoff(Duration initial, Duration max) {
    static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));

    Backoff {
        requireNonNull(initial, "initial is null");
        requireNonNull(max, "max is null");
    }

    /** The wait before retry number {@code retry} (1 for the first). */
    Duration delay(int retry) {
        long millis = initial.toMillis() << Math.min(Math.max(retry - 1, 0), 20);
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
}

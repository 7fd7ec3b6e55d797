package io.weir.connector.webhook;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/** Exponential back-off between attempts of one request: initial, doubled each time, capped. Not thread-safe. */
final class Backoff {
    private final Duration max;
    private Duration next;

    Backoff(Duration initial, Duration max) {
        this.max = requireNonNull(max, "max is null");
        this.next = requireNonNull(initial, "initial is null");
    }

    /** The wait before the next attempt; the one after it is twice as long, up to the maximum. */
    Duration next() {
        Duration current = next;
        next = current.compareTo(max.dividedBy(2)) >= 0 ? max : current.multipliedBy(2);
        return current;
    }
}

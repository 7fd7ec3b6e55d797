package io.weir.connector.socket;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/** Exponential back-off between reconnection attempts: initial, doubled each time, capped. Not thread-safe. */
final class Backoff {
    private final Duration initial;
    private final Duration max;
    private Duration next;

    Backoff(Duration initial, Duration max) {
        this.initial = requireNonNull(initial, "initial is null");
        this.max = requireNonNull(max, "max is null");
        this.next = initial;
    }

    /** The wait before the next attempt; the one after it is twice as long, up to the maximum. */
    Duration next() {
        Duration current = next;
        next = current.compareTo(max.dividedBy(2)) >= 0 ? max : current.multipliedBy(2);
        return current;
    }

    /** After a connection that worked: start again from the initial delay. */
    void reset() {
        next = initial;
    }
}

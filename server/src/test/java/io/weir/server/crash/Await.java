package io.weir.server.crash;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/** Polls a condition until it holds or a deadline passes (the tests wait for conditions, never for time). */
final class Await {
    private static final long POLL_MILLIS = 50;

    private Await() {
    }

    /**
     * Waits until {@code condition} returns true; fails after {@code timeout} with {@code description}
     * and, to say what was seen instead, {@code lastSeen}'s text.
     */
    static void until(String description, Duration timeout, Callable<Boolean> condition, Supplier<String> lastSeen) {
        requireNonNull(description, "description is null");
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception lastFailure = null;
        while (true) {
            try {
                if (condition.call()) {
                    return;
                }
                lastFailure = null;
            } catch (Exception e) {
                // e.g. the server is restarting: keep polling, report the failure if it lasts
                lastFailure = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError failure = new AssertionError("Not within " + timeout.toSeconds() + " s: " + description
                        + "\n" + lastSeen.get());
                if (lastFailure != null) {
                    failure.initCause(lastFailure);
                }
                throw failure;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting until " + description, e);
            }
        }
    }

    static void until(String description, Duration timeout, Callable<Boolean> condition) {
        until(description, timeout, condition, () -> "");
    }
}

package io.weir.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Failed logins per client address, and how long to hold back the answer to the next one: the first
 * {@value #FREE_FAILURES} failures are answered at once (typos), then each answer waits twice as long as the
 * last, from {@link #FIRST_DELAY} up to {@link #MAX_DELAY}. An address is forgotten {@link #MEMORY} after its
 * last failure. At most {@value #MAX_ADDRESSES} addresses are remembered (the least recently failing go first),
 * so a flood of addresses cannot fill the memory.
 */
final class FailedLogins {
    static final int FREE_FAILURES = 2;
    static final Duration FIRST_DELAY = Duration.ofMillis(250);
    static final Duration MAX_DELAY = Duration.ofSeconds(5);
    static final Duration MEMORY = Duration.ofMinutes(15);
    static final int MAX_ADDRESSES = 100_000;

    private final Cache<String, AtomicInteger> failures;

    FailedLogins() {
        this(Ticker.systemTicker());
    }

    /** @param ticker the clock the memory of failures expires by (tests pass their own) */
    FailedLogins(Ticker ticker) {
        this.failures = Caffeine.newBuilder()
                .ticker(requireNonNull(ticker, "ticker is null"))
                .expireAfterWrite(MEMORY)
                .maximumSize(MAX_ADDRESSES)
                .build();
    }

    /**
     * Records a failed login from {@code address}.
     *
     * @return how many failures this address has had in a row, this one included
     */
    int record(InetSocketAddress address) {
        String key = key(address);
        // put again so that the memory runs from the last failure
        AtomicInteger count = failures.get(key, k -> new AtomicInteger());
        int failed = count.incrementAndGet();
        failures.put(key, count);
        return failed;
    }

    /** How long to hold back the answer to the {@code failed}-th failure in a row. */
    static Duration delay(int failed) {
        if (failed <= FREE_FAILURES) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failed - FREE_FAILURES - 1, 16);
        Duration delay = FIRST_DELAY.multipliedBy(1L << doublings);
        return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    }

    /** Failures remembered for {@code address}. */
    int failures(InetSocketAddress address) {
        AtomicInteger count = failures.getIfPresent(key(address));
        return count == null ? 0 : count.get();
    }

    private static String key(InetSocketAddress address) {
        return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    }
}

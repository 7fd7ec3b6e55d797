package io.weir.engine.state;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The server's budget for the state its queries hold in memory ({@code state.max-memory}): when the
 * queries together hold more than the budget, a query holding more than its equal share fails with
 * SQLSTATE 53200, naming itself and its state size, before the JVM runs out of memory and takes every
 * query with it; the others keep running. One per engine; thread-safe.
 */
public final class StateMemoryBudget {
    private final long maxBytes;
    private final Map<String, Long> held = new ConcurrentHashMap<>();

    /** @param maxBytes the budget; {@link Long#MAX_VALUE} for none */
    public StateMemoryBudget(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("state memory budget must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public static StateMemoryBudget unlimited() {
        return new StateMemoryBudget(Long.MAX_VALUE);
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The account of one query; {@link Account#close()} when it ends. */
    public Account account(String queryId) {
        return new Account(requireNonNull(queryId, "queryId is null"));
    }

    /** What one query holds. */
    public final class Account implements AutoCloseable {
        private final String queryId;

        private Account(String queryId) {
            this.queryId = queryId;
        }

        /**
         * Records that the query now holds {@code bytes} of state.
         *
         * @throws WeirException ({@link ErrorCode#STATE_LIMIT_EXCEEDED}) when the queries together pass
         *         the budget and this one holds more than its share
         */
        public void update(long bytes) {
            if (maxBytes == Long.MAX_VALUE) {
                return;
            }
            held.put(queryId, bytes);
            long total = 0;
            for (long each : held.values()) {
                total += each;
            }
            long share = maxBytes / Math.max(1, held.size());
            if (total > maxBytes && bytes > share) {
                held.remove(queryId);
                throw new WeirException(ErrorCode.STATE_LIMIT_EXCEEDED, "Query " + queryId + " holds about " + mib(bytes)
                        + " of state, more than its share (" + mib(share) + ") of the server's state.max-memory ("
                        + mib(maxBytes) + ", " + (held.size() + 1) + " queries with state). Keep less state: shorter windows or"
                        + " 'retention', fewer grouping keys, a join's time bound; or give the server more memory and raise"
                        + " state.max-memory");
            }
        }

        @Override
        public void close() {
            held.remove(queryId);
        }
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}

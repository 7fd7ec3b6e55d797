package io.weir.engine.exec;

import io.weir.engine.checkpoint.CheckpointStatistics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The continuous queries a server is running, as {@code SHOW QUERIES} lists them and
 * {@code STOP QUERY} ends them. Implemented by whoever owns the queries (the server); thread-safe.
 */
public interface RunningQueries {
    /** How long {@link #stop} waits for a stopped query to free what it holds. */
    Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    /** A registry with no queries, for planners used without a server. */
    RunningQueries NONE = new RunningQueries() {
        @Override
        public List<QueryInfo> list() {
            return List.of();
        }

        @Override
        public List<QueryInfo> ended() {
            return List.of();
        }

        @Override
        public Optional<QueryInfo> stop(String queryId, String reason) {
            return Optional.empty();
        }
    };

    /** The queries started and not yet released, oldest first. */
    List<QueryInfo> list();

    /**
     * The latest queries that were released (their result closed, stopped or abandoned), with their
     * final state and statistics, oldest first; a bounded number, kept in memory since the server started.
     */
    List<QueryInfo> ended();

    /** {@link #stop(String, String)} for {@code STOP QUERY}. */
    default Optional<QueryInfo> stop(String queryId) {
        return stop(queryId, "STOP QUERY was run");
    }

    /**
     * Stops the query with this id for good and returns once it has freed what it held (state, source
     * readers, sink writers, threads).
     *
     * @param reason why, for its client (a push query's next fetch fails with it) and the log
     * @return the query as it ended; empty when there is no such query
     * @throws io.weir.spi.WeirException ({@link io.weir.spi.ErrorCode#QUERY_STOP_TIMEOUT}) when the query was
     *         stopped but its thread is still busy after the stop time-out
     */
    Optional<QueryInfo> stop(String queryId, String reason);

    /** How a query delivers its rows. */
    enum QueryKind {
        /** {@code SELECT STREAM}: rows go to the client that started it; it ends with the client. */
        PUSH,
        /** {@code INSERT INTO}: rows go to a sink; it runs on the server until stopped, across restarts. */
        PERSISTENT
    }

    /**
     * One query as listed.
     *
     * @param sql the statement text that started it
     * @param started when it was started
     * @param ended when it was released; empty while it is listed as running
     * @param error why it failed, when it did; for a query {@link QueryState#RETRYING}, its last failure
     * @param checkpoints its checkpoints ({@link CheckpointStatistics#NONE} for a query that does not checkpoint)
     * @param retries its attempts to run again after failures ({@link Retries#NONE} unless it is retrying)
     * @param dependencies the identities of the catalog objects it reads and writes: dropping one of them
     *        stops it (or is refused)
     * @param owner the name of the user who started it; empty when not known (no user, or stored by an older
     *        Weir): such a query is listed to admins only, on a server with users
     */
    record QueryInfo(String id, QueryKind kind, String sql, QueryState state, Instant started, Optional<Instant> ended,
                     QueryStatistics statistics, Optional<String> error, CheckpointStatistics checkpoints, Retries retries,
                     Set<String> dependencies, Optional<String> owner) {
        /** An entry without an owner. */
        public QueryInfo(String id, QueryKind kind, String sql, QueryState state, Instant started, Optional<Instant> ended,
                         QueryStatistics statistics, Optional<String> error, CheckpointStatistics checkpoints, Retries retries,
                         Set<String> dependencies) {
            this(id, kind, sql, state, started, ended, statistics, error, checkpoints, retries, dependencies, Optional.empty());
        }

        /** An entry of a query that does not checkpoint. */
        public QueryInfo(String id, QueryKind kind, String sql, QueryState state, Instant started, Optional<Instant> ended,
                         QueryStatistics statistics, Optional<String> error) {
            this(id, kind, sql, state, started, ended, statistics, error, CheckpointStatistics.NONE, Retries.NONE, Set.of());
        }

        public QueryInfo {
            dependencies = Set.copyOf(dependencies);
            requireNonNull(checkpoints, "checkpoints is null");
            requireNonNull(retries, "retries is null");
            requireNonNull(id, "id is null");
            requireNonNull(kind, "kind is null");
            requireNonNull(sql, "sql is null");
            requireNonNull(state, "state is null");
            requireNonNull(started, "started is null");
            requireNonNull(ended, "ended is null");
            requireNonNull(statistics, "statistics is null");
            requireNonNull(error, "error is null");
            requireNonNull(owner, "owner is null");
        }

        /** A push query's entry. */
        public QueryInfo(String id, String sql, QueryState state, Instant started, Optional<Instant> ended,
                         QueryStatistics statistics, Set<String> dependencies) {
            this(id, sql, state, started, ended, statistics, dependencies, Optional.empty());
        }

        /** A push query's entry, started by {@code owner}. */
        public QueryInfo(String id, String sql, QueryState state, Instant started, Optional<Instant> ended,
                         QueryStatistics statistics, Set<String> dependencies, Optional<String> owner) {
            this(id, QueryKind.PUSH, sql, state, started, ended, statistics, Optional.empty(), CheckpointStatistics.NONE,
                    Retries.NONE, dependencies, owner);
        }

        /** The same entry in another state, e.g. as it ended. */
        public QueryInfo withState(QueryState newState, Optional<Instant> newEnded) {
            return new QueryInfo(id, kind, sql, newState, started, newEnded, statistics, error, checkpoints, retries,
                    dependencies, owner);
        }
    }

    /**
     * A persistent query's attempts to run again after it failed.
     *
     * @param failedAttempts the attempts that failed in a row (the first run included); 0 once it runs again
     * @param nextAttempt when it is started again; empty while an attempt runs or when it is not retrying
     */
    record Retries(int failedAttempts, Optional<Instant> nextAttempt) {
        public static final Retries NONE = new Retries(0, Optional.empty());

        public Retries {
            if (failedAttempts < 0) {
                throw new IllegalArgumentException("failedAttempts is negative: " + failedAttempts);
            }
            requireNonNull(nextAttempt, "nextAttempt is null");
        }
    }
}

package io.weir.engine.exec;

import io.weir.engine.checkpoint.CheckpointStatistics;

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
        public boolean stop(String queryId, String reason) {
            return false;
        }
    };

    /** The queries started and not yet released, oldest first. */
    List<QueryInfo> list();

    /**
     * The latest queries that were released (their result closed, stopped or abandoned), with their
     * final state and statistics, oldest first; a bounded number, kept in memory since the server started.
     */
    List<QueryInfo> ended();

    /** Stops the query with this id and frees its state; false when there is no such query. */
    default boolean stop(String queryId) {
        return stop(queryId, "STOP QUERY was run");
    }

    /**
     * Stops the query with this id and frees its state; false when there is no such query.
     *
     * @param reason why, for its client (a push query's next fetch fails with it) and the log
     */
    boolean stop(String queryId, String reason);

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
     * @param error why it failed, when it did
     * @param checkpoints its checkpoints ({@link CheckpointStatistics#NONE} for a query that does not checkpoint)
     * @param dependencies the identities of the catalog objects it reads and writes: dropping one of them
     *        stops it (or is refused)
     */
    record QueryInfo(String id, QueryKind kind, String sql, QueryState state, Instant started, Optional<Instant> ended,
                     QueryStatistics statistics, Optional<String> error, CheckpointStatistics checkpoints,
                     Set<String> dependencies) {
        /** An entry of a query that does not checkpoint. */
        public QueryInfo(String id, QueryKind kind, String sql, QueryState state, Instant started, Optional<Instant> ended,
                         QueryStatistics statistics, Optional<String> error) {
            this(id, kind, sql, state, started, ended, statistics, error, CheckpointStatistics.NONE, Set.of());
        }

        public QueryInfo {
            dependencies = Set.copyOf(dependencies);
            requireNonNull(checkpoints, "checkpoints is null");
            requireNonNull(id, "id is null");
            requireNonNull(kind, "kind is null");
            requireNonNull(sql, "sql is null");
            requireNonNull(state, "state is null");
            requireNonNull(started, "started is null");
            requireNonNull(ended, "ended is null");
            requireNonNull(statistics, "statistics is null");
            requireNonNull(error, "error is null");
        }

        /** A push query's entry. */
        public QueryInfo(String id, String sql, QueryState state, Instant started, Optional<Instant> ended,
                         QueryStatistics statistics, Set<String> dependencies) {
            this(id, QueryKind.PUSH, sql, state, started, ended, statistics, Optional.empty(), CheckpointStatistics.NONE,
                    dependencies);
        }
    }
}

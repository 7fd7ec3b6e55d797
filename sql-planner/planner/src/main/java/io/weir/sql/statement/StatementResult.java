package io.weir.sql.statement;

import io.weir.sql.catalog.ObjectReference;

import java.util.Iterator;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** What a statement produced: an update count (DDL, SET), rows, or a continuous query to start. */
public sealed interface StatementResult {
    /** The owner recorded for a query {@code user} starts: none for an anonymous session. */
    static java.util.Optional<String> ownerOf(io.weir.sql.auth.SessionUser user) {
        return user.anonymous() ? java.util.Optional.empty() : java.util.Optional.of(user.name());
    }

    /**
     * A statement without rows; {@code message} says what happened, for logs and clients that show it,
     * and {@code warnings} what the user should know although the statement succeeded (JDBC clients
     * get them as SQL warnings of the statement).
     */
    record UpdateCount(long count, String message, List<String> warnings) implements StatementResult {
        public UpdateCount {
            requireNonNull(message, "message is null");
            warnings = List.copyOf(warnings);
        }

        public UpdateCount(long count, String message) {
            this(count, message, List.of());
        }
    }

    /**
     * Rows, in Weir's value representation (see {@link io.weir.spi.type.TypeKind}). The iterator may
     * be lazy; {@code close} frees what reading holds (files, readers) and is idempotent.
     */
    record Rows(List<ResultColumn> columns, Iterator<Object[]> rows, AutoCloseable resources) implements StatementResult {
        public Rows {
            columns = List.copyOf(columns);
            requireNonNull(rows, "rows is null");
            requireNonNull(resources, "resources is null");
        }

        public static Rows of(List<ResultColumn> columns, List<Object[]> rows) {
            return new Rows(columns, List.copyOf(rows).iterator(), () -> { });
        }
    }

    /**
     * A continuous query ({@code SELECT STREAM}), planned but not started: the caller starts
     * {@code plan} on the engine and delivers its rows, in Weir's value representation, as they come.
     *
     * @param columns the result columns; {@code plan}'s output has their types, in order
     * @param limit the query's {@code LIMIT n} (the stream ends after n rows), or 0 for none
     * @param sql the statement as written, for SHOW QUERIES and logs
     * @param dependencies the catalog objects it reads: start it only while they exist
     * @param owner the user who runs it (empty on a server without users): it is theirs to see and stop
     */
    record Continuous(List<ResultColumn> columns, io.weir.engine.plan.PlanNode plan, long limit, String sql,
                      List<ObjectReference> dependencies, java.util.Optional<String> owner) implements StatementResult {
        /** A continuous query without an owner. */
        public Continuous(List<ResultColumn> columns, io.weir.engine.plan.PlanNode plan, long limit, String sql,
                          List<ObjectReference> dependencies) {
            this(columns, plan, limit, sql, dependencies, java.util.Optional.empty());
        }

        public Continuous {
            requireNonNull(owner, "owner is null");
            columns = List.copyOf(columns);
            dependencies = List.copyOf(dependencies);
            requireNonNull(plan, "plan is null");
            requireNonNull(sql, "sql is null");
            if (limit < 0) {
                throw new IllegalArgumentException("limit is negative: " + limit);
            }
            if (plan.outputType().size() != columns.size()) {
                throw new IllegalArgumentException("the plan produces " + plan.outputType().size() + " columns for "
                        + columns.size() + " result columns");
            }
        }
    }

    /**
     * A persistent query ({@code INSERT INTO sink SELECT STREAM ...}, or a materialized view's query),
     * planned but not started: the caller starts {@code plan} (rooted at a
     * {@link io.weir.engine.plan.SinkWrite}) and keeps it running.
     *
     * @param sink the stream (or materialized view) written to
     * @param sql the statement as written; planned again from it after a restart
     * @param queryId the id the query must have (a materialized view's), or empty for a new one
     * @param view for {@code CREATE MATERIALIZED VIEW}: the view to register once its query runs
     * @param replace whether the view replaces an existing one of its name
     * @param dependencies the catalog objects the query reads and writes (for a view's query: what the
     *        view depends on), to store with it: start it only while they exist
     * @param warnings what the user should know about the query although it is valid, for the client
     *        as SQL warnings of the statement
     * @param owner the user who started it (empty on a server without users): it is theirs to see and stop
     */
    record Persistent(String sink, io.weir.engine.plan.PlanNode plan, String sql, java.util.Optional<String> queryId,
                      java.util.Optional<io.weir.sql.catalog.CatalogObject> view, boolean replace,
                      List<ObjectReference> dependencies, List<String> warnings, java.util.Optional<String> owner)
            implements StatementResult {
        /** A persistent query without an owner. */
        public Persistent(String sink, io.weir.engine.plan.PlanNode plan, String sql, java.util.Optional<String> queryId,
                          java.util.Optional<io.weir.sql.catalog.CatalogObject> view, boolean replace,
                          List<ObjectReference> dependencies, List<String> warnings) {
            this(sink, plan, sql, queryId, view, replace, dependencies, warnings, java.util.Optional.empty());
        }

        /** This query, started by {@code user} (none for {@link io.weir.sql.auth.SessionUser#ANONYMOUS}). */
        public Persistent ownedBy(io.weir.sql.auth.SessionUser user) {
            return new Persistent(sink, plan, sql, queryId, view, replace, dependencies, warnings, ownerOf(user));
        }

        public Persistent {
            requireNonNull(owner, "owner is null");
            dependencies = List.copyOf(dependencies);
            requireNonNull(sink, "sink is null");
            requireNonNull(plan, "plan is null");
            requireNonNull(sql, "sql is null");
            requireNonNull(queryId, "queryId is null");
            requireNonNull(view, "view is null");
            warnings = List.copyOf(warnings);
        }

        /** A persistent query without warnings. */
        public Persistent(String sink, io.weir.engine.plan.PlanNode plan, String sql, java.util.Optional<String> queryId,
                          java.util.Optional<io.weir.sql.catalog.CatalogObject> view, boolean replace,
                          List<ObjectReference> dependencies) {
            this(sink, plan, sql, queryId, view, replace, dependencies, List.of());
        }

        /** An INSERT INTO's query. */
        public Persistent(String sink, io.weir.engine.plan.PlanNode plan, String sql, List<ObjectReference> dependencies,
                          List<String> warnings) {
            this(sink, plan, sql, java.util.Optional.empty(), java.util.Optional.empty(), false, dependencies, warnings);
        }
    }
}

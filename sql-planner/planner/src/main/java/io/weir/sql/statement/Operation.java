package io.weir.sql.statement;

import io.weir.sql.auth.Privilege;
import io.weir.sql.auth.Requirement;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.stream.ContinuousPlan;
import org.apache.calcite.sql.SqlNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A statement as {@link StatementExecutor#prepare} planned it: what kind of operation it is and the
 * privileges it requires. Every statement becomes exactly one operation; {@link StatementExecutor#execute}
 * has the {@link io.weir.sql.auth.Authorizer} check {@link #requires()} and then runs it by its type.
 */
public sealed interface Operation {
    /** The statement as parsed. */
    SqlNode statement();

    /** What it is to a client protocol: rows, DDL or a session change. */
    StatementKind kind();

    /** What its user must hold; empty when anyone may run it (what it shows may still be filtered). */
    List<Requirement> requires();

    /**
     * SELECT on everything a query reads; a view, which has no privileges of its own, needs SELECT on what it
     * reads (those are among the reads too: a view first names what is missing through it).
     */
    static List<Requirement> selectOf(List<CatalogObject> reads) {
        List<Requirement> required = new ArrayList<>();
        for (CatalogObject read : reads) {
            required.add(new Requirement.OnObject(Privilege.SELECT, read));
        }
        return required;
    }

    /** A plain query, a continuous query (SELECT STREAM) or EXPLAIN of one: SELECT on what it reads. */
    record Query(SqlNode statement, boolean continuous, boolean explain, List<CatalogObject> reads) implements Operation {
        public Query {
            requireNonNull(statement, "statement is null");
            reads = List.copyOf(reads);
        }

        @Override
        public StatementKind kind() {
            return StatementKind.QUERY;
        }

        @Override
        public List<Requirement> requires() {
            return selectOf(reads);
        }
    }

    /**
     * {@code INSERT INTO sink SELECT STREAM ...}, a persistent query (or EXPLAIN of one): INSERT on the sink,
     * SELECT on what it reads, and CREATE to start it.
     */
    record PersistentQuery(SqlNode statement, boolean explain, CatalogObject sink, List<CatalogObject> reads)
            implements Operation {
        public PersistentQuery {
            requireNonNull(statement, "statement is null");
            requireNonNull(sink, "sink is null");
            reads = List.copyOf(reads);
        }

        @Override
        public StatementKind kind() {
            return StatementKind.QUERY;
        }

        @Override
        public List<Requirement> requires() {
            List<Requirement> required = new ArrayList<>();
            if (!explain) {
                required.add(new Requirement.Create());
            }
            required.add(new Requirement.OnObject(Privilege.INSERT, sink));
            required.addAll(selectOf(reads));
            return required;
        }
    }

    /** CREATE STREAM or TABLE: CREATE, and USAGE of its connector when that reaches outside the server. */
    record CreateObject(SqlNode statement, String connector) implements Operation {
        public CreateObject {
            requireNonNull(statement, "statement is null");
            requireNonNull(connector, "connector is null");
        }

        @Override
        public StatementKind kind() {
            return StatementKind.DDL;
        }

        @Override
        public List<Requirement> requires() {
            return List.of(new Requirement.Create(), new Requirement.ConnectorUsage(connector));
        }
    }

    /**
     * CREATE VIEW or CREATE MATERIALIZED VIEW, its query planned: CREATE, and SELECT on what it reads.
     *
     * @param plan a materialized view's planned query, or a continuous view's; empty for a plain view's
     * @param columns the view's query's columns
     */
    record CreateView(SqlNode statement, Optional<ContinuousPlan> plan, List<ResultColumn> columns,
                      List<CatalogObject> reads) implements Operation {
        public CreateView {
            requireNonNull(statement, "statement is null");
            requireNonNull(plan, "plan is null");
            columns = List.copyOf(columns);
            reads = List.copyOf(reads);
        }

        @Override
        public StatementKind kind() {
            return StatementKind.DDL;
        }

        @Override
        public List<Requirement> requires() {
            List<Requirement> required = new ArrayList<>();
            required.add(new Requirement.Create());
            required.addAll(selectOf(reads));
            return required;
        }
    }

    /** CREATE FUNCTION: CREATE, as other DDL (the jar must also lie under the server's file roots). */
    record CreateFunction(SqlNode statement) implements Operation {
        public CreateFunction {
            requireNonNull(statement, "statement is null");
        }

        @Override
        public StatementKind kind() {
            return StatementKind.DDL;
        }

        @Override
        public List<Requirement> requires() {
            return List.of(new Requirement.Create());
        }
    }

    /** DROP STREAM | TABLE | VIEW | MATERIALIZED VIEW | FUNCTION: CREATE. */
    record Drop(SqlNode statement) implements Operation {
        @Override
        public StatementKind kind() {
            return StatementKind.DDL;
        }

        @Override
        public List<Requirement> requires() {
            return List.of(new Requirement.Create());
        }
    }

    /**
     * SHOW ..., SHOW GRANTS, DESCRIBE CONNECTOR, SET (listing the properties): anyone, and each user sees what
     * it may (objects it may select, its own queries and grants).
     */
    record Show(SqlNode statement) implements Operation {
        @Override
        public StatementKind kind() {
            return StatementKind.QUERY;
        }

        @Override
        public List<Requirement> requires() {
            return List.of();
        }
    }

    /** DESCRIBE of a stream, table or view: SELECT on it (none when it does not exist: that is the answer). */
    record Describe(SqlNode statement, Optional<CatalogObject> object) implements Operation {
        @Override
        public StatementKind kind() {
            return StatementKind.QUERY;
        }

        @Override
        public List<Requirement> requires() {
            return object.map(described -> selectOf(List.of(described))).orElse(List.<Requirement>of());
        }
    }

    /** SET and RESET of the session's own properties: anyone. */
    record SessionChange(SqlNode statement) implements Operation {
        @Override
        public StatementKind kind() {
            return StatementKind.SESSION;
        }

        @Override
        public List<Requirement> requires() {
            return List.of();
        }
    }

    /** STOP QUERY: anyone, of the queries it sees (its own; an admin's all). */
    record StopQuery(SqlNode statement) implements Operation {
        @Override
        public StatementKind kind() {
            return StatementKind.DDL;
        }

        @Override
        public List<Requirement> requires() {
            return List.of();
        }
    }

    /** EXPLAIN ANALYZE QUERY: anyone, of the queries it sees (its own; an admin's all). */
    record AnalyzeQuery(SqlNode statement) implements Operation {
        @Override
        public StatementKind kind() {
            return StatementKind.QUERY;
        }

        @Override
        public List<Requirement> requires() {
            return List.of();
        }
    }

    /**
     * CREATE / ALTER / DROP USER, CREATE / DROP TOKEN: an admin's, except a user changing its own password.
     *
     * @param requires what the statement needs (computed from it at prepare)
     */
    record UserManagement(SqlNode statement, StatementKind kind, List<Requirement> requires) implements Operation {
        public UserManagement {
            requireNonNull(statement, "statement is null");
            requireNonNull(kind, "kind is null");
            requires = List.copyOf(requires);
        }
    }

    /** GRANT and REVOKE: an admin's. */
    record GrantChange(SqlNode statement) implements Operation {
        @Override
        public StatementKind kind() {
            return StatementKind.DDL;
        }

        @Override
        public List<Requirement> requires() {
            return List.of(new Requirement.Admin("grant and revoke privileges"));
        }
    }
}

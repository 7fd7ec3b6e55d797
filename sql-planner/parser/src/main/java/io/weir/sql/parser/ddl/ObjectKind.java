package io.weir.sql.parser.ddl;

import static java.util.Objects.requireNonNull;

/** The kinds of catalog object DDL names: in DROP and DESCRIBE, and as the kind a CREATE makes. */
public enum ObjectKind {
    STREAM("STREAM"),
    TABLE("TABLE"),
    VIEW("VIEW"),
    MATERIALIZED_VIEW("MATERIALIZED VIEW"),
    /** A user-defined function (DROP FUNCTION). */
    FUNCTION("FUNCTION");

    private final String sql;

    ObjectKind(String sql) {
        this.sql = requireNonNull(sql, "sql is null");
    }

    /** The keywords as written in SQL, e.g. {@code MATERIALIZED VIEW}. */
    public String sql() {
        return sql;
    }
}

package io.weir.sql.parser.ddl;

import static java.util.Objects.requireNonNull;

/** What a {@code GRANT} or {@code REVOKE} is on. */
public enum GrantTarget {
    STREAM("STREAM"),
    TABLE("TABLE"),
    MATERIALIZED_VIEW("MATERIALIZED VIEW"),
    CONNECTOR("CONNECTOR"),
    /** {@code GRANT CREATE TO user}, {@code GRANT METRICS TO user}: on the server as a whole. */
    SERVER("");

    private final String sql;

    GrantTarget(String sql) {
        this.sql = requireNonNull(sql, "sql is null");
    }

    /** The keywords after ON, e.g. {@code MATERIALIZED VIEW}; empty for {@link #SERVER}. */
    public String sql() {
        return sql;
    }
}

package io.weir.sql.parser.ddl;

import static java.util.Objects.requireNonNull;

/** What a {@code SHOW ...} statement lists. */
public enum ShowKind {
    STREAMS("STREAMS"),
    TABLES("TABLES"),
    VIEWS("VIEWS"),
    MATERIALIZED_VIEWS("MATERIALIZED VIEWS"),
    QUERIES("QUERIES"),
    CONNECTORS("CONNECTORS"),
    FORMATS("FORMATS"),
    USERS("USERS"),
    TOKENS("TOKENS"),
    /** The built-in functions and the user-defined ones. */
    FUNCTIONS("FUNCTIONS"),
    /** {@code SHOW GRANTS [FOR user]}, parsed as {@link SqlShowGrants}. */
    GRANTS("GRANTS");

    private final String sql;

    ShowKind(String sql) {
        this.sql = requireNonNull(sql, "sql is null");
    }

    /** The keywords as written after SHOW, e.g. {@code MATERIALIZED VIEWS}. */
    public String sql() {
        return sql;
    }
}

package io.weir.sql.parser.ddl;

/** A privilege as written in {@code GRANT} and {@code REVOKE}. */
public enum GrantPrivilege {
    SELECT,
    INSERT,
    /** {@code ALL [PRIVILEGES]} on an object: SELECT and INSERT. */
    ALL,
    CREATE,
    USAGE,
    /** {@code GRANT METRICS TO user}: read the server's metrics, on the server as a whole. */
    METRICS
}

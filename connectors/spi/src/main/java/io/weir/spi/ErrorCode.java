package io.weir.spi;

import static java.util.Objects.requireNonNull;

/**
 * Every error Weir reports, with the SQLSTATE a JDBC client sees.
 *
 * <p>SQLSTATE classes follow the SQL standard: 42 syntax or access rule violation, 22 data exception,
 * 0A feature not supported, 2B dependent objects still exist, 08 connection exception, 53 insufficient resources,
 * 57 operator intervention (cancelled, not stopped in time), 54 program limit exceeded, 28 invalid
 * authorization (28P01 a failed password check, as PostgreSQL), 07 dynamic SQL error (parameter values that do not
 * match a prepared statement's parameters), 38 external routine exception (a user-defined function threw), 42P13
 * invalid function definition (as PostgreSQL), XX internal error (as PostgreSQL).
 */
public enum ErrorCode {
    SYNTAX_ERROR("42000", 1000),
    UNKNOWN_OBJECT("42S02", 1001),
    UNKNOWN_COLUMN("42S22", 1002),
    OBJECT_ALREADY_EXISTS("42S01", 1003),
    INVALID_DDL("42000", 1004),
    VALIDATION_ERROR("42000", 1005),
    UNKNOWN_CONNECTOR("42000", 1006),
    UNKNOWN_FORMAT("42000", 1007),
    UNKNOWN_OPTION("42000", 1008),
    MISSING_OPTION("42000", 1009),
    INVALID_OPTION_VALUE("22023", 1010),
    INVALID_SESSION_PROPERTY("22023", 1011),
    DATA_ERROR("22000", 1012),
    RECORD_DECODE_ERROR("22P02", 1013),
    NOT_SUPPORTED("0A000", 1014),
    UNBOUNDED_QUERY_NOT_SUPPORTED("0A000", 1015),
    CONNECTION_ERROR("08000", 1016),
    UNKNOWN_CONNECTION("08003", 1017),
    UNKNOWN_STATEMENT("24000", 1018),
    SOURCE_ERROR("58030", 1019),
    SINK_ERROR("58030", 1020),
    QUERY_CANCELLED("57014", 1021),
    CATALOG_ERROR("58000", 1022),
    INTERNAL_ERROR("XX000", 1023),
    STATE_LIMIT_EXCEEDED("53200", 1024),
    /** DROP or CREATE OR REPLACE of an object that views or queries depend on, without CASCADE. */
    DEPENDENT_OBJECTS_EXIST("2BP01", 1025),
    /** A view or query refers to an object that was dropped (an object of the same name is not the same object). */
    DEPENDENCY_DROPPED("42S02", 1026),
    /** A stopped query's thread did not end in time (blocked in a call that does not give up). */
    QUERY_STOP_TIMEOUT("57000", 1040),
    /** A number too large for its type (a literal, LIMIT, a cast). */
    NUMERIC_OUT_OF_RANGE("22003", 1041),
    /** A statement beyond what the server plans: nested too deeply, too long, too many terms. */
    PROGRAM_LIMIT_EXCEEDED("54000", 1042),
    /** A request that is not a well-formed message of the protocol (HTTP 400). */
    PROTOCOL_VIOLATION("08P01", 1043),
    /** A text that is not a value of the type it is cast to ({@code CAST('abc' AS INTEGER)}). */
    INVALID_CAST("22018", 1044),
    /**
     * A wrong password, an unknown user or an unknown token: one code and one message for all, so that
     * an answer does not tell which user names exist (as PostgreSQL's "password authentication failed").
     */
    AUTHENTICATION_FAILED("28P01", 1045),
    /** No credentials where the server needs them, or credentials of another user than the connection's. */
    INVALID_AUTHORIZATION("28000", 1046),
    /** The session's user may not do this (e.g. a user who is not an admin creating users). */
    INSUFFICIENT_PRIVILEGE("42501", 1047),
    /** Planning or running a statement took longer than its session's 'statement.timeout' (as PostgreSQL's statement_timeout). */
    STATEMENT_TIMEOUT("57014", 1048),
    /** A statement stopped while planned or run: its client cancelled or closed it, or its connection ended. */
    STATEMENT_CANCELLED("57014", 1049),
    /** A user holds as many connections as the server allows one user (as PostgreSQL's per-role connection limit). */
    TOO_MANY_CONNECTIONS("53300", 1050),
    /** A user runs as many push or persistent queries as the server allows one user. */
    QUERY_LIMIT_EXCEEDED("53400", 1051),
    /** A prepared statement executed with another number of values than it has parameters ({@code ?}). */
    PARAMETER_COUNT_MISMATCH("07001", 1060),
    /** A parameter's value of a kind its parameter's type cannot take (a boolean for an INTEGER parameter). */
    PARAMETER_TYPE_MISMATCH("07006", 1061),
    /**
     * CREATE FUNCTION of a jar or class that does not make a function: the jar missing or unreadable, the class
     * not in it, no public {@code eval} method, a parameter or result type SQL has no type for.
     */
    INVALID_FUNCTION("42P13", 1080),
    /** A user-defined function threw while a query evaluated it (SQL's external routine exception). */
    FUNCTION_FAILED("38000", 1081),
    /**
     * A text that is not an interval ({@code '5 minutez'::interval}), or an interval Weir cannot hold: one mixing
     * months with days or time ({@code '1 mon 2 days'}), or beyond the range of its type (as PostgreSQL's 22007
     * invalid datetime format).
     */
    INVALID_INTERVAL("22007", 1120);

    private final String sqlState;
    private final int vendorCode;

    /** @param vendorCode fixed per code, never reused or renumbered: clients may match on it */
    ErrorCode(String sqlState, int vendorCode) {
        this.sqlState = requireNonNull(sqlState, "sqlState is null");
        this.vendorCode = vendorCode;
    }

    /** The five-character SQLSTATE sent to JDBC clients. */
    public String sqlState() {
        return sqlState;
    }

    /** A stable vendor error number for {@link java.sql.SQLException#getErrorCode()}. */
    public int vendorCode() {
        return vendorCode;
    }
}

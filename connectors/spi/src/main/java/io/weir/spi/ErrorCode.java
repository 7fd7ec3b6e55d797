package io.weir.spi;

import static java.util.Objects.requireNonNull;

/**
 * Every error Weir reports, with the SQLSTATE a JDBC client sees.
 *
 * <p>SQLSTATE classes follow the SQL standard: 42 syntax or access rule violation, 22 data exception,
 * 0A feature not supported, 08 connection exception, XX internal error (as PostgreSQL).
 */
public enum ErrorCode {
    SYNTAX_ERROR("42000"),
    UNKNOWN_OBJECT("42S02"),
    UNKNOWN_COLUMN("42S22"),
    OBJECT_ALREADY_EXISTS("42S01"),
    INVALID_DDL("42000"),
    VALIDATION_ERROR("42000"),
    UNKNOWN_CONNECTOR("42000"),
    UNKNOWN_FORMAT("42000"),
    UNKNOWN_OPTION("42000"),
    MISSING_OPTION("42000"),
    INVALID_OPTION_VALUE("22023"),
    INVALID_SESSION_PROPERTY("22023"),
    DATA_ERROR("22000"),
    RECORD_DECODE_ERROR("22P02"),
    NOT_SUPPORTED("0A000"),
    UNBOUNDED_QUERY_NOT_SUPPORTED("0A000"),
    CONNECTION_ERROR("08000"),
    UNKNOWN_CONNECTION("08003"),
    UNKNOWN_STATEMENT("24000"),
    SOURCE_ERROR("58030"),
    SINK_ERROR("58030"),
    QUERY_CANCELLED("57014"),
    CATALOG_ERROR("58000"),
    INTERNAL_ERROR("XX000");

    private final String sqlState;

    ErrorCode(String sqlState) {
        this.sqlState = requireNonNull(sqlState, "sqlState is null");
    }

    /** The five-character SQLSTATE sent to JDBC clients. */
    public String sqlState() {
        return sqlState;
    }

    /** A stable vendor error number for {@link java.sql.SQLException#getErrorCode()}. */
    public int vendorCode() {
        return 1000 + ordinal();
    }
}

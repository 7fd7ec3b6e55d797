package io.weir.spi.type;

import java.sql.Types;

/**
 * The SQL types Weir supports, with the JDBC type clients see and the Java representation every
 * connector, format and operator uses for a value of that type.
 *
 * <p>Values are stored in the representation Calcite's generated code uses internally, so that
 * compiled expressions can read them without conversion: integer types as {@code long} storage
 * (widened), dates as days since epoch, times as milliseconds of the day, timestamps as epoch
 * milliseconds in UTC, intervals as milliseconds (day-time) or months (year-month), as Calcite holds them.
 */
public enum TypeKind {
    BOOLEAN(Types.BOOLEAN, "BOOLEAN", Representation.BOOLEAN),
    TINYINT(Types.TINYINT, "TINYINT", Representation.LONG),
    SMALLINT(Types.SMALLINT, "SMALLINT", Representation.LONG),
    INTEGER(Types.INTEGER, "INTEGER", Representation.LONG),
    BIGINT(Types.BIGINT, "BIGINT", Representation.LONG),
    REAL(Types.REAL, "REAL", Representation.DOUBLE),
    DOUBLE(Types.DOUBLE, "DOUBLE", Representation.DOUBLE),
    /** {@link java.math.BigDecimal}. */
    DECIMAL(Types.DECIMAL, "DECIMAL", Representation.OBJECT),
    /** {@link String}. */
    CHAR(Types.CHAR, "CHAR", Representation.OBJECT),
    /** {@link String}. */
    VARCHAR(Types.VARCHAR, "VARCHAR", Representation.OBJECT),
    /** Days since 1970-01-01. */
    DATE(Types.DATE, "DATE", Representation.LONG),
    /** Milliseconds since midnight. */
    TIME(Types.TIME, "TIME", Representation.LONG),
    /** Milliseconds since 1970-01-01T00:00:00 UTC. */
    TIMESTAMP(Types.TIMESTAMP, "TIMESTAMP", Representation.LONG),
    /**
     * A day-time interval ({@code INTERVAL DAY TO SECOND}, and every qualifier from DAY to SECOND): a
     * signed number of milliseconds. Calcite's {@code INTERVAL '90' MINUTE} and {@code ts1 - ts2} are this.
     * JDBC has no type for it: {@link Types#OTHER}, as Calcite's own driver reports it.
     */
    INTERVAL_DAY_TIME(Types.OTHER, "INTERVAL DAY TO SECOND", Representation.LONG),
    /** A year-month interval ({@code INTERVAL YEAR TO MONTH}, YEAR, MONTH): a signed number of months. */
    INTERVAL_YEAR_MONTH(Types.OTHER, "INTERVAL YEAR TO MONTH", Representation.LONG),
    /** {@code byte[]}. */
    VARBINARY(Types.VARBINARY, "VARBINARY", Representation.OBJECT),
    /** {@link java.util.List} of element values. */
    ARRAY(Types.ARRAY, "ARRAY", Representation.OBJECT),
    /** {@link java.util.Map} of key to value. */
    MAP(Types.JAVA_OBJECT, "MAP", Representation.OBJECT),
    /** {@code Object[]} of field values, in field order. */
    ROW(Types.STRUCT, "ROW", Representation.OBJECT);

    /** How a column of this kind is stored in a columnar batch. */
    public enum Representation { BOOLEAN, LONG, DOUBLE, OBJECT }

    private final int jdbcType;
    private final String sqlName;
    private final Representation representation;

    TypeKind(int jdbcType, String sqlName, Representation representation) {
        this.jdbcType = jdbcType;
        this.sqlName = sqlName;
        this.representation = representation;
    }

    /** The {@link java.sql.Types} constant reported through JDBC metadata. */
    public int jdbcType() {
        return jdbcType;
    }

    public String sqlName() {
        return sqlName;
    }

    public Representation representation() {
        return representation;
    }

    public boolean isNumeric() {
        return switch (this) {
            case TINYINT, SMALLINT, INTEGER, BIGINT, REAL, DOUBLE, DECIMAL -> true;
            default -> false;
        };
    }

    public boolean isInterval() {
        return this == INTERVAL_DAY_TIME || this == INTERVAL_YEAR_MONTH;
    }
}

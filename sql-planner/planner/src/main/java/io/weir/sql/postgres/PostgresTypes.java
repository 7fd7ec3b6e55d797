package io.weir.sql.postgres;

import io.weir.spi.type.DataType;

import java.util.List;

/**
 * Weir's types as PostgreSQL's: the type OID, name, width and modifier of each, as PostgreSQL clients
 * find them in RowDescription messages and in {@code pg_catalog.pg_type} / {@code pg_attribute}.
 */
public final class PostgresTypes {
    public static final int BOOL = 16;
    public static final int BYTEA = 17;
    public static final int CHAR = 18;
    public static final int NAME = 19;
    public static final int INT8 = 20;
    public static final int INT2 = 21;
    public static final int INT4 = 23;
    public static final int TEXT = 25;
    public static final int OID = 26;
    public static final int JSON = 114;
    public static final int FLOAT4 = 700;
    public static final int FLOAT8 = 701;
    public static final int UNKNOWN = 705;
    public static final int BPCHAR = 1042;
    public static final int VARCHAR = 1043;
    public static final int DATE = 1082;
    public static final int TIME = 1083;
    public static final int TIMESTAMP = 1114;
    public static final int TIMESTAMPTZ = 1184;
    public static final int INTERVAL = 1186;
    public static final int NUMERIC = 1700;

    /**
     * The base types of {@code pg_type}: OID, name, length (-1 variable), category, array type OID.
     */
    public record PgType(int oid, String name, int length, char category, int arrayOid) {
    }

    static final List<PgType> TYPES = List.of(
            new PgType(BOOL, "bool", 1, 'B', 1000),
            new PgType(BYTEA, "bytea", -1, 'U', 1001),
            new PgType(CHAR, "char", 1, 'S', 1002),
            new PgType(NAME, "name", 64, 'S', 1003),
            new PgType(INT8, "int8", 8, 'N', 1016),
            new PgType(INT2, "int2", 2, 'N', 1005),
            new PgType(INT4, "int4", 4, 'N', 1007),
            new PgType(TEXT, "text", -1, 'S', 1009),
            new PgType(OID, "oid", 4, 'N', 1028),
            new PgType(JSON, "json", -1, 'U', 199),
            new PgType(FLOAT4, "float4", 4, 'N', 1021),
            new PgType(FLOAT8, "float8", 8, 'N', 1022),
            new PgType(UNKNOWN, "unknown", -2, 'X', 0),
            new PgType(BPCHAR, "bpchar", -1, 'S', 1014),
            new PgType(VARCHAR, "varchar", -1, 'S', 1015),
            new PgType(DATE, "date", 4, 'D', 1182),
            new PgType(TIME, "time", 8, 'D', 1183),
            new PgType(TIMESTAMP, "timestamp", 8, 'D', 1115),
            new PgType(TIMESTAMPTZ, "timestamptz", 8, 'D', 1185),
            new PgType(INTERVAL, "interval", 16, 'T', 1187),
            new PgType(NUMERIC, "numeric", -1, 'N', 1231));

    private PostgresTypes() {
    }

    /** The PostgreSQL type of a Weir type. */
    public static int oid(DataType type) {
        return switch (type.kind()) {
            case BOOLEAN -> BOOL;
            case TINYINT, SMALLINT -> INT2;
            case INTEGER -> INT4;
            case BIGINT -> INT8;
            case REAL -> FLOAT4;
            case DOUBLE -> FLOAT8;
            case DECIMAL -> NUMERIC;
            // Calcite types string literals CHAR(n), padding shorter ones in a CASE: clients see text without padding
            case CHAR, VARCHAR -> VARCHAR;
            case DATE -> DATE;
            case TIME -> TIME;
            case TIMESTAMP -> TIMESTAMP;
            case VARBINARY -> BYTEA;
            case INTERVAL_DAY_TIME, INTERVAL_YEAR_MONTH -> INTERVAL;
            case ARRAY -> arrayOid(oid(type.elementType()));
            case MAP, ROW -> JSON;
        };
    }

    /** The array type of an element type; text[] for element types without one here. */
    public static int arrayOid(int element) {
        return TYPES.stream().filter(type -> type.oid() == element && type.arrayOid() != 0).findFirst()
                .map(PgType::arrayOid).orElse(1009);
    }

    /** The type's width in a RowDescription and pg_attribute.attlen: the fixed width, or -1 for variable-width types. */
    public static short length(DataType type) {
        return switch (type.kind()) {
            case BOOLEAN -> 1;
            case TINYINT, SMALLINT -> 2;
            case INTEGER, REAL, DATE -> 4;
            case BIGINT, DOUBLE, TIME, TIMESTAMP -> 8;
            case INTERVAL_DAY_TIME, INTERVAL_YEAR_MONTH -> 16;
            default -> -1;
        };
    }

    /** The type modifier: a length (+4, as PostgreSQL stores it), precision and scale, or -1. */
    public static int modifier(DataType type) {
        return switch (type.kind()) {
            case CHAR, VARCHAR -> type.precision() > 0 ? type.precision() + 4 : -1;
            case DECIMAL -> type.precision() > 0 ? ((type.precision() << 16) | Math.max(0, type.scale())) + 4 : -1;
            default -> -1;
        };
    }

    /** {@code format_type(oid, typmod)}: the type's SQL name as psql shows it, e.g. {@code character varying(20)}. */
    public static String format(Integer oid, Integer modifier) {
        if (oid == null) {
            return null;
        }
        int mod = modifier == null ? -1 : modifier;
        return switch (oid) {
            case BOOL -> "boolean";
            case INT2 -> "smallint";
            case INT4 -> "integer";
            case INT8 -> "bigint";
            case FLOAT4 -> "real";
            case FLOAT8 -> "double precision";
            case NUMERIC -> mod > 4 ? "numeric(" + ((mod - 4) >> 16) + "," + ((mod - 4) & 0xFFFF) + ")" : "numeric";
            case BPCHAR -> mod > 4 ? "character(" + (mod - 4) + ")" : "character";
            case VARCHAR -> mod > 4 ? "character varying(" + (mod - 4) + ")" : "character varying";
            case TEXT -> "text";
            case NAME -> "name";
            case CHAR -> "\"char\"";
            case BYTEA -> "bytea";
            case DATE -> "date";
            case TIME -> "time without time zone";
            case TIMESTAMP -> "timestamp without time zone";
            case TIMESTAMPTZ -> "timestamp with time zone";
            case INTERVAL -> "interval";
            case JSON -> "json";
            case OID -> "oid";
            default -> TYPES.stream().filter(type -> type.arrayOid() == oid).findFirst()
                    .map(element -> format(element.oid(), -1) + "[]").orElse("???");
        };
    }
}

package io.weir.spi.type;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A SQL data type: a {@link TypeKind} with its parameters and nullability.
 *
 * <p>{@code precision} is the length for CHAR/VARCHAR/VARBINARY ({@link #UNSPECIFIED} for none),
 * the precision for DECIMAL, and the fractional-second precision for TIME/TIMESTAMP. The two interval
 * kinds have no parameters: like PostgreSQL's one {@code interval} type, a day-time interval holds any
 * qualifier from DAY to SECOND (milliseconds), a year-month interval YEAR, MONTH or both (months).
 * {@code children} holds the element type of an ARRAY, the key and value types of a MAP, and the
 * field types of a ROW, whose names are in {@code fieldNames}.
 */
public record DataType(TypeKind kind, boolean nullable, int precision, int scale,
                       List<DataType> children, List<String> fieldNames) {
    public static final int UNSPECIFIED = -1;

    public DataType {
        requireNonNull(kind, "kind is null");
        children = List.copyOf(children);
        fieldNames = List.copyOf(fieldNames);
        switch (kind) {
            case ARRAY -> check(children.size() == 1, "ARRAY has one element type");
            case MAP -> check(children.size() == 2, "MAP has a key and a value type");
            case ROW -> check(children.size() == fieldNames.size() && !children.isEmpty(),
                    "ROW has at least one field and a name per field");
            default -> check(children.isEmpty(), kind + " has no component types");
        }
        if (kind == TypeKind.DECIMAL) {
            check(precision >= 1 && precision <= 38, "DECIMAL precision must be between 1 and 38");
            check(scale >= 0 && scale <= precision, "DECIMAL scale must be between 0 and the precision");
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    public static DataType of(TypeKind kind) {
        return new DataType(kind, true, defaultPrecision(kind), 0, List.of(), List.of());
    }

    public static DataType varchar() {
        return of(TypeKind.VARCHAR);
    }

    public static DataType varchar(int length) {
        return new DataType(TypeKind.VARCHAR, true, length, 0, List.of(), List.of());
    }

    public static DataType charType(int length) {
        return new DataType(TypeKind.CHAR, true, length, 0, List.of(), List.of());
    }

    public static DataType decimal(int precision, int scale) {
        return new DataType(TypeKind.DECIMAL, true, precision, scale, List.of(), List.of());
    }

    public static DataType timestamp(int precision) {
        return new DataType(TypeKind.TIMESTAMP, true, precision, 0, List.of(), List.of());
    }

    public static DataType time(int precision) {
        return new DataType(TypeKind.TIME, true, precision, 0, List.of(), List.of());
    }

    /** {@code INTERVAL DAY TO SECOND}: milliseconds. */
    public static DataType intervalDayTime() {
        return of(TypeKind.INTERVAL_DAY_TIME);
    }

    /** {@code INTERVAL YEAR TO MONTH}: months. */
    public static DataType intervalYearMonth() {
        return of(TypeKind.INTERVAL_YEAR_MONTH);
    }

    public static DataType array(DataType element) {
        return new DataType(TypeKind.ARRAY, true, UNSPECIFIED, 0, List.of(element), List.of());
    }

    public static DataType map(DataType key, DataType value) {
        return new DataType(TypeKind.MAP, true, UNSPECIFIED, 0, List.of(key, value), List.of());
    }

    public static DataType row(List<Field> fields) {
        List<DataType> types = new ArrayList<>(fields.size());
        List<String> names = new ArrayList<>(fields.size());
        for (Field field : fields) {
            names.add(field.name());
            types.add(field.type());
        }
        return new DataType(TypeKind.ROW, true, UNSPECIFIED, 0, types, names);
    }

    private static int defaultPrecision(TypeKind kind) {
        return switch (kind) {
            case DECIMAL -> 19;
            case TIMESTAMP -> 3;
            case TIME -> 0;
            default -> UNSPECIFIED;
        };
    }

    public DataType withNullable(boolean newNullable) {
        return new DataType(kind, newNullable, precision, scale, children, fieldNames);
    }

    public DataType elementType() {
        if (kind != TypeKind.ARRAY) {
            // the message is built only on failure: toString() itself calls these accessors
            throw new IllegalArgumentException("not an ARRAY: " + this);
        }
        return children.get(0);
    }

    public DataType keyType() {
        if (kind != TypeKind.MAP) {
            // the message is built only on failure: toString() itself calls these accessors
            throw new IllegalArgumentException("not a MAP: " + this);
        }
        return children.get(0);
    }

    public DataType valueType() {
        if (kind != TypeKind.MAP) {
            // the message is built only on failure: toString() itself calls these accessors
            throw new IllegalArgumentException("not a MAP: " + this);
        }
        return children.get(1);
    }

    /** The fields of a ROW type. */
    public List<Field> fields() {
        if (kind != TypeKind.ROW) {
            // the message is built only on failure: toString() itself calls these accessors
            throw new IllegalArgumentException("not a ROW: " + this);
        }
        List<Field> fields = new ArrayList<>(children.size());
        for (int i = 0; i < children.size(); i++) {
            fields.add(new Field(fieldNames.get(i), children.get(i)));
        }
        return fields;
    }

    /** Finds a ROW field by name, ignoring case as unquoted SQL identifiers do. */
    public Optional<Integer> fieldIndex(String name) {
        for (int i = 0; i < fieldNames.size(); i++) {
            if (fieldNames.get(i).equalsIgnoreCase(name)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** The type as written in DDL, e.g. {@code DECIMAL(10, 2) NOT NULL} or {@code MAP<VARCHAR, BIGINT>}. */
    public String sqlString() {
        String text = typeString();
        return nullable ? text : text + " NOT NULL";
    }

    private String typeString() {
        return switch (kind) {
            case DECIMAL -> "DECIMAL(" + precision + ", " + scale + ")";
            case CHAR, VARCHAR, VARBINARY -> precision == UNSPECIFIED ? kind.sqlName() : kind.sqlName() + "(" + precision + ")";
            case TIME, TIMESTAMP -> kind.sqlName() + "(" + precision + ")";
            case ARRAY -> "ARRAY<" + elementType().sqlString() + ">";
            case MAP -> "MAP<" + keyType().sqlString() + ", " + valueType().sqlString() + ">";
            case ROW -> {
                StringBuilder text = new StringBuilder("ROW<");
                for (int i = 0; i < children.size(); i++) {
                    if (i > 0) {
                        text.append(", ");
                    }
                    text.append(quoteIfNeeded(fieldNames.get(i))).append(' ').append(children.get(i).sqlString());
                }
                yield text.append('>').toString();
            }
            default -> kind.sqlName();
        };
    }

    private static String quoteIfNeeded(String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? name : '"' + name.replace("\"", "\"\"") + '"';
    }

    /** Display size for JDBC metadata (COLUMN_SIZE). */
    public int columnSize() {
        return switch (kind) {
            case BOOLEAN -> 1;
            case TINYINT -> 3;
            case SMALLINT -> 5;
            case INTEGER -> 10;
            case BIGINT -> 19;
            case REAL -> 7;
            case DOUBLE -> 15;
            case DECIMAL -> precision;
            case CHAR, VARCHAR, VARBINARY -> precision == UNSPECIFIED ? 65536 : precision;
            case DATE -> 10;
            case TIME -> precision == 0 ? 8 : 9 + precision;
            case TIMESTAMP -> precision == 0 ? 19 : 20 + precision;
            // as Calcite's driver prints them: "+123456789 23:59:59.999", "+178956970-07"
            case INTERVAL_DAY_TIME -> 24;
            case INTERVAL_YEAR_MONTH -> 13;
            default -> 0;
        };
    }

    @Override
    public String toString() {
        return sqlString();
    }

    /** A named field of a ROW type or a column of a relation. */
    public record Field(String name, DataType type) {
        public Field {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }
}

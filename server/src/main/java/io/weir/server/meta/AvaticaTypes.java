package io.weir.server.meta;

import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import io.weir.sql.statement.ResultColumn;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.util.ByteString;

import java.math.BigDecimal;
import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How Weir's types and values travel over the Avatica protocol.
 *
 * <p>Date/time values are sent as numbers (days, milliseconds of the day, epoch milliseconds), which
 * Avatica's client turns into {@code java.sql.Date/Time/Timestamp} showing the UTC wall-clock time —
 * the semantics of SQL {@code TIMESTAMP} without time zone. MAP and ROW values are sent as their JSON
 * text, since the protocol has no encoding for them.
 */
public final class AvaticaTypes {
    private AvaticaTypes() {
    }

    public static List<ColumnMetaData> columns(List<ResultColumn> columns) {
        List<ColumnMetaData> result = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            result.add(column(i, columns.get(i)));
        }
        return result;
    }

    static ColumnMetaData column(int ordinal, ResultColumn column) {
        DataType type = column.type();
        ColumnMetaData.AvaticaType avaticaType = avaticaType(type);
        int precision = type.kind() == TypeKind.DECIMAL || type.precision() != DataType.UNSPECIFIED ? Math.max(0, type.precision()) : 0;
        // Avatica's interval accessor prints this many fractional-second digits: "+0 01:30:00.000"
        int scale = type.kind() == TypeKind.DECIMAL ? type.scale() : type.kind() == TypeKind.INTERVAL_DAY_TIME ? 3 : 0;
        return new ColumnMetaData(ordinal, false, true, false, false,
                type.nullable() ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls,
                type.kind().isNumeric(), displaySize(type), column.name(), column.name(), null,
                precision, scale, null, null, avaticaType, true, false, false, javaClassName(type));
    }

    /**
     * The display size clients size columns by. A VARCHAR without a length reports a moderate width
     * rather than its 64 KiB maximum: tools such as sqlline in incremental mode would otherwise give
     * the first such column the whole screen.
     */
    static int displaySize(DataType type) {
        if ((type.kind() == TypeKind.VARCHAR || type.kind() == TypeKind.VARBINARY) && type.precision() == DataType.UNSPECIFIED) {
            return UNBOUNDED_TEXT_DISPLAY_SIZE;
        }
        int size = type.columnSize();
        return size <= 0 ? UNBOUNDED_TEXT_DISPLAY_SIZE : size;
    }

    static final int UNBOUNDED_TEXT_DISPLAY_SIZE = 40;

    /** The type names Avatica's client reads as intervals (Avatica's {@code TimeUnitRange} after {@code INTERVAL_}). */
    public static final String INTERVAL_DAY_TIME_NAME = "INTERVAL_DAY_TO_SECOND";
    public static final String INTERVAL_YEAR_MONTH_NAME = "INTERVAL_YEAR_TO_MONTH";

    static ColumnMetaData.AvaticaType avaticaType(DataType type) {
        return switch (type.kind()) {
            case ARRAY -> ColumnMetaData.array(avaticaType(type.elementType()), type.withNullable(true).sqlString(), ColumnMetaData.Rep.ARRAY);
            case MAP, ROW -> ColumnMetaData.scalar(Types.VARCHAR, type.withNullable(true).sqlString(), ColumnMetaData.Rep.STRING);
            // as Calcite's driver: OTHER named INTERVAL_<range>, which Avatica's client reads as an interval
            // (getString "+1 02:00:00.000" / "+1-02", getLong milliseconds, getInt months)
            case INTERVAL_DAY_TIME -> ColumnMetaData.scalar(Types.OTHER, INTERVAL_DAY_TIME_NAME, ColumnMetaData.Rep.LONG);
            case INTERVAL_YEAR_MONTH -> ColumnMetaData.scalar(Types.OTHER, INTERVAL_YEAR_MONTH_NAME, ColumnMetaData.Rep.INTEGER);
            default -> ColumnMetaData.scalar(type.kind().jdbcType(), type.withNullable(true).sqlString(), rep(type.kind()));
        };
    }

    static ColumnMetaData.Rep rep(TypeKind kind) {
        return switch (kind) {
            case BOOLEAN -> ColumnMetaData.Rep.BOOLEAN;
            case TINYINT -> ColumnMetaData.Rep.BYTE;
            case SMALLINT -> ColumnMetaData.Rep.SHORT;
            case INTEGER, DATE, TIME, INTERVAL_YEAR_MONTH -> ColumnMetaData.Rep.INTEGER;
            case BIGINT, TIMESTAMP, INTERVAL_DAY_TIME -> ColumnMetaData.Rep.LONG;
            case REAL -> ColumnMetaData.Rep.FLOAT;
            case DOUBLE -> ColumnMetaData.Rep.DOUBLE;
            case DECIMAL -> ColumnMetaData.Rep.NUMBER;
            case VARBINARY -> ColumnMetaData.Rep.BYTE_STRING;
            case ARRAY -> ColumnMetaData.Rep.ARRAY;
            default -> ColumnMetaData.Rep.STRING;
        };
    }

    static String javaClassName(DataType type) {
        return switch (type.kind()) {
            case BOOLEAN -> Boolean.class.getName();
            case TINYINT -> Byte.class.getName();
            case SMALLINT -> Short.class.getName();
            case INTEGER, INTERVAL_YEAR_MONTH -> Integer.class.getName();
            case BIGINT, INTERVAL_DAY_TIME -> Long.class.getName();
            case REAL -> Float.class.getName();
            case DOUBLE -> Double.class.getName();
            case DECIMAL -> BigDecimal.class.getName();
            case DATE -> java.sql.Date.class.getName();
            case TIME -> java.sql.Time.class.getName();
            case TIMESTAMP -> java.sql.Timestamp.class.getName();
            case VARBINARY -> byte[].class.getName();
            case ARRAY -> java.sql.Array.class.getName();
            default -> String.class.getName();
        };
    }

    /** Converts one row from Weir's value representation into what the Avatica frame carries. */
    public static Object[] toWire(List<ResultColumn> columns, Object[] row) {
        Object[] wire = new Object[columns.size()];
        for (int i = 0; i < wire.length; i++) {
            wire[i] = toWire(columns.get(i).type(), i < row.length ? row[i] : null);
        }
        return wire;
    }

    static Object toWire(DataType type, Object value) {
        if (value == null) {
            return null;
        }
        return switch (type.kind()) {
            case BOOLEAN -> (Boolean) value;
            case TINYINT -> ((Number) value).byteValue();
            case SMALLINT -> ((Number) value).shortValue();
            case INTEGER, DATE, TIME, INTERVAL_YEAR_MONTH -> ((Number) value).intValue();
            case BIGINT, TIMESTAMP, INTERVAL_DAY_TIME -> ((Number) value).longValue();
            case REAL -> ((Number) value).floatValue();
            case DOUBLE -> ((Number) value).doubleValue();
            case DECIMAL -> value instanceof BigDecimal decimal ? decimal : new BigDecimal(value.toString());
            case CHAR, VARCHAR -> value.toString();
            case VARBINARY -> value instanceof ByteString bytes ? bytes.getBytes() : (byte[]) value;
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (Object element : (List<?>) value) {
                    list.add(toWire(type.elementType(), element));
                }
                yield list;
            }
            case MAP, ROW -> JsonText.of(type, value);
        };
    }

    /** Renders MAP and ROW values as JSON text. */
    static final class JsonText {
        private JsonText() {
        }

        static String of(DataType type, Object value) {
            StringBuilder out = new StringBuilder();
            append(out, type, value);
            return out.toString();
        }

        private static void append(StringBuilder out, DataType type, Object value) {
            if (value == null) {
                out.append("null");
                return;
            }
            switch (type.kind()) {
                case MAP -> {
                    out.append('{');
                    boolean first = true;
                    for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                        if (!first) {
                            out.append(',');
                        }
                        first = false;
                        string(out, String.valueOf(entry.getKey()));
                        out.append(':');
                        append(out, type.valueType(), entry.getValue());
                    }
                    out.append('}');
                }
                case ROW -> {
                    Object[] fields = value instanceof List<?> list ? list.toArray() : (Object[]) value;
                    out.append('{');
                    for (int i = 0; i < type.children().size(); i++) {
                        if (i > 0) {
                            out.append(',');
                        }
                        string(out, type.fieldNames().get(i));
                        out.append(':');
                        append(out, type.children().get(i), i < fields.length ? fields[i] : null);
                    }
                    out.append('}');
                }
                case ARRAY -> {
                    out.append('[');
                    boolean first = true;
                    for (Object element : (List<?>) value) {
                        if (!first) {
                            out.append(',');
                        }
                        first = false;
                        append(out, type.elementType(), element);
                    }
                    out.append(']');
                }
                case BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, REAL, DOUBLE, DECIMAL -> out.append(value);
                case VARBINARY -> string(out, java.util.Base64.getEncoder().encodeToString((byte[]) value));
                case TIMESTAMP -> string(out, java.time.Instant.ofEpochMilli(((Number) value).longValue()).toString());
                case DATE -> string(out, java.time.LocalDate.ofEpochDay(((Number) value).longValue()).toString());
                case TIME -> string(out, java.time.LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L).toString());
                // ISO 8601 durations, as JSON writers print java.time values
                case INTERVAL_DAY_TIME -> string(out, java.time.Duration.ofMillis(((Number) value).longValue()).toString());
                case INTERVAL_YEAR_MONTH -> string(out, java.time.Period.ofMonths(((Number) value).intValue()).normalized().toString());
                default -> string(out, value instanceof Object[] array ? Arrays.toString(array) : value.toString());
            }
        }

        private static void string(StringBuilder out, String text) {
            out.append('"');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }
}

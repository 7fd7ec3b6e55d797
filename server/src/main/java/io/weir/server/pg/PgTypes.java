package io.weir.server.pg;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.type.ConversionException;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Interval;
import io.weir.spi.type.TypeKind;
import io.weir.sql.postgres.PostgresTypes;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Weir's types as PostgreSQL types: the type OID, size and modifier of each in a RowDescription, and
 * values in PostgreSQL's text and binary formats. Values come in Avatica's wire representation (see
 * {@link io.weir.server.meta.AvaticaTypes#toWire}): dates as days, times as milliseconds of the day,
 * timestamps as epoch milliseconds (UTC wall-clock), day-time intervals as milliseconds, year-month
 * intervals as months, MAP and ROW values as JSON text.
 *
 * <p>An interval goes out as PostgreSQL's months, days and microseconds: a day-time interval as days of 24
 * hours and the rest ({@code 1 day 02:00:00}, as PostgreSQL prints a difference of timestamps), a year-month
 * interval as months ({@code 1 year 2 mons}); text in PostgreSQL's default {@code IntervalStyle}, postgres.
 */
final class PgTypes {
    static final int UNSPECIFIED = 0;
    static final int BOOL = 16;
    static final int BYTEA = 17;
    static final int CHAR = 18;
    static final int NAME = 19;
    static final int INT8 = 20;
    static final int INT2 = 21;
    static final int INT4 = 23;
    static final int TEXT = 25;
    static final int OID = 26;
    static final int JSON = 114;
    static final int FLOAT4 = 700;
    static final int FLOAT8 = 701;
    static final int UNKNOWN = 705;
    static final int BPCHAR = 1042;
    static final int VARCHAR = 1043;
    static final int DATE = 1082;
    static final int TIME = 1083;
    static final int TIMESTAMP = 1114;
    static final int TIMESTAMPTZ = 1184;
    static final int INTERVAL = 1186;
    static final int NUMERIC = 1700;

    /** Microseconds between 1970-01-01 and PostgreSQL's epoch, 2000-01-01. */
    private static final long PG_EPOCH_MILLIS = 946_684_800_000L;
    private static final int PG_EPOCH_DAYS = 10_957;

    private static final DateTimeFormatter TIMESTAMP_TEXT = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral(' ')
            .appendPattern("HH:mm:ss").appendFraction(ChronoField.MICRO_OF_SECOND, 0, 6, true)
            .toFormatter(Locale.ROOT);
    private static final DateTimeFormatter TIMESTAMP_INPUT = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendPattern("HH:mm").optionalStart().appendPattern(":ss").optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd().optionalEnd()
            .optionalStart().appendOffset("+HH:mm", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter(Locale.ROOT);

    private PgTypes() {
    }

    /** The PostgreSQL type of a Weir type. */
    static int oid(DataType type) {
        return PostgresTypes.oid(type);
    }

    /** The type's size in a RowDescription: the fixed width, or -1 for variable-width types. */
    static short size(DataType type) {
        return PostgresTypes.length(type);
    }

    /** The type modifier in a RowDescription: a length (+4, as PostgreSQL), precision and scale, or -1. */
    static int modifier(DataType type) {
        return PostgresTypes.modifier(type);
    }

    /** The SQL type a parameter of PostgreSQL type {@code oid} is cast to, or null to let the server infer it. */
    static String castType(int oid) {
        return switch (oid) {
            case BOOL -> "BOOLEAN";
            case INT2 -> "SMALLINT";
            case INT4, OID -> "INTEGER";
            case INT8 -> "BIGINT";
            case FLOAT4 -> "REAL";
            case FLOAT8 -> "DOUBLE";
            case NUMERIC -> "DECIMAL(38, 10)";
            case TEXT, VARCHAR, BPCHAR, NAME, CHAR -> "VARCHAR";
            case BYTEA -> "VARBINARY";
            case DATE -> "DATE";
            case TIME -> "TIME";
            case TIMESTAMP, TIMESTAMPTZ -> "TIMESTAMP";
            // PostgreSQL has one interval type; a parameter of it is a day-time interval (how far back, how long)
            case INTERVAL -> INTERVAL_CAST;
            default -> null;
        };
    }

    /** The SQL type a PostgreSQL {@code interval} (a parameter, a cast) is in Weir: the widest day-time interval. */
    static final String INTERVAL_CAST = "INTERVAL DAY(9) TO SECOND(3)";

    /** The PostgreSQL type of a parameter of Weir type {@code type}, for ParameterDescription. */
    static int parameterOid(DataType type) {
        return type == null ? UNSPECIFIED : oid(type);
    }

    // ---- values out ----

    /** A value in PostgreSQL's text format (what psql prints), or null for SQL NULL. */
    static byte[] text(DataType type, Object value) {
        String text = textString(type, value);
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    static String textString(DataType type, Object value) {
        if (value == null) {
            return null;
        }
        return switch (type.kind()) {
            case BOOLEAN -> (Boolean) value ? "t" : "f";
            case TINYINT, SMALLINT, INTEGER, BIGINT -> String.valueOf(((Number) value).longValue());
            case REAL -> floatText(((Number) value).floatValue());
            case DOUBLE -> doubleText(((Number) value).doubleValue());
            case DECIMAL -> (value instanceof BigDecimal decimal ? decimal : new BigDecimal(value.toString())).toPlainString();
            case CHAR -> value.toString().stripTrailing();
            case DATE -> LocalDate.ofEpochDay(((Number) value).longValue()).toString();
            case TIME -> timeText(((Number) value).longValue());
            case TIMESTAMP -> TIMESTAMP_TEXT.format(LocalDateTime.ofEpochSecond(Math.floorDiv(((Number) value).longValue(), 1000L),
                    (int) Math.floorMod(((Number) value).longValue(), 1000L) * 1_000_000, ZoneOffset.UTC));
            case VARBINARY -> "\\x" + HexFormat.of().formatHex((byte[]) value);
            case INTERVAL_DAY_TIME -> Interval.ofMillis(((Number) value).longValue()).toPostgresText();
            case INTERVAL_YEAR_MONTH -> Interval.ofMonths(((Number) value).intValue()).toPostgresText();
            case ARRAY -> arrayText(type.elementType(), (List<?>) value);
            default -> value.toString();
        };
    }

    private static String timeText(long millis) {
        LocalTime time = LocalTime.ofNanoOfDay(Math.floorMod(millis, 86_400_000L) * 1_000_000L);
        String text = time.format(DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT));
        return time.getNano() == 0 ? text : text + "." + String.format(Locale.ROOT, "%03d", time.getNano() / 1_000_000)
                .replaceAll("0+$", "");
    }

    private static String floatText(float value) {
        if (Float.isNaN(value)) {
            return "NaN";
        }
        if (Float.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return numberText(Float.toString(value));
    }

    private static String doubleText(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return numberText(Double.toString(value));
    }

    /** Java's shortest exact form in PostgreSQL's spelling: 1.5, 3 (not 3.0), 1e+20, 1.5e-07. */
    private static String numberText(String java) {
        int e = java.indexOf('E');
        if (e < 0) {
            return java.endsWith(".0") ? java.substring(0, java.length() - 2) : java;
        }
        String mantissa = java.substring(0, e);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        int exponent = Integer.parseInt(java.substring(e + 1));
        if (exponent >= 0 && exponent < 15) {
            return new BigDecimal(java).toPlainString();
        }
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
    }

    private static String arrayText(DataType element, List<?> values) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String text = textString(element, values.get(i));
            if (text == null) {
                out.append("NULL");
            } else if (element.kind() == TypeKind.ARRAY) {
                out.append(text);
            } else if (text.isEmpty() || text.equalsIgnoreCase("NULL") || text.chars().anyMatch(c -> c == ',' || c == '"'
                    || c == '\\' || c == '{' || c == '}' || Character.isWhitespace(c))) {
                out.append('"').append(text.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            } else {
                out.append(text);
            }
        }
        return out.append('}').toString();
    }

    /** A value in PostgreSQL's binary format, or null for SQL NULL. */
    static byte[] binary(DataType type, Object value) {
        if (value == null) {
            return null;
        }
        return switch (type.kind()) {
            case BOOLEAN -> new byte[] {(byte) ((Boolean) value ? 1 : 0)};
            case TINYINT, SMALLINT -> ByteBuffer.allocate(2).putShort(((Number) value).shortValue()).array();
            case INTEGER -> ByteBuffer.allocate(4).putInt(((Number) value).intValue()).array();
            case BIGINT -> ByteBuffer.allocate(8).putLong(((Number) value).longValue()).array();
            case REAL -> ByteBuffer.allocate(4).putFloat(((Number) value).floatValue()).array();
            case DOUBLE -> ByteBuffer.allocate(8).putDouble(((Number) value).doubleValue()).array();
            case DECIMAL -> numericBinary(value instanceof BigDecimal decimal ? decimal : new BigDecimal(value.toString()));
            case DATE -> ByteBuffer.allocate(4).putInt((int) (((Number) value).longValue() - PG_EPOCH_DAYS)).array();
            case TIME -> ByteBuffer.allocate(8).putLong(((Number) value).longValue() * 1000L).array();
            case TIMESTAMP -> ByteBuffer.allocate(8).putLong((((Number) value).longValue() - PG_EPOCH_MILLIS) * 1000L).array();
            case VARBINARY -> (byte[]) value;
            case CHAR -> value.toString().stripTrailing().getBytes(StandardCharsets.UTF_8);
            case INTERVAL_DAY_TIME -> intervalBinary(Interval.ofMillis(((Number) value).longValue()));
            case INTERVAL_YEAR_MONTH -> intervalBinary(Interval.ofMonths(((Number) value).intValue()));
            case ARRAY -> arrayBinary(type.elementType(), (List<?>) value);
            default -> value.toString().getBytes(StandardCharsets.UTF_8);
        };
    }

    /** PostgreSQL's binary interval: microseconds (int64), days (int32), months (int32). */
    static byte[] intervalBinary(Interval interval) {
        return ByteBuffer.allocate(16).putLong(interval.micros()).putInt(interval.days()).putInt(interval.months()).array();
    }

    private static byte[] arrayBinary(DataType element, List<?> values) {
        List<byte[]> encoded = new ArrayList<>(values.size());
        boolean nulls = false;
        int size = 20;
        for (Object value : values) {
            byte[] bytes = binary(element, value);
            nulls |= bytes == null;
            encoded.add(bytes);
            size += 4 + (bytes == null ? 0 : bytes.length);
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(1).putInt(nulls ? 1 : 0).putInt(oid(element)).putInt(values.size()).putInt(1);
        for (byte[] bytes : encoded) {
            if (bytes == null) {
                out.putInt(-1);
            } else {
                out.putInt(bytes.length).put(bytes);
            }
        }
        return out.array();
    }

    /** PostgreSQL's binary numeric: base-10000 digits with a weight, sign and display scale. */
    static byte[] numericBinary(BigDecimal value) {
        int scale = Math.max(0, value.scale());
        BigDecimal scaled = value.setScale(scale, RoundingMode.UNNECESSARY);
        String digits = scaled.unscaledValue().abs().toString();
        // split into the integer part and the fraction, pad each to whole groups of four digits
        String integer = scale >= digits.length() ? "0" : digits.substring(0, digits.length() - scale);
        String fraction = scale == 0 ? "" : scale >= digits.length()
                ? "0".repeat(scale - digits.length()) + digits : digits.substring(digits.length() - scale);
        integer = "0".repeat((4 - integer.length() % 4) % 4) + integer;
        fraction = fraction + "0".repeat((4 - fraction.length() % 4) % 4);
        List<Short> groups = new ArrayList<>();
        for (int i = 0; i < integer.length(); i += 4) {
            groups.add(Short.parseShort(integer.substring(i, i + 4)));
        }
        for (int i = 0; i < fraction.length(); i += 4) {
            groups.add(Short.parseShort(fraction.substring(i, i + 4)));
        }
        int weight = integer.length() / 4 - 1;
        // strip leading and trailing zero groups
        int first = 0;
        while (first < groups.size() && groups.get(first) == 0) {
            first++;
            weight--;
        }
        int last = groups.size();
        while (last > first && groups.get(last - 1) == 0) {
            last--;
        }
        List<Short> kept = groups.subList(first, last);
        if (kept.isEmpty()) {
            weight = 0;
        }
        ByteBuffer out = ByteBuffer.allocate(8 + 2 * kept.size());
        out.putShort((short) kept.size()).putShort((short) weight).putShort((short) (value.signum() < 0 ? 0x4000 : 0))
                .putShort((short) scale);
        kept.forEach(out::putShort);
        return out.array();
    }

    static BigDecimal numericFromBinary(ByteBuffer in) {
        int count = in.getShort();
        int weight = in.getShort();
        int sign = in.getShort() & 0xFFFF;
        int scale = in.getShort();
        if (sign == 0xC000) {
            throw new WeirException(ErrorCode.DATA_ERROR, "NaN is not a DECIMAL value");
        }
        BigInteger unscaled = BigInteger.ZERO;
        for (int i = 0; i < count; i++) {
            unscaled = unscaled.multiply(BigInteger.valueOf(10_000)).add(BigInteger.valueOf(in.getShort()));
        }
        // the digits stand for unscaled * 10000^(weight - count + 1)
        BigDecimal value = new BigDecimal(unscaled).scaleByPowerOfTen(4 * (weight - count + 1));
        value = value.setScale(scale, RoundingMode.HALF_UP);
        return sign == 0x4000 ? value.negate() : value;
    }

    // ---- parameter values in ----

    /**
     * A parameter's value as a Java value of {@code target} (a Long, Double, BigDecimal, String, byte[], Boolean,
     * LocalDate, LocalTime or LocalDateTime, which the executor binds), from the client's bytes in
     * {@code format} (0 text, 1 binary) of PostgreSQL type {@code oid}, read as PostgreSQL writes them.
     */
    static Object parameter(DataType target, int oid, int format, byte[] bytes, int number) {
        if (bytes == null) {
            return null;
        }
        try {
            // a client that leaves the type to the server (OID 0) sends binary of the type the server described
            int binaryOid = oid == UNSPECIFIED && target != null ? oid(target) : oid;
            Object value = format == 0 ? new String(bytes, StandardCharsets.UTF_8) : fromBinary(binaryOid, bytes, number);
            return target == null ? value : coerce(target, value);
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException | java.nio.BufferUnderflowException e) {
            throw new WeirException(ErrorCode.INVALID_CAST, "Parameter $" + number + " is not a valid " + (target == null
                    ? "value" : target.sqlString()) + ": " + e.getMessage());
        } catch (ConversionException e) {
            throw new WeirException(ErrorCode.INVALID_INTERVAL, "Parameter $" + number + " is not a valid " + (target == null
                    ? "value" : target.withNullable(true).sqlString()) + ": " + e.getMessage());
        }
    }

    private static Object fromBinary(int oid, byte[] bytes, int number) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        return switch (oid) {
            case BOOL -> bytes[0] != 0;
            case INT2 -> (long) in.getShort();
            case INT4, OID -> (long) in.getInt();
            case INT8 -> in.getLong();
            case FLOAT4 -> (double) in.getFloat();
            case FLOAT8 -> in.getDouble();
            case NUMERIC -> numericFromBinary(in);
            case TEXT, VARCHAR, BPCHAR, NAME, CHAR, UNKNOWN, JSON -> new String(bytes, StandardCharsets.UTF_8);
            case BYTEA -> bytes;
            case DATE -> LocalDate.ofEpochDay(in.getInt() + (long) PG_EPOCH_DAYS);
            case TIME -> LocalTime.ofNanoOfDay(in.getLong() * 1000L);
            case TIMESTAMP, TIMESTAMPTZ -> LocalDateTime.ofEpochSecond(0, 0, ZoneOffset.UTC)
                    .plusNanos(Math.multiplyExact(Math.addExact(in.getLong(), PG_EPOCH_MILLIS * 1000L), 1000L));
            case INTERVAL -> {
                long micros = in.getLong();
                int days = in.getInt();
                int months = in.getInt();
                yield new Interval(months, days, micros);
            }
            default -> throw new WeirException(ErrorCode.NOT_SUPPORTED, "Parameter $" + number + " was sent in binary format"
                    + " for type OID " + oid + ", which Weir does not read; send it in text format");
        };
    }

    /** {@code value} (text, or a value decoded from binary) as a value of {@code target}. */
    private static Object coerce(DataType target, Object value) {
        String text = value instanceof String s ? s.trim() : null;
        return switch (target.kind()) {
            case BOOLEAN -> value instanceof Boolean b ? b : parseBoolean(text);
            case TINYINT, SMALLINT, INTEGER, BIGINT -> value instanceof Number n ? n.longValue() : Long.parseLong(text);
            case REAL, DOUBLE -> value instanceof Number n ? n.doubleValue() : Double.parseDouble(text);
            case DECIMAL -> value instanceof BigDecimal d ? d : value instanceof Number n ? new BigDecimal(n.toString())
                    : new BigDecimal(text);
            case CHAR, VARCHAR -> value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : value.toString();
            case VARBINARY -> value instanceof byte[] b ? b : byteaText(value.toString());
            case DATE -> value instanceof LocalDate d ? d : value instanceof LocalDateTime t
                    ? t.toLocalDate() : parseTimestamp(text).toLocalDate();
            case TIME -> value instanceof LocalTime t ? t : LocalTime.parse(text);
            case TIMESTAMP -> value instanceof LocalDateTime t ? t
                    : value instanceof LocalDate d ? d.atStartOfDay() : parseTimestamp(text);
            // PostgreSQL's text forms ('5 minutes', '01:30:00', 'PT5M'; a number alone is seconds) or its binary fields
            case INTERVAL_DAY_TIME -> Duration.ofMillis(interval(value, text).toMillis());
            case INTERVAL_YEAR_MONTH -> {
                Interval interval = interval(value, text);
                if (!interval.isYearMonth()) {
                    throw new ConversionException("the interval '" + interval + "' has days or time where years and"
                            + " months are expected");
                }
                yield Period.ofMonths(interval.months());
            }
            default -> throw new WeirException(ErrorCode.NOT_SUPPORTED, "Parameters of type " + target.sqlString()
                    + " are not supported; write the value into the statement");
        };
    }

    private static Interval interval(Object value, String text) {
        return value instanceof Interval interval ? interval : Interval.parse(text);
    }

    private static boolean parseBoolean(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "t", "true", "y", "yes", "on", "1" -> true;
            case "f", "false", "n", "no", "off", "0" -> false;
            default -> throw new NumberFormatException("'" + text + "' is not a boolean");
        };
    }

    /** A timestamp's text ('2024-05-01 10:00:00', with an optional offset, which makes it UTC). */
    static LocalDateTime parseTimestamp(String text) {
        var parsed = TIMESTAMP_INPUT.parseBest(text, OffsetDateTime::from, LocalDateTime::from, LocalDate::from);
        if (parsed instanceof OffsetDateTime offset) {
            return offset.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        return parsed instanceof LocalDate date ? date.atStartOfDay() : (LocalDateTime) parsed;
    }

    private static byte[] byteaText(String text) {
        if (text.startsWith("\\x")) {
            return HexFormat.of().parseHex(text.substring(2));
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

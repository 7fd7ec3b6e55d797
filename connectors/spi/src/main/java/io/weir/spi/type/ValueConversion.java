package io.weir.spi.type;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Converts external values into the representation of a SQL type (see {@link TypeKind}), with
 * range, precision and length checks. The one place formats and connectors share these rules:
 *
 * <ul>
 *   <li>integers: whole numbers in range; {@code "1e3"} or {@code "3.0"} are accepted when whole;</li>
 *   <li>REAL/DOUBLE: decimal numbers, {@code NaN}, {@code Infinity}; REAL must fit a float;</li>
 *   <li>DECIMAL: exact, rounded half-up to the scale, must fit the precision;</li>
 *   <li>CHAR(n)/VARCHAR(n): at most n characters; CHAR is padded with spaces to n;</li>
 *   <li>VARBINARY: base64 text;</li>
 *   <li>DATE/TIME/TIMESTAMP: text per {@link Temporals}, or a whole number of days / milliseconds
 *       of the day / epoch milliseconds; fractions beyond the type's precision are truncated.</li>
 *   <li>intervals: text per {@link Interval#parse} ({@code 5 minutes}, {@code 01:30:00}, {@code PT1H30M},
 *       {@code 1 year 2 months}) or a whole number of milliseconds (day-time) / months (year-month);
 *       {@link java.time.Duration} and {@link java.time.Period}.</li>
 * </ul>
 *
 * <p>Failures raise {@link ConversionException} with a message such as
 * {@code cannot parse 'abc' as BIGINT} (no field name: callers add it).
 */
public final class ValueConversion {
    private ValueConversion() {
    }

    // ---- text -------------------------------------------------------------------------------

    /** The representation object of {@code text} as {@code type}; null text is NULL. Boxes primitives. */
    public static Object fromText(DataType type, String text) {
        if (text == null) {
            return null;
        }
        return switch (type.kind().representation()) {
            case LONG -> longFromText(type, text);
            case DOUBLE -> doubleFromText(type, text);
            case BOOLEAN -> booleanFromText(type, text);
            case OBJECT -> objectFromText(type, text);
        };
    }

    /** For types with the LONG representation: integers, DATE, TIME, TIMESTAMP. */
    public static long longFromText(DataType type, String text) {
        TypeKind kind = type.kind();
        return switch (kind) {
            case TINYINT, SMALLINT, INTEGER, BIGINT -> integerFromText(kind, text);
            case DATE -> isWholeNumber(text) ? integerFromText(TypeKind.BIGINT, text) : Temporals.parseDate(text);
            case TIME -> checkTime(truncate(type, isWholeNumber(text) ? integerFromText(TypeKind.BIGINT, text) : Temporals.parseTime(text)));
            case TIMESTAMP -> truncate(type, isWholeNumber(text) ? integerFromText(TypeKind.BIGINT, text) : Temporals.parseTimestamp(text));
            case INTERVAL_DAY_TIME -> isWholeNumber(text) ? integerFromText(TypeKind.BIGINT, text) : dayTimeFromText(text);
            case INTERVAL_YEAR_MONTH -> isWholeNumber(text) ? integerFromText(TypeKind.INTEGER, text) : yearMonthFromText(text);
            default -> throw new IllegalArgumentException(type + " does not have the LONG representation");
        };
    }

    /** Interval text ({@link Interval#parse}: PostgreSQL's forms or ISO 8601) as milliseconds. */
    private static long dayTimeFromText(String text) {
        Interval interval = Interval.parse(text);
        if (!interval.isDayTime()) {
            throw new ConversionException("cannot convert '" + Temporals.abbreviate(text) + "' to INTERVAL DAY TO SECOND:"
                    + " it has months, whose length varies; write days, hours, minutes or seconds");
        }
        return interval.toMillis();
    }

    /** Interval text of years and months as months. */
    private static long yearMonthFromText(String text) {
        Interval interval = Interval.parse(text);
        if (!interval.isYearMonth()) {
            throw new ConversionException("cannot convert '" + Temporals.abbreviate(text) + "' to INTERVAL YEAR TO MONTH:"
                    + " it has days or time; write years and months");
        }
        return interval.months();
    }

    private static long integerFromText(TypeKind kind, String text) {
        String s = text.strip();
        try {
            return checkRange(kind, Long.parseLong(s));
        } catch (NumberFormatException e) {
            return integerFromDecimal(kind, parseDecimalOrNull(s), text);
        }
    }

    private static long integerFromDecimal(TypeKind kind, BigDecimal value, String text) {
        if (value == null) {
            throw new ConversionException("cannot parse '" + Temporals.abbreviate(text) + "' as " + kind.sqlName());
        }
        BigDecimal whole;
        try {
            whole = value.setScale(0, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new ConversionException("cannot convert " + Temporals.abbreviate(text.strip()) + " to "
                    + kind.sqlName() + ": not a whole number");
        }
        BigInteger integer = whole.toBigInteger();
        if (integer.bitLength() > 63) {
            throw outOfRange(kind, integer.toString());
        }
        return checkRange(kind, integer.longValue());
    }

    private static BigDecimal parseDecimalOrNull(String s) {
        if (s.isEmpty() || s.length() > 1000) {
            return null;
        }
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean isWholeNumber(String text) {
        String s = text.strip();
        int start = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
        if (s.length() == start) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** For REAL and DOUBLE. */
    public static double doubleFromText(DataType type, String text) {
        String s = text.strip();
        double value;
        try {
            value = switch (s) {
                case "NaN" -> Double.NaN;
                case "Infinity", "+Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> parsePlainDouble(s);
            };
        } catch (NumberFormatException e) {
            throw new ConversionException("cannot parse '" + Temporals.abbreviate(text) + "' as " + type.kind().sqlName());
        }
        return checkDouble(type.kind(), value);
    }

    private static double parsePlainDouble(String s) {
        // Double.parseDouble also takes "1f", "1d", hex and padded text: only plain decimal notation is data.
        if (s.isEmpty()) {
            throw new NumberFormatException("empty");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                throw new NumberFormatException(s);
            }
        }
        return Double.parseDouble(s);
    }

    public static boolean booleanFromText(DataType type, String text) {
        String s = text.strip();
        if (s.equalsIgnoreCase("true") || s.equals("1")) {
            return true;
        }
        if (s.equalsIgnoreCase("false") || s.equals("0")) {
            return false;
        }
        throw new ConversionException("cannot parse '" + Temporals.abbreviate(text) + "' as BOOLEAN (expected true or false)");
    }

    /** For types with the OBJECT representation other than ARRAY, MAP and ROW. */
    public static Object objectFromText(DataType type, String text) {
        return switch (type.kind()) {
            case DECIMAL -> {
                BigDecimal value = parseDecimalOrNull(text.strip());
                if (value == null) {
                    throw new ConversionException("cannot parse '" + Temporals.abbreviate(text) + "' as " + type.sqlString().replace(" NOT NULL", ""));
                }
                yield decimal(type, value);
            }
            case CHAR, VARCHAR -> string(type, text);
            case VARBINARY -> binary(type, base64(text));
            default -> throw new ConversionException("cannot read " + type.kind().sqlName() + " from text");
        };
    }

    // ---- checks -----------------------------------------------------------------------------

    /** {@code value} if it fits the integer type, else an out-of-range error. */
    public static long checkRange(TypeKind kind, long value) {
        long min;
        long max;
        switch (kind) {
            case TINYINT -> { min = Byte.MIN_VALUE; max = Byte.MAX_VALUE; }
            case SMALLINT -> { min = Short.MIN_VALUE; max = Short.MAX_VALUE; }
            case INTEGER -> { min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; }
            default -> { return value; }
        }
        if (value < min || value > max) {
            throw outOfRange(kind, Long.toString(value));
        }
        return value;
    }

    private static ConversionException outOfRange(TypeKind kind, String value) {
        String range = switch (kind) {
            case TINYINT -> "-128 to 127";
            case SMALLINT -> "-32768 to 32767";
            case INTEGER -> "-2147483648 to 2147483647";
            default -> "-9223372036854775808 to 9223372036854775807";
        };
        return new ConversionException("value " + value + " is out of range for " + kind.sqlName() + " (" + range + ")");
    }

    /** {@code value} as stored for REAL (rounded to float precision) or DOUBLE. */
    public static double checkDouble(TypeKind kind, double value) {
        if (kind == TypeKind.REAL) {
            float f = (float) value;
            if (Float.isInfinite(f) && !Double.isInfinite(value)) {
                throw new ConversionException("value " + value + " is out of range for REAL");
            }
            return f;
        }
        return value;
    }

    /** {@code value} rounded half-up to the type's scale; an error if it then exceeds the precision. */
    public static BigDecimal decimal(DataType type, BigDecimal value) {
        BigDecimal scaled = value.setScale(type.scale(), RoundingMode.HALF_UP);
        if (scaled.precision() - scaled.scale() > type.precision() - type.scale()) {
            throw new ConversionException("value " + Temporals.abbreviate(value.toPlainString()) + " does not fit DECIMAL("
                    + type.precision() + ", " + type.scale() + ")");
        }
        return scaled;
    }

    /** {@code value} checked against the CHAR/VARCHAR length; CHAR values are padded with spaces. */
    public static String string(DataType type, String value) {
        int length = type.precision();
        if (length == DataType.UNSPECIFIED) {
            return value;
        }
        int chars = value.length() <= length ? value.length() : value.codePointCount(0, value.length());
        if (chars > length) {
            if (!value.substring(value.offsetByCodePoints(0, length)).isBlank()) {
                throw new ConversionException("value of length " + chars + " is too long for " + type.kind().sqlName()
                        + "(" + length + ")");
            }
            value = value.substring(0, value.offsetByCodePoints(0, length)); // SQL drops trailing spaces that do not fit
            chars = length;
        }
        if (type.kind() == TypeKind.CHAR && chars < length) {
            return value + " ".repeat(length - chars);
        }
        return value;
    }

    /** {@code value} checked against the VARBINARY length. */
    public static byte[] binary(DataType type, byte[] value) {
        if (type.precision() != DataType.UNSPECIFIED && value.length > type.precision()) {
            throw new ConversionException("value of " + value.length + " bytes is too long for VARBINARY(" + type.precision() + ")");
        }
        return value;
    }

    /** Decodes base64 text (standard or URL-safe alphabet, padding optional). */
    public static byte[] base64(String text) {
        String s = text.strip();
        try {
            return s.indexOf('-') >= 0 || s.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(s) : Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new ConversionException("cannot decode '" + Temporals.abbreviate(text) + "' as base64 for VARBINARY");
        }
    }

    /** Drops fractional seconds beyond the TIME/TIMESTAMP precision (which is at most milliseconds here). */
    public static long truncate(DataType type, long millis) {
        int precision = type.precision();
        if (precision >= 3 || precision < 0) {
            return millis;
        }
        long unit = precision == 0 ? 1000 : precision == 1 ? 100 : 10;
        return Math.floorDiv(millis, unit) * unit;
    }

    private static long checkTime(long millisOfDay) {
        if (millisOfDay < 0 || millisOfDay >= Temporals.MILLIS_PER_DAY) {
            throw new ConversionException("value " + millisOfDay + " is out of range for TIME (0 to 86399999 milliseconds of the day)");
        }
        return millisOfDay;
    }

    /** Milliseconds of the day checked to be within a day; for numbers given as TIME. */
    public static long time(DataType type, long millisOfDay) {
        return checkTime(truncate(type, millisOfDay));
    }

    // ---- Java objects ------------------------------------------------------------------------

    /**
     * Converts a Java value into the representation object of {@code type}. Accepts the
     * representation itself and friendly equivalents: any {@link Number} for numeric types,
     * {@link String} (parsed as by {@link #fromText}), {@link LocalDate}, {@link LocalTime},
     * {@link LocalDateTime} (UTC), {@link Instant}, {@link OffsetDateTime}, {@link ZonedDateTime},
     * {@link Date}, {@code byte[]}/{@link ByteBuffer}, {@link Collection}/arrays for ARRAY,
     * {@link Map} for MAP and ROW (by field name, ignoring case), {@code Object[]}/{@link List} for ROW.
     */
    public static Object fromJava(DataType type, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String text && type.kind() != TypeKind.CHAR && type.kind() != TypeKind.VARCHAR) {
            return fromText(type, text);
        }
        TypeKind kind = type.kind();
        return switch (kind) {
            case BOOLEAN -> {
                if (value instanceof Boolean b) {
                    yield b;
                }
                throw unexpected(type, value);
            }
            case TINYINT, SMALLINT, INTEGER, BIGINT -> integerFromJava(kind, value, type);
            case REAL, DOUBLE -> {
                if (value instanceof Number number) {
                    yield checkDouble(kind, number.doubleValue());
                }
                throw unexpected(type, value);
            }
            case DECIMAL -> decimal(type, decimalFromJava(type, value));
            case CHAR, VARCHAR -> {
                if (value instanceof CharSequence || value instanceof Character) {
                    yield string(type, value.toString());
                }
                throw unexpected(type, value);
            }
            case VARBINARY -> {
                if (value instanceof byte[] bytes) {
                    yield binary(type, bytes);
                }
                if (value instanceof ByteBuffer buffer) {
                    byte[] bytes = new byte[buffer.remaining()];
                    buffer.duplicate().get(bytes);
                    yield binary(type, bytes);
                }
                throw unexpected(type, value);
            }
            case DATE -> {
                if (value instanceof LocalDate date) {
                    yield date.toEpochDay();
                }
                if (value instanceof Number) {
                    yield integerFromJava(TypeKind.BIGINT, value, type);
                }
                throw unexpected(type, value);
            }
            case TIME -> {
                if (value instanceof LocalTime time) {
                    yield time(type, time.toNanoOfDay() / 1_000_000);
                }
                if (value instanceof Number) {
                    yield time(type, integerFromJava(TypeKind.BIGINT, value, type));
                }
                throw unexpected(type, value);
            }
            case TIMESTAMP -> truncate(type, timestampFromJava(type, value));
            case INTERVAL_DAY_TIME -> {
                if (value instanceof java.time.Duration duration) {
                    yield duration.toMillis();
                }
                if (value instanceof Number) {
                    yield integerFromJava(TypeKind.BIGINT, value, type);
                }
                throw unexpected(type, value);
            }
            case INTERVAL_YEAR_MONTH -> {
                if (value instanceof java.time.Period period) {
                    if (period.getDays() != 0) {
                        throw new ConversionException("cannot convert " + period + " to " + type.kind().sqlName()
                                + ": it has days");
                    }
                    yield checkRange(TypeKind.INTEGER, period.toTotalMonths());
                }
                if (value instanceof Number) {
                    yield integerFromJava(TypeKind.INTEGER, value, type);
                }
                throw unexpected(type, value);
            }
            case ARRAY -> arrayFromJava(type, value);
            case MAP -> mapFromJava(type, value);
            case ROW -> rowFromJava(type, value);
        };
    }

    private static long integerFromJava(TypeKind kind, Object value, DataType type) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return checkRange(kind, ((Number) value).longValue());
        }
        if (value instanceof BigInteger || value instanceof BigDecimal) {
            BigDecimal decimal = value instanceof BigInteger big ? new BigDecimal(big) : (BigDecimal) value;
            return integerFromDecimal(kind, decimal, decimal.toPlainString());
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new ConversionException("cannot convert " + d + " to " + kind.sqlName());
            }
            return integerFromDecimal(kind, BigDecimal.valueOf(d), Double.toString(d));
        }
        throw unexpected(type, value);
    }

    private static BigDecimal decimalFromJava(DataType type, Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof BigInteger big) {
            return new BigDecimal(big);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new ConversionException("cannot convert " + d + " to DECIMAL");
            }
            return BigDecimal.valueOf(d);
        }
        throw unexpected(type, value);
    }

    private static long timestampFromJava(DataType type, Object value) {
        if (value instanceof Long || value instanceof Integer) {
            return ((Number) value).longValue();
        }
        if (value instanceof Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof LocalDateTime local) {
            return local.toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant().toEpochMilli();
        }
        if (value instanceof ZonedDateTime zoned) {
            return zoned.toInstant().toEpochMilli();
        }
        if (value instanceof LocalDate date) {
            return date.toEpochDay() * Temporals.MILLIS_PER_DAY;
        }
        if (value instanceof Date date) {
            return date.getTime();
        }
        throw unexpected(type, value);
    }

    private static List<Object> arrayFromJava(DataType type, Object value) {
        Collection<?> elements;
        if (value instanceof Collection<?> collection) {
            elements = collection;
        } else if (value instanceof Object[] array) {
            elements = Arrays.asList(array);
        } else {
            throw unexpected(type, value);
        }
        DataType elementType = type.elementType();
        List<Object> result = new ArrayList<>(elements.size());
        int index = 0;
        for (Object element : elements) {
            result.add(nested("element " + index++, elementType, element));
        }
        return Collections.unmodifiableList(result);
    }

    private static Map<Object, Object> mapFromJava(DataType type, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw unexpected(type, value);
        }
        Map<Object, Object> result = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            Object key = nested("map key", type.keyType(), entry.getKey());
            if (key == null) {
                throw new ConversionException("MAP keys cannot be NULL");
            }
            result.put(key, nested("value of key '" + entry.getKey() + "'", type.valueType(), entry.getValue()));
        }
        return Collections.unmodifiableMap(result);
    }

    private static Object[] rowFromJava(DataType type, Object value) {
        List<DataType.Field> fields = type.fields();
        Object[] result = new Object[fields.size()];
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                int index = type.fieldIndex(String.valueOf(entry.getKey())).orElse(-1);
                if (index >= 0) {
                    result[index] = nested("field '" + fields.get(index).name() + "'", fields.get(index).type(), entry.getValue());
                }
            }
        } else {
            List<?> values = value instanceof Object[] array ? Arrays.asList(array)
                    : value instanceof List<?> list ? list : null;
            if (values == null) {
                throw unexpected(type, value);
            }
            if (values.size() != fields.size()) {
                throw new ConversionException("expected " + fields.size() + " fields for " + type.sqlString()
                        + " but got " + values.size());
            }
            for (int i = 0; i < result.length; i++) {
                result[i] = nested("field '" + fields.get(i).name() + "'", fields.get(i).type(), values.get(i));
            }
        }
        for (int i = 0; i < result.length; i++) {
            if (result[i] == null && !fields.get(i).type().nullable()) {
                throw new ConversionException("field '" + fields.get(i).name() + "' is NOT NULL but has no value");
            }
        }
        return result;
    }

    private static Object nested(String where, DataType type, Object value) {
        try {
            Object converted = fromJava(type, value);
            if (converted == null && !type.nullable()) {
                throw new ConversionException("NULL for a NOT NULL " + type.kind().sqlName());
            }
            return converted;
        } catch (ConversionException e) {
            throw new ConversionException(where + ": " + e.getMessage(), e);
        }
    }

    private static ConversionException unexpected(DataType type, Object value) {
        return new ConversionException("cannot convert a " + value.getClass().getSimpleName() + " ("
                + Temporals.abbreviate(String.valueOf(value)) + ") to " + type.kind().sqlName().toUpperCase(Locale.ROOT));
    }
}

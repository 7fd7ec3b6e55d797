package io.weir.formats;

import io.weir.spi.type.DataType;
import io.weir.spi.type.Temporals;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Base64;

/**
 * The text encoders write for scalar values, in the forms {@link io.weir.spi.type.ValueConversion}
 * reads back: DATE {@code yyyy-MM-dd}, TIME {@code HH:mm:ss.SSS}, TIMESTAMP
 * {@code yyyy-MM-dd HH:mm:ss.SSS} (UTC), DECIMAL in plain notation, VARBINARY as base64. Appends to
 * a caller's builder so that encoders can reuse one buffer for every row.
 */
public final class ValueText {
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private ValueText() {
    }

    /**
     * Appends the text of a non-null scalar value (not ARRAY, MAP or ROW) in its representation:
     * {@code Long} for integer and temporal kinds, {@code Double}, {@code Boolean}, {@code BigDecimal},
     * {@code String}, {@code byte[]}.
     */
    public static void appendScalar(StringBuilder out, DataType type, Object value) {
        switch (type.kind()) {
            case BOOLEAN -> out.append(((Boolean) value).booleanValue());
            case TINYINT, SMALLINT, INTEGER, BIGINT -> out.append(((Number) value).longValue());
            case REAL, DOUBLE -> out.append(((Number) value).doubleValue());
            case DATE -> appendDate(out, ((Number) value).longValue());
            case TIME -> appendTime(out, ((Number) value).longValue());
            case TIMESTAMP -> appendTimestamp(out, ((Number) value).longValue());
            case DECIMAL -> out.append(((BigDecimal) value).toPlainString());
            case CHAR, VARCHAR -> out.append((String) value);
            case VARBINARY -> out.append(BASE64.encodeToString((byte[]) value));
            case ARRAY, MAP, ROW -> throw new IllegalArgumentException(type + " is not a scalar type");
        }
    }

    /** The text of a non-null scalar value; see {@link #appendScalar}. */
    public static String scalar(DataType type, Object value) {
        if (value instanceof String text) {
            return text;
        }
        StringBuilder out = new StringBuilder(24);
        appendScalar(out, type, value);
        return out.toString();
    }

    /** {@code yyyy-MM-dd} for days since 1970-01-01. */
    public static void appendDate(StringBuilder out, long epochDay) {
        // Civil-from-days (H. Hinnant) for the common 4-digit years, without a LocalDate per value.
        long z = epochDay + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            out.append(LocalDate.ofEpochDay(epochDay));
            return;
        }
        pad(out, year, 4).append('-');
        pad(out, month, 2).append('-');
        pad(out, day, 2);
    }

    /** {@code HH:mm:ss.SSS} for milliseconds of the day. */
    public static void appendTime(StringBuilder out, long millisOfDay) {
        long seconds = millisOfDay / 1000;
        pad(out, seconds / 3600, 2).append(':');
        pad(out, seconds / 60 % 60, 2).append(':');
        pad(out, seconds % 60, 2).append('.');
        pad(out, millisOfDay % 1000, 3);
    }

    /** {@code yyyy-MM-dd HH:mm:ss.SSS} (UTC) for epoch milliseconds. */
    public static void appendTimestamp(StringBuilder out, long epochMillis) {
        appendDate(out, Math.floorDiv(epochMillis, Temporals.MILLIS_PER_DAY));
        out.append(' ');
        appendTime(out, Math.floorMod(epochMillis, Temporals.MILLIS_PER_DAY));
    }

    private static StringBuilder pad(StringBuilder out, long value, int digits) {
        for (long limit = 10, i = 1; i < digits; i++, limit *= 10) {
            if (value < limit) {
                out.append('0');
            }
        }
        return out.append(value);
    }
}

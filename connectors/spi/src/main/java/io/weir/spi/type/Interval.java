package io.weir.spi.type;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An interval as PostgreSQL holds one: months, days and microseconds, each with its own sign, kept as
 * the value was written ({@code '26 hours'} is not {@code '1 day 02:00:00'}). Reads PostgreSQL's input
 * forms ({@code '5 minutes'}, {@code '@ 5 mins ago'}, {@code '1 day 02:00:00'}, {@code '1 year 2 months'},
 * {@code '1-2'}, a bare number of seconds) and ISO 8601 durations ({@code 'PT5M'}, {@code 'P1DT2H'}), and
 * prints PostgreSQL's default output style ({@code IntervalStyle = postgres}: {@code 1 year 2 mons},
 * {@code -1 days +02:00:00}, {@code 00:00:00.5}).
 *
 * <p>Weir's own interval values are milliseconds (day-time) or months (year-month), see {@link TypeKind};
 * {@link #ofMillis} and {@link #toMillis} convert.
 */
public record Interval(int months, int days, long micros) {
    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
    private static final long MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;
    private static final long MICROS_PER_DAY = 24 * MICROS_PER_HOUR;
    private static final long MILLIS_PER_DAY = 86_400_000L;
    /** PostgreSQL's fraction of a month in days ({@code '1.5 months'} is 1 month 15 days). */
    private static final int DAYS_PER_MONTH = 30;

    public static final Interval ZERO = new Interval(0, 0, 0);

    /**
     * A day-time interval of {@code millis} as days of 24 hours and the rest (days and time of one sign), as
     * PostgreSQL prints a difference of timestamps: {@code 1 day 02:00:00}, {@code -00:00:05}.
     */
    public static Interval ofMillis(long millis) {
        return new Interval(0, (int) (millis / MILLIS_PER_DAY), (millis % MILLIS_PER_DAY) * 1000L);
    }

    public static Interval ofMonths(int months) {
        return new Interval(months, 0, 0);
    }

    /** Whether the interval has no months: a day-time interval. */
    public boolean isDayTime() {
        return months == 0;
    }

    /** Whether the interval has only months: a year-month interval. */
    public boolean isYearMonth() {
        return days == 0 && micros == 0;
    }

    /**
     * The day-time interval's milliseconds, a day being 24 hours; microseconds beyond a millisecond are
     * dropped (toward zero).
     *
     * @throws ConversionException if the interval has months, which have no fixed length
     */
    public long toMillis() {
        if (months != 0) {
            throw new ConversionException("the interval '" + toPostgresText() + "' " + (isYearMonth()
                    ? "has months, whose length varies, where a day-time interval (days, hours, minutes, seconds) is expected"
                    : "mixes months with days or time: Weir's intervals are either day-time (days, hours, minutes,"
                    + " seconds) or year-month (years, months)"));
        }
        try {
            return Math.addExact(Math.multiplyExact((long) days, MILLIS_PER_DAY), micros / 1000L);
        } catch (ArithmeticException e) {
            throw new ConversionException("the interval '" + toPostgresText() + "' is out of range");
        }
    }

    // ---- printing -------------------------------------------------------------------------------

    /** The interval as PostgreSQL prints it with its default {@code IntervalStyle} ({@code postgres}). */
    public String toPostgresText() {
        StringBuilder out = new StringBuilder();
        // PostgreSQL's EncodeInterval: a field with a sign other than the one before gets an explicit sign
        boolean[] before = {false};
        part(out, months / 12, "year", before);
        part(out, months % 12, "mon", before);
        part(out, days, "day", before);
        long hours = micros / MICROS_PER_HOUR;
        long rest = micros % MICROS_PER_HOUR;
        long minutes = rest / MICROS_PER_MINUTE;
        rest = rest % MICROS_PER_MINUTE;
        long seconds = rest / MICROS_PER_SECOND;
        long fraction = rest % MICROS_PER_SECOND;
        if (micros != 0 || out.isEmpty()) {
            boolean minus = micros < 0;
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(minus ? "-" : before[0] ? "+" : "");
            out.append(String.format(Locale.ROOT, "%02d:%02d:%02d", Math.abs(hours), Math.abs(minutes), Math.abs(seconds)));
            if (fraction != 0) {
                String digits = String.format(Locale.ROOT, "%06d", Math.abs(fraction));
                out.append('.').append(digits.replaceAll("0+$", ""));
            }
        }
        return out.toString();
    }

    private static void part(StringBuilder out, long value, String unit, boolean[] before) {
        if (value == 0) {
            return;
        }
        if (!out.isEmpty()) {
            out.append(' ');
        }
        out.append(before[0] && value > 0 ? "+" : "").append(value).append(' ').append(unit).append(value == 1 ? "" : "s");
        before[0] = value < 0;
    }

    @Override
    public String toString() {
        return toPostgresText();
    }

    // ---- parsing --------------------------------------------------------------------------------

    /**
     * Reads an interval in one of PostgreSQL's input forms or ISO 8601.
     *
     * @throws ConversionException naming the text, for anything else
     */
    public static Interval parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw invalid(text, "it is empty");
        }
        try {
            if (s.charAt(0) == 'P' || s.charAt(0) == 'p' || s.startsWith("-P") || s.startsWith("-p")) {
                return parseIso(s, text);
            }
            return parsePostgres(s, text);
        } catch (ArithmeticException | NumberFormatException e) {
            throw invalid(text, "a field is out of range");
        }
    }

    static ConversionException invalid(String text, String why) {
        return new ConversionException("invalid interval '" + Temporals.abbreviate(text) + "': " + why
                + "; write e.g. '5 minutes', '1 day 02:00:00', '01:30:00', '1 year 2 months' or 'PT5M'");
    }

    /** Sums fields into months, days and microseconds, spilling fractions down as PostgreSQL does. */
    private static final class Fields {
        long months;
        long days;
        long micros;

        void add(BigDecimal value, String unit, String text) {
            switch (unit) {
                case "millennium" -> months(value.multiply(BigDecimal.valueOf(12_000)));
                case "century" -> months(value.multiply(BigDecimal.valueOf(1_200)));
                case "decade" -> months(value.multiply(BigDecimal.valueOf(120)));
                case "year" -> months(value.multiply(BigDecimal.valueOf(12)));
                case "month" -> months(value);
                case "week" -> days(value.multiply(BigDecimal.valueOf(7)));
                case "day" -> days(value);
                case "hour" -> micros(value.multiply(BigDecimal.valueOf(MICROS_PER_HOUR)));
                case "minute" -> micros(value.multiply(BigDecimal.valueOf(MICROS_PER_MINUTE)));
                case "second" -> micros(value.multiply(BigDecimal.valueOf(MICROS_PER_SECOND)));
                case "millisecond" -> micros(value.multiply(BigDecimal.valueOf(1000)));
                case "microsecond" -> micros(value);
                default -> throw invalid(text, "unknown unit '" + unit + "'");
            }
        }

        void months(BigDecimal value) {
            BigDecimal whole = value.setScale(0, RoundingMode.DOWN);
            months = Math.addExact(months, whole.longValueExact());
            days(value.subtract(whole).multiply(BigDecimal.valueOf(DAYS_PER_MONTH)));
        }

        void days(BigDecimal value) {
            BigDecimal whole = value.setScale(0, RoundingMode.DOWN);
            days = Math.addExact(days, whole.longValueExact());
            micros(value.subtract(whole).multiply(BigDecimal.valueOf(MICROS_PER_DAY)));
        }

        void micros(BigDecimal value) {
            micros = Math.addExact(micros, value.setScale(0, RoundingMode.HALF_EVEN).longValueExact());
        }

        Interval interval(boolean negate, String text) {
            long sign = negate ? -1 : 1;
            if (months != (int) months || days != (int) days) {
                throw invalid(text, "a field is out of range");
            }
            return new Interval((int) (sign * months), (int) (sign * days), Math.multiplyExact(sign, micros));
        }
    }

    private static String unit(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "millennium", "millenniums", "millennia", "mil", "mils" -> "millennium";
            case "century", "centuries", "cent", "c" -> "century";
            case "decade", "decades", "dec", "decs" -> "decade";
            case "year", "years", "yr", "yrs", "y" -> "year";
            case "month", "months", "mon", "mons" -> "month";
            case "week", "weeks", "w" -> "week";
            case "day", "days", "d" -> "day";
            case "hour", "hours", "hr", "hrs", "h" -> "hour";
            case "minute", "minutes", "min", "mins", "m" -> "minute";
            case "second", "seconds", "sec", "secs", "s" -> "second";
            case "millisecond", "milliseconds", "millisec", "millisecs", "msec", "msecs", "ms" -> "millisecond";
            case "microsecond", "microseconds", "microsec", "microsecs", "usec", "usecs", "us" -> "microsecond";
            default -> null;
        };
    }

    /** PostgreSQL's forms: {@code [@] number unit ... [hh:mm[:ss[.f]]] [ago]}, {@code y-m}, {@code d hh:mm:ss}. */
    private static Interval parsePostgres(String s, String text) {
        List<String> tokens = tokens(s.startsWith("@") ? s.substring(1) : s, text);
        Fields fields = new Fields();
        boolean ago = false;
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            String lower = token.toLowerCase(Locale.ROOT);
            if (lower.equals("ago")) {
                if (i != tokens.size() - 1 || ago) {
                    throw invalid(text, "'ago' must come last");
                }
                ago = true;
            } else if (token.indexOf(':') >= 0) {
                time(token, fields, text);
            } else if (token.matches("[+-]?\\d+-\\d+")) {
                // SQL standard year-month: 1-2 is one year two months
                boolean negative = token.startsWith("-");
                String[] parts = token.replaceFirst("^[+-]", "").split("-");
                long months = Math.addExact(Math.multiplyExact(Long.parseLong(parts[0]), 12L), Long.parseLong(parts[1]));
                if (Long.parseLong(parts[1]) >= 12) {
                    throw invalid(text, "months of a year-month field must be below 12");
                }
                fields.months = Math.addExact(fields.months, negative ? -months : months);
            } else if (token.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)")) {
                BigDecimal value = new BigDecimal(token.startsWith("+") ? token.substring(1) : token);
                String next = i + 1 < tokens.size() ? unit(tokens.get(i + 1)) : null;
                if (next != null) {
                    fields.add(value, next, text);
                    i++;
                } else if (i + 1 < tokens.size() && tokens.get(i + 1).indexOf(':') >= 0) {
                    // SQL standard day-time: 1 02:00:00 is one day two hours
                    fields.add(value, "day", text);
                } else if (i + 1 == tokens.size() || tokens.get(i + 1).equalsIgnoreCase("ago")) {
                    // a number alone is seconds, as in PostgreSQL
                    fields.add(value, "second", text);
                } else {
                    throw invalid(text, "unknown unit '" + tokens.get(i + 1) + "'");
                }
            } else {
                throw invalid(text, unit(token) != null ? "'" + token + "' needs a number before it" : "unexpected '" + token + "'");
            }
        }
        return fields.interval(ago, text);
    }

    /** Splits into numbers, words and time/date fields: {@code 5min} is {@code 5}, {@code min}. */
    private static List<String> tokens(String s, String text) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == ',') {
                i++;
            } else if (Character.isDigit(c) || c == '.' || (c == '-' || c == '+') && i + 1 < n
                    && (Character.isDigit(s.charAt(i + 1)) || s.charAt(i + 1) == '.')) {
                int j = i + 1;
                while (j < n && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.' || s.charAt(j) == ':'
                        || s.charAt(j) == '-' && j + 1 < n && Character.isDigit(s.charAt(j + 1)))) {
                    j++;
                }
                tokens.add(s.substring(i, j));
                i = j;
            } else if (Character.isLetter(c)) {
                int j = i + 1;
                while (j < n && Character.isLetter(s.charAt(j))) {
                    j++;
                }
                tokens.add(s.substring(i, j));
                i = j;
            } else {
                throw invalid(text, "unexpected '" + c + "'");
            }
        }
        if (tokens.isEmpty()) {
            throw invalid(text, "it has no fields");
        }
        return tokens;
    }

    /** {@code [-]hh:mm[:ss[.f]]}, or {@code mm:ss.f} when the second field has a fraction. */
    private static void time(String token, Fields fields, String text) {
        boolean negative = token.startsWith("-");
        String[] parts = token.replaceFirst("^[+-]", "").split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw invalid(text, "'" + token + "' is not a time of day");
        }
        BigDecimal total;
        if (parts.length == 2 && parts[1].contains(".")) {
            total = minutesSeconds(parts[0], parts[1], token, text);
        } else {
            BigDecimal hours = whole(parts[0], token, text).multiply(BigDecimal.valueOf(MICROS_PER_HOUR));
            BigDecimal minutes = whole(parts[1], token, text).multiply(BigDecimal.valueOf(MICROS_PER_MINUTE));
            BigDecimal seconds = parts.length == 3 ? seconds(parts[2], token, text) : BigDecimal.ZERO;
            if (whole(parts[1], token, text).intValue() > 59) {
                throw invalid(text, "minutes of '" + token + "' must be below 60");
            }
            total = hours.add(minutes).add(seconds);
        }
        fields.micros(negative ? total.negate() : total);
    }

    private static BigDecimal minutesSeconds(String minutes, String seconds, String token, String text) {
        return whole(minutes, token, text).multiply(BigDecimal.valueOf(MICROS_PER_MINUTE)).add(seconds(seconds, token, text));
    }

    private static BigDecimal whole(String digits, String token, String text) {
        if (!digits.matches("\\d+")) {
            throw invalid(text, "'" + token + "' is not a time of day");
        }
        return new BigDecimal(digits);
    }

    private static BigDecimal seconds(String digits, String token, String text) {
        if (!digits.matches("\\d+(\\.\\d*)?")) {
            throw invalid(text, "'" + token + "' is not a time of day");
        }
        BigDecimal seconds = new BigDecimal(digits);
        if (seconds.compareTo(BigDecimal.valueOf(60)) >= 0) {
            throw invalid(text, "seconds of '" + token + "' must be below 60");
        }
        return seconds.multiply(BigDecimal.valueOf(MICROS_PER_SECOND));
    }

    /** ISO 8601 designators: {@code P[nY][nM][nW][nD][T[nH][nM][nS]]}, each number with its own sign and a fraction. */
    private static Interval parseIso(String s, String text) {
        boolean negate = s.startsWith("-");
        String body = (negate ? s.substring(2) : s.substring(1)).toUpperCase(Locale.ROOT);
        if (body.isEmpty()) {
            throw invalid(text, "an ISO 8601 duration needs at least one field after P");
        }
        Fields fields = new Fields();
        boolean time = false;
        int count = 0;
        int i = 0;
        while (i < body.length()) {
            if (body.charAt(i) == 'T') {
                if (time) {
                    throw invalid(text, "T may appear once");
                }
                time = true;
                i++;
                continue;
            }
            int j = i;
            if (j < body.length() && (body.charAt(j) == '-' || body.charAt(j) == '+')) {
                j++;
            }
            while (j < body.length() && (Character.isDigit(body.charAt(j)) || body.charAt(j) == '.' || body.charAt(j) == ',')) {
                j++;
            }
            if (j == i || j >= body.length()) {
                throw invalid(text, "each number of an ISO 8601 duration is followed by Y, M, W, D, H or S");
            }
            BigDecimal value = new BigDecimal(body.substring(i, j).replace(',', '.').replaceFirst("^\\+", ""));
            String unit = switch (body.charAt(j)) {
                case 'Y' -> time ? null : "year";
                case 'M' -> time ? "minute" : "month";
                case 'W' -> time ? null : "week";
                case 'D' -> time ? null : "day";
                case 'H' -> time ? "hour" : null;
                case 'S' -> time ? "second" : null;
                default -> null;
            };
            if (unit == null) {
                throw invalid(text, "'" + body.charAt(j) + "' is not a designator " + (time ? "after" : "before") + " T");
            }
            fields.add(value, unit, text);
            count++;
            i = j + 1;
        }
        if (count == 0) {
            throw invalid(text, "an ISO 8601 duration needs at least one field after P");
        }
        return fields.interval(negate, text);
    }
}

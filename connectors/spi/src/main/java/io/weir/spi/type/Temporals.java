package io.weir.spi.type;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * Parses and formats DATE, TIME and TIMESTAMP text into their representations (days since epoch,
 * milliseconds of the day, epoch milliseconds UTC). One place for the rules every format shares.
 *
 * <p>Accepted TIMESTAMP text: ISO-8601 {@code 2024-01-15T10:30:00.123Z}, with {@code T} or a
 * space between date and time, with or without seconds and fraction (any number of fraction digits;
 * beyond milliseconds truncated), with a zone {@code Z}, {@code +02:00}, {@code +0200},
 * {@code +02}, optionally after a space, optionally followed by {@code [Region/Id]}, or a region id
 * ({@code 2024-01-15 10:30:00 Europe/Paris}); no zone means UTC; a bare date means midnight UTC.
 * A hand-written parser because this runs for every record and {@code DateTimeFormatter} allocates.
 */
public final class Temporals {
    public static final long MILLIS_PER_DAY = 86_400_000L;

    private Temporals() {
    }

    /** Epoch milliseconds (UTC) from TIMESTAMP text, as described in the class comment. */
    public static long parseTimestamp(String text) {
        String s = text.strip();
        Cursor cursor = new Cursor(s);
        try {
            long epochDay = cursor.date();
            if (cursor.atEnd()) {
                return epochDay * MILLIS_PER_DAY;
            }
            char separator = s.charAt(cursor.pos);
            if (separator != 'T' && separator != 't' && separator != ' ') {
                throw new IllegalArgumentException();
            }
            cursor.pos++;
            long millisOfDay = cursor.time();
            long offsetSeconds = cursor.zone(epochDay, millisOfDay);
            return Math.addExact(Math.multiplyExact(epochDay, MILLIS_PER_DAY), millisOfDay) - offsetSeconds * 1000;
        } catch (RuntimeException e) {
            throw cannotParse(text, "TIMESTAMP", "e.g. '2024-01-15 10:30:00', '2024-01-15T10:30:00.123Z' or '2024-01-15T12:30:00+02:00'");
        }
    }

    /** What {@link #parseSimpleTimestamp} returns for text it leaves to {@link #parseTimestamp(String)}. */
    public static final long NOT_SIMPLE = Long.MIN_VALUE;

    /**
     * Epoch milliseconds (UTC) from the commonest TIMESTAMP text, {@code yyyy-MM-dd HH:mm:ss[.f...][Z]}
     * (or with {@code T}), read from ASCII bytes {@code text[from..to)} without allocating; any other
     * text (a zone offset, no seconds, spaces, an invalid date) gives {@link #NOT_SIMPLE}, and
     * {@link #parseTimestamp(String)} then parses it or reports it. Formats call this per record.
     */
    public static long parseSimpleTimestamp(byte[] text, int from, int to) {
        int length = to - from;
        if (length < 19 || text[from + 4] != '-' || text[from + 7] != '-' || text[from + 13] != ':') {
            return NOT_SIMPLE;
        }
        byte separator = text[from + 10];
        if (separator != ' ' && separator != 'T' && separator != 't') {
            return NOT_SIMPLE;
        }
        int century = twoDigits(text, from);
        int yearOfCentury = twoDigits(text, from + 2);
        int month = twoDigits(text, from + 5);
        int day = twoDigits(text, from + 8);
        int hour = twoDigits(text, from + 11);
        int minute = twoDigits(text, from + 14);
        int year = century * 100 + yearOfCentury;
        if ((century | yearOfCentury | month | day | hour | minute) < 0 || month < 1 || month > 12 || day < 1
                || day > lengthOfMonth(year, month) || hour > 23 || minute > 59) {
            return NOT_SIMPLE;
        }
        long withinMinute = simpleSecondsOfMinute(text, from + 16, to);
        if (withinMinute == NOT_SIMPLE) {
            return NOT_SIMPLE;
        }
        return epochDay(year, month, day) * MILLIS_PER_DAY + (hour * 60L + minute) * 60_000 + withinMinute;
    }

    /**
     * The milliseconds within the minute of the end of a simple TIMESTAMP text, {@code :ss[.f...][Z]}
     * from {@code from} to {@code to} (see {@link #parseSimpleTimestamp}); {@link #NOT_SIMPLE} for
     * anything else.
     */
    static long simpleSecondsOfMinute(byte[] text, int from, int to) {
        if (to - from < 3 || text[from] != ':') {
            return NOT_SIMPLE;
        }
        int second = twoDigits(text, from + 1);
        if (second < 0 || second > 59) {
            return NOT_SIMPLE;
        }
        int pos = from + 3;
        int millis = 0;
        if (pos < to && text[pos] == '.') {
            int start = ++pos;
            while (pos < to && text[pos] >= '0' && text[pos] <= '9') {
                if (pos - start < 3) {
                    millis = millis * 10 + (text[pos] - '0');
                }
                pos++;
            }
            int count = pos - start;
            if (count == 0 || count > 9) {
                return NOT_SIMPLE;
            }
            for (int i = count; i < 3; i++) {
                millis *= 10;
            }
        }
        if (pos < to && (text[pos] == 'Z' || text[pos] == 'z')) {
            pos++;
        }
        if (pos != to) {
            return NOT_SIMPLE;
        }
        return second * 1000L + millis;
    }

    /** The value of the two ASCII digits at {@code from}, or a negative number if either is not a digit. */
    private static int twoDigits(byte[] text, int from) {
        int tens = text[from] - '0';
        int ones = text[from + 1] - '0';
        return (tens | ones | (9 - tens) | (9 - ones)) < 0 ? -1 : tens * 10 + ones;
    }

    /** Days since 1970-01-01 from {@code yyyy-MM-dd}. */
    public static long parseDate(String text) {
        String s = text.strip();
        Cursor cursor = new Cursor(s);
        try {
            long days = cursor.date();
            if (!cursor.atEnd()) {
                throw new IllegalArgumentException();
            }
            return days;
        } catch (RuntimeException e) {
            throw cannotParse(text, "DATE", "expected yyyy-MM-dd, e.g. '2024-01-15'");
        }
    }

    /** Milliseconds of the day from {@code HH:mm[:ss[.fff]]}. */
    public static long parseTime(String text) {
        String s = text.strip();
        Cursor cursor = new Cursor(s);
        try {
            long millis = cursor.time();
            if (!cursor.atEnd()) {
                throw new IllegalArgumentException();
            }
            return millis;
        } catch (RuntimeException e) {
            throw cannotParse(text, "TIME", "expected HH:mm:ss[.fff], e.g. '10:30:00'");
        }
    }

    private static ConversionException cannotParse(String text, String type, String hint) {
        return new ConversionException("cannot parse '" + abbreviate(text) + "' as " + type + " (" + hint + ")");
    }

    static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }

    /** {@code yyyy-MM-dd HH:mm:ss.SSS} in UTC, the form Weir shows timestamps in. */
    public static String formatTimestamp(long epochMillis) {
        return formatDate(Math.floorDiv(epochMillis, MILLIS_PER_DAY)) + " " + formatTime(Math.floorMod(epochMillis, MILLIS_PER_DAY));
    }

    public static String formatDate(long epochDay) {
        return LocalDate.ofEpochDay(epochDay).toString();
    }

    /** {@code HH:mm:ss.SSS}. */
    public static String formatTime(long millisOfDay) {
        long seconds = millisOfDay / 1000;
        return String.format("%02d:%02d:%02d.%03d", seconds / 3600, seconds / 60 % 60, seconds % 60, millisOfDay % 1000);
    }

    /** Days since epoch for a valid year, month and day; throws on an invalid date. */
    static long epochDay(long year, int month, int day) {
        if (month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)) {
            throw new IllegalArgumentException("invalid date");
        }
        // Same arithmetic as LocalDate.toEpochDay, without creating a LocalDate per record.
        long total = 365 * year;
        if (year >= 0) {
            total += (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400;
        } else {
            total -= year / -4 - year / -100 + year / -400;
        }
        total += (367 * month - 362) / 12;
        total += day - 1;
        if (month > 2) {
            total--;
            if (!isLeap(year)) {
                total--;
            }
        }
        return total - 719_528;
    }

    private static boolean isLeap(long year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    private static int lengthOfMonth(long year, int month) {
        return switch (month) {
            case 2 -> isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** A position in the text being parsed; every method throws on malformed input. */
    private static final class Cursor {
        private final String s;
        private int pos;

        Cursor(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        long date() {
            int year = digits(4, 4);
            expect('-');
            int month = digits(1, 2);
            expect('-');
            int day = digits(1, 2);
            return epochDay(year, month, day);
        }

        long time() {
            int hour = digits(1, 2);
            expect(':');
            int minute = digits(2, 2);
            int second = 0;
            int millis = 0;
            if (pos < s.length() && s.charAt(pos) == ':') {
                pos++;
                second = digits(2, 2);
                if (pos < s.length() && s.charAt(pos) == '.') {
                    pos++;
                    int start = pos;
                    while (pos < s.length() && isDigit(s.charAt(pos))) {
                        if (pos - start < 3) {
                            millis = millis * 10 + (s.charAt(pos) - '0');
                        }
                        pos++;
                    }
                    int count = pos - start;
                    if (count == 0 || count > 9) {
                        throw new IllegalArgumentException("bad fraction");
                    }
                    for (int i = count; i < 3; i++) {
                        millis *= 10;
                    }
                }
            }
            if (hour > 23 || minute > 59 || second > 59) {
                throw new IllegalArgumentException("time out of range");
            }
            return ((hour * 60L + minute) * 60 + second) * 1000 + millis;
        }

        /** The zone's offset in seconds at the given local date-time; 0 (UTC) when there is none. */
        long zone(long epochDay, long millisOfDay) {
            while (pos < s.length() && s.charAt(pos) == ' ') {
                pos++;
            }
            if (atEnd()) {
                return 0;
            }
            char c = s.charAt(pos);
            long offset;
            if (c == 'Z' || c == 'z') {
                pos++;
                offset = 0;
            } else if (c == '+' || c == '-') {
                pos++;
                int hours = digits(2, 2);
                int minutes = 0;
                if (pos < s.length() && s.charAt(pos) == ':') {
                    pos++;
                    minutes = digits(2, 2);
                } else if (pos < s.length() && isDigit(s.charAt(pos))) {
                    minutes = digits(2, 2);
                }
                if (hours > 18 || minutes > 59) {
                    throw new IllegalArgumentException("offset out of range");
                }
                offset = (hours * 3600L + minutes * 60L) * (c == '-' ? -1 : 1);
            } else {
                return regionOffset(s.substring(pos), epochDay, millisOfDay);
            }
            if (pos < s.length() && s.charAt(pos) == '[' && s.endsWith("]")) {
                pos = s.length(); // the explicit offset wins over the region id that follows it
            }
            if (!atEnd()) {
                throw new IllegalArgumentException("trailing text");
            }
            return offset;
        }

        private long regionOffset(String zoneText, long epochDay, long millisOfDay) {
            String id = zoneText.startsWith("[") && zoneText.endsWith("]") ? zoneText.substring(1, zoneText.length() - 1) : zoneText;
            try {
                ZoneId zone = ZoneId.of(id);
                LocalDateTime local = LocalDateTime.of(LocalDate.ofEpochDay(epochDay), LocalTime.ofNanoOfDay(millisOfDay * 1_000_000));
                pos = s.length();
                return local.atZone(zone).getOffset().getTotalSeconds();
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("unknown zone " + id, e);
            }
        }

        private void expect(char c) {
            if (pos >= s.length() || s.charAt(pos) != c) {
                throw new IllegalArgumentException("expected " + c);
            }
            pos++;
        }

        private int digits(int min, int max) {
            int start = pos;
            int value = 0;
            while (pos < s.length() && pos - start < max && isDigit(s.charAt(pos))) {
                value = value * 10 + (s.charAt(pos) - '0');
                pos++;
            }
            if (pos - start < min) {
                throw new IllegalArgumentException("expected digits");
            }
            return value;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }
}

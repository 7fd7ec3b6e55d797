package io.weir.sql.function;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

/**
 * SQL's character-string functions counted in characters (Unicode code points), as PostgreSQL and
 * the SQL standard count them. Calcite's library counts UTF-16 units, so a character outside the Basic
 * Multilingual Plane (an emoji, many CJK extension characters) counted twice and SUBSTRING could cut
 * one in half. Strings without surrogate pairs, nearly all, take the index arithmetic of
 * {@link String} directly. Each function is null when an argument is.
 */
public final class CodePointStrings {
    private CodePointStrings() {
    }

    /** {@code CHAR_LENGTH(s)}, {@code CHARACTER_LENGTH(s)}. */
    public static Integer charLength(String s) {
        return s == null ? null : s.codePointCount(0, s.length());
    }

    /** {@code SUBSTRING(s FROM start)}: from character {@code start} (1-based; below 1 counts as 1) to the end. */
    public static String substringFrom(String s, Long start) {
        if (s == null || start == null) {
            return null;
        }
        long first = Math.max(start, 1);
        int count = s.codePointCount(0, s.length());
        if (first > count) {
            return "";
        }
        return s.substring(s.offsetByCodePoints(0, (int) first - 1));
    }

    /**
     * {@code SUBSTRING(s FROM start FOR length)}: the characters from {@code start} to
     * {@code start + length} (exclusive) that exist; a negative length is an error, as in the standard.
     */
    public static String substringFromFor(String s, Long start, Long length) {
        if (s == null || start == null || length == null) {
            return null;
        }
        if (length < 0) {
            throw new WeirException(ErrorCode.DATA_ERROR, "SUBSTRING: negative substring length not allowed (" + length + ")");
        }
        long end = start + length; // exclusive, 1-based
        long first = Math.max(start, 1);
        int count = s.codePointCount(0, s.length());
        long last = Math.min(end, (long) count + 1);
        if (first >= last) {
            return "";
        }
        int from = s.offsetByCodePoints(0, (int) first - 1);
        int to = s.offsetByCodePoints(from, (int) (last - first));
        return s.substring(from, to);
    }

    /** {@code POSITION(needle IN s)}: the character position of the first occurrence, 1-based; 0 when none. */
    public static Integer position(String needle, String s) {
        if (needle == null || s == null) {
            return null;
        }
        int at = s.indexOf(needle);
        return at < 0 ? 0 : s.codePointCount(0, at) + 1;
    }

    /** {@code POSITION(needle IN s FROM start)}: as {@link #position(String, String)}, searching from character {@code start}. */
    public static Integer positionFrom(String needle, String s, Long start) {
        if (needle == null || s == null || start == null) {
            return null;
        }
        int count = s.codePointCount(0, s.length());
        if (start < 1 || start > count + 1L) {
            return 0;
        }
        int from = s.offsetByCodePoints(0, (int) (start - 1));
        int at = s.indexOf(needle, from);
        return at < 0 ? 0 : s.codePointCount(0, at) + 1;
    }

    /** {@code OVERLAY(s PLACING r FROM start)}: replaces as many characters as {@code r} has. */
    public static String overlay(String s, String replacement, Long start) {
        if (s == null || replacement == null || start == null) {
            return null;
        }
        return overlayFor(s, replacement, start, (long) replacement.codePointCount(0, replacement.length()));
    }

    /** {@code OVERLAY(s PLACING r FROM start FOR length)}: the characters before {@code start}, then r, then those from {@code start + length}. */
    public static String overlayFor(String s, String replacement, Long start, Long length) {
        if (s == null || replacement == null || start == null || length == null) {
            return null;
        }
        String head = substringFromFor(s, 1L, Math.max(start - 1, 0));
        String tail = substringFrom(s, start + length);
        return head + replacement + tail;
    }

    /** {@code LEFT(s, n)}: the first n characters (none for n below 1). */
    public static String left(String s, Long n) {
        if (s == null || n == null) {
            return null;
        }
        return n <= 0 ? "" : substringFromFor(s, 1L, n);
    }

    /** {@code RIGHT(s, n)}: the last n characters (none for n below 1). */
    public static String right(String s, Long n) {
        if (s == null || n == null) {
            return null;
        }
        if (n <= 0) {
            return "";
        }
        int count = s.codePointCount(0, s.length());
        return n >= count ? s : s.substring(s.offsetByCodePoints(0, (int) (count - n)));
    }
}

package io.weir.formats.csv;

import io.weir.spi.format.RecordDecodeException;

import java.util.Arrays;

/**
 * Splits one record into fields (RFC 4180): a field starting with the quote character is quoted and
 * ends at a single quote, doubled quotes inside it are one quote, and it may contain delimiters and
 * line breaks; an unquoted field runs to the next delimiter and keeps quotes inside it literally.
 * Field arrays are reused from record to record. Fields the caller does not want are checked for
 * well-formedness but not copied out of the record (their value is null).
 */
final class CsvFieldParser {
    private final char delimiter;
    private final char quote;
    private final StringBuilder buffer = new StringBuilder();
    private String[] values = new String[16];
    private boolean[] quoted = new boolean[16];
    private int count;

    CsvFieldParser(CsvSettings settings) {
        this.delimiter = settings.delimiter();
        this.quote = settings.quote();
    }

    /** Parses {@code record}; fields are then available through {@link #count()}, {@link #value} and {@link #quoted}. */
    void parse(String record) throws RecordDecodeException {
        parse(record, null);
    }

    /**
     * Parses {@code record}, copying out only the fields {@code wanted} marks (by position; fields
     * beyond its length are wanted); the others are checked as strictly but have a null value.
     *
     * @param wanted null for every field
     */
    void parse(String record, boolean[] wanted) throws RecordDecodeException {
        count = 0;
        int length = record.length();
        int i = 0;
        while (true) {
            boolean want = wanted == null || count >= wanted.length || wanted[count];
            if (i < length && record.charAt(i) == quote) {
                if (want) {
                    buffer.setLength(0);
                }
                int start = i + 1;
                i = start;
                while (true) {
                    int next = record.indexOf(quote, i);
                    if (next < 0) {
                        throw new RecordDecodeException("field " + (count + 1) + ": unterminated quoted field (a "
                                + quote + " opened at character " + start + " is never closed)");
                    }
                    if (want) {
                        buffer.append(record, i, next);
                    }
                    if (next + 1 < length && record.charAt(next + 1) == quote) {
                        if (want) {
                            buffer.append(quote);
                        }
                        i = next + 2;
                    } else {
                        i = next + 1;
                        break;
                    }
                }
                add(want ? buffer.toString() : null, true);
                if (i == length) {
                    return;
                }
                if (record.charAt(i) != delimiter) {
                    throw new RecordDecodeException("field " + count + ": unexpected character '" + record.charAt(i)
                            + "' after a closing quote (expected '" + delimiter + "' or the end of the record)");
                }
                i++;
            } else {
                int next = record.indexOf(delimiter, i);
                if (next < 0) {
                    add(want ? record.substring(i) : null, false);
                    return;
                }
                add(want ? record.substring(i, next) : null, false);
                i = next + 1;
            }
        }
    }

    private void add(String value, boolean isQuoted) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
            quoted = Arrays.copyOf(quoted, count * 2);
        }
        values[count] = value;
        quoted[count] = isQuoted;
        count++;
    }

    int count() {
        return count;
    }

    /** The field's text; null for a field that was not wanted. */
    String value(int field) {
        return values[field];
    }

    boolean quoted(int field) {
        return quoted[field];
    }
}

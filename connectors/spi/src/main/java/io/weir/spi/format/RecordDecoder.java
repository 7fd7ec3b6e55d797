package io.weir.spi.format;

import io.weir.spi.batch.RowWriter;

import java.nio.charset.StandardCharsets;

/**
 * Decodes one record at a time into a {@link RowWriter}. The decoder writes the row's columns but
 * does not commit: the caller commits when {@code decode} returns true, and calls
 * {@link RowWriter#abortRow()} when it throws, so a record that fails half-way leaves no trace.
 *
 * <p>A decoder is stateful (e.g. a CSV header), belongs to one reader, and is not thread-safe. A
 * reader that moves to another split (file) calls {@link #startSplit()} before its first record.
 */
public interface RecordDecoder {
    /**
     * Decodes a textual record (one line, or several joined by a {@link LineFramer}).
     *
     * @return true if a row was written; false if the record carries no row (blank line, comment,
     *         CSV header)
     * @throws RecordDecodeException with a reason naming the field, e.g.
     *         {@code field 'ts': cannot parse 'abc' as TIMESTAMP}
     */
    boolean decode(String record, RowWriter out) throws RecordDecodeException;

    /** Decodes a binary record; the default decodes the bytes as UTF-8 text. */
    default boolean decode(byte[] bytes, int offset, int length, RowWriter out) throws RecordDecodeException {
        return decode(new String(bytes, offset, length, StandardCharsets.UTF_8), out);
    }

    /** A new split (e.g. the next file) starts: per-split state such as a CSV header is reset. */
    default void startSplit() {
    }
}

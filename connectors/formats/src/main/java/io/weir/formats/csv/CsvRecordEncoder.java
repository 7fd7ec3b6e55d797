package io.weir.formats.csv;

import io.weir.formats.ValueText;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BooleanVector;
import io.weir.spi.batch.ColumnVector;
import io.weir.spi.batch.DoubleVector;
import io.weir.spi.batch.LongVector;
import io.weir.spi.format.RecordEncoder;
import io.weir.spi.type.DataType;

import java.util.List;
import java.util.Optional;

/**
 * Encodes each row as one CSV record (RFC 4180) in the forms {@link CsvRecordDecoder} reads back:
 * the same value texts as JSON (DATE {@code yyyy-MM-dd}, TIME {@code HH:mm:ss.SSS}, TIMESTAMP
 * {@code yyyy-MM-dd HH:mm:ss.SSS} UTC, DECIMAL plain, VARBINARY base64), NULL as the unquoted
 * {@code 'csv.null-literal'}. A field is quoted when it contains the delimiter, the quote character
 * or a line break, when it equals the null literal (so an empty string stays distinct from NULL),
 * and, with {@code 'csv.allow-comments'}, when a record would start with {@code '#'}.
 *
 * <p>Limitations of CSV itself: an empty VARBINARY value is an empty field, which readers take for
 * NULL; with the default empty null literal, a row of a single column that is NULL is an empty line,
 * which readers skip.
 */
final class CsvRecordEncoder implements RecordEncoder {
    private final List<DataType.Field> schema;
    private final CsvSettings settings;
    private final StringBuilder line = new StringBuilder(128);
    private final StringBuilder field = new StringBuilder(32);

    CsvRecordEncoder(List<DataType.Field> schema, CsvSettings settings) {
        this.schema = List.copyOf(schema);
        this.settings = settings;
    }

    @Override
    public byte[] encode(Batch batch, int row) {
        line.setLength(0);
        for (int column = 0; column < schema.size(); column++) {
            if (column > 0) {
                line.append(settings.delimiter());
            }
            ColumnVector vector = batch.column(column);
            if (vector.isNull(row)) {
                line.append(settings.nullLiteral());
                continue;
            }
            field.setLength(0);
            DataType type = schema.get(column).type();
            if (vector instanceof LongVector longs) {
                appendLong(type, longs.get(row));
            } else if (vector instanceof DoubleVector doubles) {
                field.append(doubles.get(row));
            } else if (vector instanceof BooleanVector booleans) {
                field.append(booleans.get(row));
            } else {
                ValueText.appendScalar(field, type, vector.value(row));
            }
            appendField(column == 0);
        }
        return Utf8.encode(line);
    }

    private void appendLong(DataType type, long value) {
        switch (type.kind()) {
            case DATE -> ValueText.appendDate(field, value);
            case TIME -> ValueText.appendTime(field, value);
            case TIMESTAMP -> ValueText.appendTimestamp(field, value);
            default -> field.append(value);
        }
    }

    /** Appends {@link #field} to the line, quoted when it must be. */
    private void appendField(boolean first) {
        if (needsQuotes(field, first)) {
            appendQuoted(line, field);
        } else {
            line.append(field);
        }
    }

    private boolean needsQuotes(CharSequence text, boolean first) {
        if (first && settings.allowComments() && text.length() > 0 && text.charAt(0) == CsvSettings.COMMENT) {
            return true;
        }
        char delimiter = settings.delimiter();
        char quote = settings.quote();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == delimiter || c == quote || c == '\n' || c == '\r') {
                return true;
            }
        }
        return settings.nullLiteral().contentEquals(text);
    }

    private void appendQuoted(StringBuilder out, CharSequence text) {
        char quote = settings.quote();
        out.append(quote);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == quote) {
                out.append(quote);
            }
            out.append(c);
        }
        out.append(quote);
    }

    @Override
    public Optional<String> fileHeader() {
        if (!settings.header()) {
            return Optional.empty();
        }
        StringBuilder header = new StringBuilder();
        for (int column = 0; column < schema.size(); column++) {
            if (column > 0) {
                header.append(settings.delimiter());
            }
            String name = schema.get(column).name();
            if (needsQuotes(name, column == 0)) {
                appendQuoted(header, name);
            } else {
                header.append(name);
            }
        }
        return Optional.of(header.toString());
    }

    /** UTF-8 bytes of a builder without an intermediate String: one exactly sized array per record. */
    static final class Utf8 {
        private Utf8() {
        }

        static byte[] encode(CharSequence text) {
            int length = text.length();
            int size = 0;
            for (int i = 0; i < length; i++) {
                char c = text.charAt(i);
                if (c < 0x80) {
                    size++;
                } else if (c < 0x800) {
                    size += 2;
                } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                    size += 4;
                    i++;
                } else {
                    size += Character.isSurrogate(c) ? 1 : 3; // a lone surrogate becomes '?', as String.getBytes does
                }
            }
            byte[] bytes = new byte[size];
            int at = 0;
            for (int i = 0; i < length; i++) {
                char c = text.charAt(i);
                if (c < 0x80) {
                    bytes[at++] = (byte) c;
                } else if (c < 0x800) {
                    bytes[at++] = (byte) (0xc0 | c >> 6);
                    bytes[at++] = (byte) (0x80 | c & 0x3f);
                } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, text.charAt(++i));
                    bytes[at++] = (byte) (0xf0 | cp >> 18);
                    bytes[at++] = (byte) (0x80 | cp >> 12 & 0x3f);
                    bytes[at++] = (byte) (0x80 | cp >> 6 & 0x3f);
                    bytes[at++] = (byte) (0x80 | cp & 0x3f);
                } else if (Character.isSurrogate(c)) {
                    bytes[at++] = '?';
                } else {
                    bytes[at++] = (byte) (0xe0 | c >> 12);
                    bytes[at++] = (byte) (0x80 | c >> 6 & 0x3f);
                    bytes[at++] = (byte) (0x80 | c & 0x3f);
                }
            }
            return bytes;
        }
    }
}

package io.weir.formats.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.weir.spi.batch.RowWriter;
import io.weir.spi.format.RecordDecodeException;
import io.weir.spi.type.ConversionException;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Temporals;
import io.weir.spi.type.TimestampParser;
import io.weir.spi.type.TypeKind;
import io.weir.spi.type.ValueConversion;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The fast path of {@link JsonRecordDecoder}: reads one JSON object from UTF-8 bytes straight into the
 * row writer, skipping the fields of columns the query does not read without making Strings of them,
 * and converting integers, doubles, booleans, timestamps and ASCII strings from the bytes. Hand-written
 * because it is measured to be several times faster than Jackson's streaming parser on Nexmark bids
 * ({@code JsonDecodeBenchmark}): Jackson creates a parser per record and tokenizes every field.
 *
 * <p>It handles well-formed records only. Anything else it does not decide on — a syntax error, an escape
 * in a field name, a value of another shape than the fast conversions take — returns
 * {@link #NOT_HANDLED} and the caller decodes the record with Jackson, which is the reference for what
 * is accepted and for the error messages. A value of a type without a fast conversion (DECIMAL, DATE,
 * ARRAY, MAP, ROW, ...) or an unusual form (a number in a string, a timestamp with a zone offset, an
 * escaped or non-ASCII string) is converted by Jackson and {@link JsonValues} from its bytes alone.
 */
final class JsonBytesDecoder {
    /** {@link #decode} could not decide on the record: decode it with Jackson. */
    static final int NOT_HANDLED = -1;
    static final int ROW = 1;

    private static final int MAX_DEPTH = 64;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long SPACES = ONES * 0x20;
    private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
        1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /** How a column's value is converted on the fast path. */
    private enum Conversion { INTEGER, TIMESTAMP, FLOATING, BOOLEAN, TEXT, OTHER }

    private final List<DataType.Field> schema;
    private final boolean[] read;
    private final boolean failOnMissingField;
    private final byte[][] names;
    /** The first eight bytes of each name followed by its closing quote, as a little-endian long, and which of them count. */
    private final long[] namePrefixes;
    private final long[] nameMasks;
    /** The same for bytes 8 to 15 of names of 8 to 15 bytes. */
    private final long[] namePrefixes2;
    private final long[] nameMasks2;
    private final boolean asciiNames;
    private final Conversion[] conversions;
    private final DataType.Field[] fields;
    /** Per column, the number of the record that last filled it: no clearing per record. */
    private final long[] seen;
    private long record;
    private final TimestampParser timestamps = new TimestampParser();
    /** The column of each field of the previous record, by position: the likely column of the same field now. */
    private int[] lastOrder = new int[8];

    // the record being decoded
    private byte[] bytes;
    private int end;
    private int pos;

    JsonBytesDecoder(List<DataType.Field> schema, boolean[] read, boolean failOnMissingField) {
        this.schema = schema;
        this.read = read;
        this.failOnMissingField = failOnMissingField;
        this.names = new byte[schema.size()][];
        this.conversions = new Conversion[schema.size()];
        this.fields = schema.toArray(DataType.Field[]::new);
        boolean ascii = true;
        for (int column = 0; column < schema.size(); column++) {
            String name = schema.get(column).name();
            names[column] = name.getBytes(StandardCharsets.UTF_8);
            ascii &= names[column].length == name.length();
            conversions[column] = conversion(schema.get(column).type());
        }
        this.asciiNames = ascii;
        this.namePrefixes = new long[names.length];
        this.nameMasks = new long[names.length];
        this.namePrefixes2 = new long[names.length];
        this.nameMasks2 = new long[names.length];
        for (int column = 0; column < names.length; column++) {
            byte[] quoted = Arrays.copyOf(names[column], names[column].length + 1);
            quoted[quoted.length - 1] = '"';
            for (int i = 0; i < Math.min(8, quoted.length); i++) {
                namePrefixes[column] |= (quoted[i] & 0xffL) << (8 * i);
                nameMasks[column] |= 0xffL << (8 * i);
            }
            for (int i = 8; i < Math.min(16, quoted.length); i++) {
                namePrefixes2[column] |= (quoted[i] & 0xffL) << (8 * (i - 8));
                nameMasks2[column] |= 0xffL << (8 * (i - 8));
            }
        }
        this.seen = new long[schema.size()];
        Arrays.fill(lastOrder, -1);
    }

    private static Conversion conversion(DataType type) {
        return switch (type.kind()) {
            case TINYINT, SMALLINT, INTEGER, BIGINT -> Conversion.INTEGER;
            case TIMESTAMP -> Conversion.TIMESTAMP;
            case REAL, DOUBLE -> Conversion.FLOATING;
            case BOOLEAN -> Conversion.BOOLEAN;
            case CHAR, VARCHAR -> Conversion.TEXT;
            default -> Conversion.OTHER;
        };
    }

    /**
     * Decodes the object in {@code record[from..to)} (without a byte-order mark) into {@code out}.
     *
     * @return {@link #ROW}, or {@link #NOT_HANDLED} when the caller must decode the record with Jackson
     *         (the writer may then hold some of the record's columns: the caller aborts the row first)
     * @throws RecordDecodeException when a column's value cannot be converted, or a column is missing
     */
    int decode(byte[] record, int from, int to, RowWriter out) throws RecordDecodeException {
        this.bytes = record;
        this.end = to;
        this.pos = from;
        try {
            return object(out);
        } finally {
            this.bytes = null;
        }
    }

    private int object(RowWriter out) throws RecordDecodeException {
        skipWhitespace();
        if (pos >= end || bytes[pos] != '{') {
            return NOT_HANDLED;
        }
        pos++;
        long current = ++record;
        skipWhitespace();
        int field = 0;
        if (pos < end && bytes[pos] == '}') {
            pos++;
        } else {
            while (true) {
                if (pos >= end || bytes[pos] != '"') {
                    return NOT_HANDLED;
                }
                pos++;
                int column = fieldName(field);
                if (column == NOT_HANDLED - 1) {
                    return NOT_HANDLED;
                }
                remember(field++, column);
                // the usual compact "name":value first, then the general case with whitespace
                if (pos < end && bytes[pos] == ':') {
                    pos++;
                } else {
                    skipWhitespace();
                    if (pos >= end || bytes[pos] != ':') {
                        return NOT_HANDLED;
                    }
                    pos++;
                }
                skipWhitespace();
                if (column < 0 || !read[column]) {
                    if (!skipValue(0)) {
                        return NOT_HANDLED;
                    }
                } else {
                    if (!value(column, out)) {
                        return NOT_HANDLED;
                    }
                    seen[column] = current;
                }
                if (pos < end && bytes[pos] == ',') {
                    pos++;
                } else {
                    skipWhitespace();
                    if (pos >= end) {
                        return NOT_HANDLED;
                    }
                    byte next = bytes[pos++];
                    if (next == '}') {
                        break;
                    }
                    if (next != ',') {
                        return NOT_HANDLED;
                    }
                }
                skipWhitespace();
            }
        }
        skipWhitespace();
        if (pos != end) {
            return NOT_HANDLED; // Jackson names what follows the object
        }
        for (int column = 0; column < seen.length; column++) {
            if (read[column] && seen[column] != current) {
                DataType.Field missing = schema.get(column);
                if (!missing.type().nullable()) {
                    throw RecordDecodeException.forField(missing.name(), "missing, but the column is NOT NULL");
                }
                if (failOnMissingField) {
                    throw RecordDecodeException.forField(missing.name(), "missing ('json.fail-on-missing-field' is true)");
                }
                out.setNull(column);
            }
        }
        return ROW;
    }

    private void remember(int field, int column) {
        if (field >= lastOrder.length) {
            int old = lastOrder.length;
            lastOrder = Arrays.copyOf(lastOrder, Math.max(field + 1, old * 2));
            Arrays.fill(lastOrder, old, lastOrder.length, -1);
        }
        lastOrder[field] = column;
    }

    /**
     * Reads the field name after its opening quote, and the closing quote.
     *
     * @return the column it fills, -1 for none, or {@code NOT_HANDLED - 1} for a name to leave to Jackson
     *         (escaped, non-ASCII, or matched ignoring case only by some non-ASCII column name)
     */
    private int fieldName(int field) {
        int guess = field < lastOrder.length ? lastOrder[field] : -1;
        if (guess >= 0 && pos + 8 <= end && ((long) LONGS.get(bytes, pos) & nameMasks[guess]) == namePrefixes[guess]) {
            // the first eight bytes of the name and its closing quote matched at once
            byte[] name = names[guess];
            int nameEnd = pos + name.length;
            if (name.length < 8) {
                pos = nameEnd + 1;
                return guess;
            }
            if (name.length < 16) {
                // the next eight bytes: the rest of the name and its closing quote
                if (pos + 16 <= end && ((long) LONGS.get(bytes, pos + 8) & nameMasks2[guess]) == namePrefixes2[guess]) {
                    pos = nameEnd + 1;
                    return guess;
                }
            } else if (nameEnd < end && bytes[nameEnd] == '"' && Arrays.equals(bytes, pos + 8, nameEnd, name, 8, name.length)) {
                pos = nameEnd + 1;
                return guess;
            }
        }
        int start = pos;
        int stop = stringStop(pos);
        if (stop >= end || bytes[stop] != '"') {
            return NOT_HANDLED - 1;
        }
        for (int i = start; i < stop; i++) {
            if (bytes[i] < 0) {
                return NOT_HANDLED - 1;
            }
        }
        pos = stop + 1;
        int length = stop - start;
        for (int column = 0; column < names.length; column++) {
            byte[] name = names[column];
            if (name.length == length && Arrays.equals(bytes, start, stop, name, 0, length)) {
                return column;
            }
        }
        if (!asciiNames) {
            return NOT_HANDLED - 1;
        }
        for (int column = 0; column < names.length; column++) {
            if (names[column].length == length && equalsIgnoringAsciiCase(names[column], start)) {
                return column;
            }
        }
        return -1;
    }

    private boolean equalsIgnoringAsciiCase(byte[] name, int start) {
        for (int i = 0; i < name.length; i++) {
            int a = name[i];
            int b = bytes[start + i];
            if (a != b && (((a | 0x20) != (b | 0x20)) || (a | 0x20) < 'a' || (a | 0x20) > 'z')) {
                return false;
            }
        }
        return true;
    }

    private void skipWhitespace() {
        if (pos < end && bytes[pos] > ' ') {
            return; // one test for the usual case: no whitespace (every JSON whitespace byte is at most ' ')
        }
        while (pos < end) {
            byte b = bytes[pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            pos++;
        }
    }

    /**
     * The position of the first quote, backslash, control character or non-ASCII byte at or after
     * {@code from}, or {@code end}: eight bytes at a time, since skipping long strings is most of the work.
     */
    private int stringStop(int from) {
        int p = from;
        // two words per round: half the loop's branches on long strings
        while (p + 16 <= end) {
            long first = stops((long) LONGS.get(bytes, p));
            long second = stops((long) LONGS.get(bytes, p + 8));
            if ((first | second) != 0) {
                return first != 0 ? p + (Long.numberOfTrailingZeros(first) >>> 3)
                        : p + 8 + (Long.numberOfTrailingZeros(second) >>> 3);
            }
            p += 16;
        }
        while (p + 8 <= end) {
            long stops = stops((long) LONGS.get(bytes, p));
            if (stops != 0) {
                return p + (Long.numberOfTrailingZeros(stops) >>> 3);
            }
            p += 8;
        }
        while (p < end) {
            byte b = bytes[p];
            if (b == '"' || b == '\\' || b < 0x20) {
                return p;
            }
            p++;
        }
        return p;
    }

    private static final int PLAIN = 1;
    private static final int ESCAPED = 0;
    private static final int MALFORMED = -1;

    /**
     * The high bit of the first byte of {@code word} that is a quote, a backslash, a control character or
     * not ASCII (bits above it mean nothing). Exact for the first such byte: the bytes before it are ASCII
     * from 0x20 other than quote and backslash, so none of the subtractions below sets their high bit or
     * borrows from them; at that byte, {@code x - 1} of the zero byte {@code x} (a quote or backslash after
     * the xor), {@code b - 0x20} of a control character, or the byte itself when not ASCII has the high bit.
     */
    private static long stops(long word) {
        return ((word ^ QUOTES) - ONES | (word ^ BACKSLASHES) - ONES | word - SPACES | word) & HIGH_BITS;
    }

    /**
     * Skips the string after its opening quote to after its closing quote, checking its escapes and UTF-8.
     *
     * @return {@link #PLAIN} for a string of ASCII characters without escapes, {@link #ESCAPED} for another
     *         well-formed one, {@link #MALFORMED} for one Jackson has to judge
     */
    private int skipString() {
        int kind = PLAIN;
        while (true) {
            int stop = stringStop(pos);
            if (stop >= end) {
                pos = end;
                return MALFORMED;
            }
            byte b = bytes[stop];
            if (b == '"') {
                pos = stop + 1;
                return kind;
            }
            kind = ESCAPED;
            if (b == '\\') {
                pos = escape(stop + 1);
            } else if (b < 0) {
                pos = utf8(stop);
            } else {
                pos = end; // a control character
            }
            if (pos >= end) {
                return MALFORMED;
            }
        }
    }

    /** After the backslash at {@code p - 1}: the position after the escape, or {@code end} when it is invalid. */
    private int escape(int p) {
        if (p >= end) {
            return end;
        }
        switch (bytes[p]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return p + 1;
            }
            case 'u' -> {
                if (p + 5 > end) {
                    return end;
                }
                for (int i = p + 1; i <= p + 4; i++) {
                    byte h = bytes[i];
                    if (!(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F')) {
                        return end;
                    }
                }
                return p + 5;
            }
            default -> {
                return end;
            }
        }
    }

    /**
     * The position after the well-formed UTF-8 sequence starting with the lead byte at {@code p}, or
     * {@code end} when it is not one (overlong forms and surrogates included; Jackson then decides).
     */
    private int utf8(int p) {
        int lead = bytes[p] & 0xff;
        int length;
        int min = 0x80;
        int max = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            min = lead == 0xE0 ? 0xA0 : 0x80;
            max = lead == 0xED ? 0x9F : 0xBF;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            min = lead == 0xF0 ? 0x90 : 0x80;
            max = lead == 0xF4 ? 0x8F : 0xBF;
        } else {
            return end;
        }
        if (p + length > end) {
            return end;
        }
        int second = bytes[p + 1] & 0xff;
        if (second < min || second > max) {
            return end;
        }
        for (int i = p + 2; i < p + length; i++) {
            if ((bytes[i] & 0xC0) != 0x80) {
                return end;
            }
        }
        return p + length;
    }

    /** Skips a well-formed JSON value; false when it is not one (or nests too deeply). */
    private boolean skipValue(int depth) {
        if (pos >= end) {
            return false;
        }
        byte b = bytes[pos];
        switch (b) {
            case '"' -> {
                pos++;
                return skipString() != MALFORMED;
            }
            case '{' -> {
                return depth < MAX_DEPTH && skipObject(depth + 1);
            }
            case '[' -> {
                return depth < MAX_DEPTH && skipArray(depth + 1);
            }
            case 't' -> {
                return literal("true");
            }
            case 'f' -> {
                return literal("false");
            }
            case 'n' -> {
                return literal("null");
            }
            default -> {
                return integer() != NOT_INTEGER || number() != null;
            }
        }
    }

    private boolean skipObject(int depth) {
        pos++;
        skipWhitespace();
        if (pos < end && bytes[pos] == '}') {
            pos++;
            return true;
        }
        while (true) {
            if (pos >= end || bytes[pos] != '"') {
                return false;
            }
            pos++;
            if (skipString() == MALFORMED) {
                return false;
            }
            skipWhitespace();
            if (pos >= end || bytes[pos] != ':') {
                return false;
            }
            pos++;
            skipWhitespace();
            if (!skipValue(depth)) {
                return false;
            }
            skipWhitespace();
            if (pos >= end) {
                return false;
            }
            byte next = bytes[pos++];
            if (next == '}') {
                return true;
            }
            if (next != ',') {
                return false;
            }
            skipWhitespace();
        }
    }

    private boolean skipArray(int depth) {
        pos++;
        skipWhitespace();
        if (pos < end && bytes[pos] == ']') {
            pos++;
            return true;
        }
        while (true) {
            if (!skipValue(depth)) {
                return false;
            }
            skipWhitespace();
            if (pos >= end) {
                return false;
            }
            byte next = bytes[pos++];
            if (next == ']') {
                return true;
            }
            if (next != ',') {
                return false;
            }
            skipWhitespace();
        }
    }

    private boolean literal(String word) {
        int length = word.length();
        if (pos + length > end) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (bytes[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        pos += length;
        return delimited();
    }

    /** Whether the token just read ends here: whitespace, a separator or the end of the record follows. */
    private boolean delimited() {
        if (pos >= end) {
            return true;
        }
        byte b = bytes[pos];
        return b == ',' || b == '}' || b == ']' || b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    /** A scanned JSON number: its digits as a long when it is a whole number of at most 18 digits. */
    private static final class Number {
        boolean integral;
        boolean negative;
        long mantissa;
        int digits;
        int fractionDigits;
        int exponent;
        boolean exact;
    }

    private final Number number = new Number();

    /** What {@link #integer()} returns for a number it leaves to {@link #number()}. */
    private static final long NOT_INTEGER = Long.MIN_VALUE;

    /**
     * The common case of {@link #number()}, in one tight loop: a whole number of at most 18 digits followed
     * by a delimiter; the position moves after it. Anything else gives {@link #NOT_INTEGER} and leaves the
     * position where it was.
     */
    private long integer() {
        int start = pos;
        int p = pos;
        boolean negative = p < end && bytes[p] == '-';
        if (negative) {
            p++;
        }
        int digitsStart = p;
        long value = 0;
        if (p + 8 <= end) {
            // up to eight digits at once: how many bytes of the word are digits, then their value by multiplications
            long word = (long) LONGS.get(bytes, p);
            long digitsOf = word - ZEROS;
            // a lane is not a digit if it was below '0' (high bit after subtracting) or above '9' (+0x76 reaches 0x80)
            long notDigits = (digitsOf | (digitsOf + SIXES)) & HIGH_BITS;
            int count = Long.numberOfTrailingZeros(notDigits) >>> 3;
            if (count > 0) {
                // keep the digits' lanes, moved to the top, so that the first digit is the most significant
                long lanes = (digitsOf << (8 * (8 - count))) & (count == 8 ? -1L : -1L << (8 * (8 - count)));
                value = eightDigits(lanes);
                p += count;
                if (count < 8) {
                    return finishInteger(start, digitsStart, p, negative, value);
                }
            }
        }
        while (p < end) {
            int digit = bytes[p] - '0';
            if (digit < 0 || digit > 9) {
                break;
            }
            value = value * 10 + digit;
            p++;
        }
        return finishInteger(start, digitsStart, p, negative, value);
    }

    private long finishInteger(int start, int digitsStart, int p, boolean negative, long value) {
        int digits = p - digitsStart;
        if (digits == 0 || digits > 18 || (digits > 1 && bytes[digitsStart] == '0')) {
            return NOT_INTEGER;
        }
        pos = p;
        if (!delimited()) {
            pos = start; // a fraction or an exponent follows
            return NOT_INTEGER;
        }
        return negative ? -value : value;
    }

    private static final long ZEROS = ONES * '0';
    private static final long SIXES = ONES * 0x76;

    /**
     * The value of eight decimal digits, one per byte of {@code lanes} (values 0 to 9; the first digit in
     * the lowest byte, leading zeros for shorter numbers): three multiplications instead of eight.
     */
    private static long eightDigits(long lanes) {
        long pairs = (lanes * 10 + (lanes >>> 8)) & 0x00FF00FF00FF00FFL;
        long quads = (pairs * 100 + (pairs >>> 16)) & 0x0000FFFF0000FFFFL;
        return (quads * 10000 + (quads >>> 32)) & 0xFFFFFFFFL;
    }

    /**
     * Scans a JSON number at the position (strict JSON grammar), to after it.
     *
     * @return the scanned number, or null when there is none (then the position is undefined)
     */
    private Number number() {
        Number n = number;
        n.negative = false;
        n.mantissa = 0;
        n.digits = 0;
        n.fractionDigits = 0;
        n.exponent = 0;
        n.integral = true;
        if (pos < end && bytes[pos] == '-') {
            n.negative = true;
            pos++;
        }
        int start = pos;
        if (pos < end && bytes[pos] == '0') {
            pos++;
        } else {
            while (pos < end && bytes[pos] >= '0' && bytes[pos] <= '9') {
                n.mantissa = n.mantissa * 10 + (bytes[pos] - '0');
                pos++;
            }
        }
        int integerDigits = pos - start;
        if (integerDigits == 0) {
            return null;
        }
        n.digits = integerDigits;
        if (pos < end && bytes[pos] == '.') {
            n.integral = false;
            pos++;
            int fractionStart = pos;
            while (pos < end && bytes[pos] >= '0' && bytes[pos] <= '9') {
                n.mantissa = n.mantissa * 10 + (bytes[pos] - '0');
                pos++;
            }
            n.fractionDigits = pos - fractionStart;
            if (n.fractionDigits == 0) {
                return null;
            }
            n.digits += n.fractionDigits;
        }
        if (pos < end && (bytes[pos] == 'e' || bytes[pos] == 'E')) {
            n.integral = false;
            pos++;
            boolean negativeExponent = false;
            if (pos < end && (bytes[pos] == '+' || bytes[pos] == '-')) {
                negativeExponent = bytes[pos] == '-';
                pos++;
            }
            int exponentStart = pos;
            int exponent = 0;
            while (pos < end && bytes[pos] >= '0' && bytes[pos] <= '9') {
                if (exponent < 100_000) {
                    exponent = exponent * 10 + (bytes[pos] - '0');
                }
                pos++;
            }
            if (pos == exponentStart) {
                return null;
            }
            n.exponent = negativeExponent ? -exponent : exponent;
        }
        // at most 18 digits in all: the mantissa did not overflow
        n.exact = n.digits <= 18;
        return delimited() ? n : null;
    }

    /**
     * Converts the value at the position into {@code column}.
     *
     * @return false when the record must go to Jackson (malformed here, or Jackson reports the value)
     */
    private boolean value(int column, RowWriter out) throws RecordDecodeException {
        DataType.Field field = fields[column];
        DataType type = field.type();
        int start = pos;
        if (pos >= end) {
            return false;
        }
        byte first = bytes[pos];
        try {
            if (first == 'n') {
                if (!literal("null")) {
                    return false;
                }
                if (!type.nullable()) {
                    throw new ConversionException("NULL for a NOT NULL column");
                }
                out.setNull(column);
                return true;
            }
            switch (conversions[column]) {
                case INTEGER -> {
                    if (first == '-' || (first >= '0' && first <= '9')) {
                        long value = integer();
                        if (value != NOT_INTEGER) {
                            out.setLong(column, ValueConversion.checkRange(type.kind(), value));
                            return true;
                        }
                        Number n = number();
                        if (n == null) {
                            return false;
                        }
                        if (n.integral && n.exact) {
                            out.setLong(column, ValueConversion.checkRange(type.kind(), n.negative ? -n.mantissa : n.mantissa));
                            return true;
                        }
                    }
                }
                case TIMESTAMP -> {
                    if (first == '"') {
                        pos++;
                        int kind = skipString();
                        if (kind != PLAIN) {
                            return kind == ESCAPED && jackson(start, column, out);
                        }
                        long millis = timestamps.parse(bytes, start + 1, pos - 1);
                        if (millis != Temporals.NOT_SIMPLE) {
                            out.setLong(column, ValueConversion.truncate(type, millis));
                            return true;
                        }
                    } else if (first == '-' || (first >= '0' && first <= '9')) {
                        long value = integer();
                        if (value != NOT_INTEGER) {
                            out.setLong(column, ValueConversion.truncate(type, value));
                            return true;
                        }
                        Number n = number();
                        if (n == null) {
                            return false;
                        }
                        if (n.integral && n.exact) {
                            out.setLong(column, ValueConversion.truncate(type, n.negative ? -n.mantissa : n.mantissa));
                            return true;
                        }
                    }
                }
                case FLOATING -> {
                    if (first == '-' || (first >= '0' && first <= '9')) {
                        Number n = number();
                        if (n == null) {
                            return false;
                        }
                        double value = toDouble(n, start);
                        out.setDouble(column, ValueConversion.checkDouble(type.kind(), value));
                        return true;
                    }
                }
                case BOOLEAN -> {
                    if (first == 't' || first == 'f') {
                        boolean value = first == 't';
                        if (!literal(value ? "true" : "false")) {
                            return false;
                        }
                        out.setBoolean(column, value);
                        return true;
                    }
                }
                case TEXT -> {
                    if (first == '"') {
                        pos++;
                        int kind = skipString();
                        if (kind == PLAIN) {
                            // only ASCII: the cheapest exact decoding
                            String text = new String(bytes, start + 1, pos - start - 2, StandardCharsets.ISO_8859_1);
                            out.setObject(column, ValueConversion.string(type, text));
                            return true;
                        }
                        return kind == ESCAPED && jackson(start, column, out);
                    }
                }
                case OTHER -> {
                }
            }
        } catch (ConversionException e) {
            throw RecordDecodeException.forField(field.name(), e.getMessage());
        }
        pos = start;
        if (!skipValue(0)) {
            return false;
        }
        return jackson(start, column, out);
    }

    /**
     * The number as Jackson reads it: the exact double nearest to it. Up to 15 digits and a power of ten up
     * to 22 both are exact doubles, so one multiplication or division rounds correctly (Clinger's fast
     * path); other numbers are parsed from their text.
     */
    private double toDouble(Number n, int start) {
        if (n.integral) {
            if (n.exact) {
                return n.negative ? -n.mantissa : n.mantissa; // a long first, so -0 is 0.0 as Jackson reads it
            }
        } else if (n.digits <= 15) {
            int power = n.exponent - n.fractionDigits;
            if (power >= -22 && power <= 22) {
                double value = power < 0 ? n.mantissa / POWERS_OF_TEN[-power] : n.mantissa * POWERS_OF_TEN[power];
                return n.negative ? -value : value;
            }
        }
        return Double.parseDouble(new String(bytes, start, pos - start, StandardCharsets.ISO_8859_1));
    }

    /**
     * Converts the value in {@code bytes[start..pos)} with Jackson and {@link JsonValues}, as the Jackson
     * path does; false when Jackson finds it malformed (the whole record then goes to Jackson, for the message).
     */
    private boolean jackson(int start, int column, RowWriter out) throws RecordDecodeException {
        DataType.Field field = schema.get(column);
        try (JsonParser parser = JsonRecordDecoder.FACTORY.createParser(bytes, start, pos - start)) {
            JsonToken token = parser.nextToken();
            JsonValues.write(parser, token, field.type(), column, out);
            return true;
        } catch (ConversionException e) {
            throw RecordDecodeException.forField(field.name(), e.getMessage());
        } catch (JsonProcessingException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}

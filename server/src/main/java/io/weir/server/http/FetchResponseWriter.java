package io.weir.server.http;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import org.apache.calcite.avatica.proto.Common;
import org.apache.calcite.avatica.proto.Responses;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.Service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a fetch response, wrapped as a {@code WireMessage}, straight into its bytes: the same bytes as
 * {@link CompactFrames} builds with protobuf's messages (a test compares them), without a builder and a
 * message per value, column and row, and without copying the response into its wrapper. For a continuous
 * query with many result rows that was most of the server's CPU per row outside the query (measured with
 * JdbcPathBenchmark). Only the types of value Weir's rows hold are written here; a frame holding another
 * (bytes, arrays, ...) is left to {@link CompactFrames}.
 */
final class FetchResponseWriter {
    private static final String NAME = Responses.FetchResponse.class.getName();
    private static final int LENGTH_DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;
    /** A value whose size this class cannot give: the frame is left to CompactFrames. */
    private static final int UNSUPPORTED = -1;

    private FetchResponseWriter() {
    }

    /** The response's bytes, or null if its frame holds a value of a type left to CompactFrames. */
    static byte[] write(Service.FetchResponse fetch) {
        FrameLayout layout = null;
        if (fetch.frame != null) {
            layout = FrameLayout.of(fetch.frame);
            if (layout == null) {
                return null;
            }
        }
        Responses.RpcMetadata metadata = fetch.rpcMetadata == null ? null : CompactFrames.metadata(fetch.rpcMetadata);
        int responseSize = (layout != null ? nested(layout.frameSize()) : 0)
                + (fetch.missingStatement ? 2 : 0) + (fetch.missingResults ? 2 : 0)
                + (metadata != null ? nested(metadata.getSerializedSize()) : 0);
        byte[] bytes = new byte[CodedOutputStream.computeStringSize(Common.WireMessage.NAME_FIELD_NUMBER, NAME)
                + (responseSize != 0 ? nested(responseSize) : 0)];
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            out.writeString(Common.WireMessage.NAME_FIELD_NUMBER, NAME);
            if (responseSize != 0) {
                header(out, Common.WireMessage.WRAPPED_MESSAGE_FIELD_NUMBER, responseSize);
            }
            if (layout != null) {
                header(out, Responses.FetchResponse.FRAME_FIELD_NUMBER, layout.frameSize());
                if (fetch.frame.offset != 0) {
                    out.writeUInt64(Common.Frame.OFFSET_FIELD_NUMBER, fetch.frame.offset);
                }
                if (fetch.frame.done) {
                    out.writeBool(Common.Frame.DONE_FIELD_NUMBER, true);
                }
                layout.writeRows(out);
            }
            if (fetch.missingStatement) {
                out.writeBool(Responses.FetchResponse.MISSING_STATEMENT_FIELD_NUMBER, true);
            }
            if (fetch.missingResults) {
                out.writeBool(Responses.FetchResponse.MISSING_RESULTS_FIELD_NUMBER, true);
            }
            if (metadata != null) {
                out.writeMessage(Responses.FetchResponse.METADATA_FIELD_NUMBER, metadata);
            }
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("The sizes of a fetch response did not add up", e);
        }
        return bytes;
    }

    /**
     * A frame's rows with the encoded size of each value and row, measured before any byte is written.
     * Measuring and writing are separate methods, apart from {@link #write}: a continuous query's result
     * path runs each one per fetch, and as one method the JIT compiled all of it anew for each of its
     * loops (on-stack replacement, 100-170 ms of C2 per compile, seen with JFR), while the query ran.
     */
    private record FrameLayout(List<List<?>> rows, int[] valueSizes, int[] rowSizes, int frameSize) {
        /** The layout of the frame's rows, or null if one holds a value of a type left to CompactFrames. */
        static FrameLayout of(Meta.Frame frame) {
            List<List<?>> rows = FetchResponseWriter.rows(frame.rows);
            if (rows == null) {
                return null;
            }
            int values = 0;
            for (List<?> row : rows) {
                values += row.size();
            }
            int[] valueSizes = new int[values];
            int[] rowSizes = new int[rows.size()];
            int frameSize = 0;
            int value = 0;
            for (int r = 0; r < rows.size(); r++) {
                int rowSize = 0;
                for (Object column : rows.get(r)) {
                    int size = valueSize(column);
                    if (size == UNSUPPORTED) {
                        return null;
                    }
                    valueSizes[value++] = size;
                    rowSize += nested(nested(size)); // Row.value holding ColumnValue.scalar_value
                }
                rowSizes[r] = rowSize;
                frameSize += nested(rowSize);
            }
            frameSize += (frame.offset != 0 ? 1 + CodedOutputStream.computeUInt64SizeNoTag(frame.offset) : 0)
                    + (frame.done ? 2 : 0);
            return new FrameLayout(rows, valueSizes, rowSizes, frameSize);
        }

        void writeRows(CodedOutputStream out) throws IOException {
            int value = 0;
            for (int r = 0; r < rows.size(); r++) {
                header(out, Common.Frame.ROWS_FIELD_NUMBER, rowSizes[r]);
                for (Object column : rows.get(r)) {
                    int size = valueSizes[value++];
                    header(out, Common.Row.VALUE_FIELD_NUMBER, nested(size));
                    header(out, Common.ColumnValue.SCALAR_VALUE_FIELD_NUMBER, size);
                    writeValue(out, column);
                }
            }
        }
    }

    /** The rows as lists (a null row is an empty one, as CompactFrames writes it), or null for a row of another kind. */
    private static List<List<?>> rows(Iterable<Object> frameRows) {
        List<List<?>> rows = new java.util.ArrayList<>();
        for (Object row : frameRows) {
            if (row == null) {
                rows.add(List.of());
            } else if (row instanceof Object[] values) {
                rows.add(Arrays.asList(values));
            } else if (row instanceof List<?> values) {
                rows.add(values);
            } else {
                return null;
            }
        }
        return rows;
    }

    /** The size of the TypedValue that Avatica's {@code TypedValue.toProto} makes of {@code value}. */
    private static int valueSize(Object value) {
        if (value == null) {
            return type(Common.Rep.NULL) + 2;
        }
        if (value instanceof Long number) {
            return type(Common.Rep.LONG) + number(number);
        }
        if (value instanceof Integer number) {
            return type(Common.Rep.INTEGER) + number(number);
        }
        if (value instanceof Short number) {
            return type(Common.Rep.SHORT) + number(number);
        }
        if (value instanceof Byte number) {
            return type(Common.Rep.BYTE) + number(number);
        }
        if (value instanceof String string) {
            return type(Common.Rep.STRING) + string(string);
        }
        if (value instanceof Boolean bool) {
            return type(Common.Rep.BOOLEAN) + (bool ? 2 : 0);
        }
        if (value instanceof Double number) {
            return type(Common.Rep.DOUBLE) + (Double.doubleToRawLongBits(number) != 0 ? 9 : 0);
        }
        if (value instanceof BigDecimal number) {
            return type(Common.Rep.BIG_DECIMAL) + string(number.toString());
        }
        return UNSUPPORTED; // as Avatica writes them: bytes (twice), arrays; or fails: Float, Character, others
    }

    private static void writeValue(CodedOutputStream out, Object value) throws IOException {
        if (value == null) {
            writeType(out, Common.Rep.NULL);
            out.writeBool(Common.TypedValue.NULL_FIELD_NUMBER, true);
        } else if (value instanceof Long number) {
            writeNumber(out, Common.Rep.LONG, number);
        } else if (value instanceof Integer number) {
            writeNumber(out, Common.Rep.INTEGER, number);
        } else if (value instanceof Short number) {
            writeNumber(out, Common.Rep.SHORT, number);
        } else if (value instanceof Byte number) {
            writeNumber(out, Common.Rep.BYTE, number);
        } else if (value instanceof String string) {
            writeString(out, Common.Rep.STRING, string);
        } else if (value instanceof Boolean bool) {
            writeType(out, Common.Rep.BOOLEAN);
            if (bool) {
                out.writeBool(Common.TypedValue.BOOL_VALUE_FIELD_NUMBER, true);
            }
        } else if (value instanceof Double number) {
            writeType(out, Common.Rep.DOUBLE);
            if (Double.doubleToRawLongBits(number) != 0) {
                out.writeDouble(Common.TypedValue.DOUBLE_VALUE_FIELD_NUMBER, number);
            }
        } else if (value instanceof BigDecimal number) {
            writeString(out, Common.Rep.BIG_DECIMAL, number.toString());
        } else {
            throw new IllegalStateException("no size was given for a " + value.getClass().getName());
        }
    }

    // protobuf 3 leaves out fields that hold their default (0, false, ""), as the generated messages do

    private static int type(Common.Rep rep) {
        return rep.getNumber() == 0 ? 0 : 1 + CodedOutputStream.computeEnumSizeNoTag(rep.getNumber());
    }

    private static int number(long number) {
        return number == 0 ? 0 : 1 + CodedOutputStream.computeSInt64SizeNoTag(number);
    }

    private static int string(String string) {
        return string.isEmpty() ? 0 : 1 + CodedOutputStream.computeStringSizeNoTag(string);
    }

    private static void writeType(CodedOutputStream out, Common.Rep rep) throws IOException {
        if (rep.getNumber() != 0) {
            out.writeEnum(Common.TypedValue.TYPE_FIELD_NUMBER, rep.getNumber());
        }
    }

    private static void writeNumber(CodedOutputStream out, Common.Rep rep, long number) throws IOException {
        writeType(out, rep);
        if (number != 0) {
            out.writeSInt64(Common.TypedValue.NUMBER_VALUE_FIELD_NUMBER, number);
        }
    }

    private static void writeString(CodedOutputStream out, Common.Rep rep, String string) throws IOException {
        writeType(out, rep);
        if (string.isEmpty()) {
            return;
        }
        if (hasSurrogate(string)) {
            // as Avatica encodes it (an unpaired surrogate becomes '?'), without protobuf's warning per value
            out.writeByteArray(Common.TypedValue.STRING_VALUE_FIELD_NUMBER, string.getBytes(StandardCharsets.UTF_8));
        } else {
            out.writeString(Common.TypedValue.STRING_VALUE_FIELD_NUMBER, string);
        }
    }

    private static boolean hasSurrogate(String string) {
        for (int i = 0; i < string.length(); i++) {
            if (Character.isSurrogate(string.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** The size of a length-delimited field (of a field number below 16) holding {@code size} bytes. */
    private static int nested(int size) {
        return 1 + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
    }

    private static void header(CodedOutputStream out, int field, int size) throws IOException {
        out.writeTag(field, LENGTH_DELIMITED);
        out.writeUInt32NoTag(size);
    }
}

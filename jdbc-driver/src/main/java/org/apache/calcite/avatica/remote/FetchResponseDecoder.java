package org.apache.calcite.avatica.remote;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.proto.Common;
import org.apache.calcite.avatica.proto.Responses;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a protobuf {@code FetchResponse} straight from the wire bytes into the {@link Meta.Frame} that
 * Avatica's own parse gives ({@code Responses.FetchResponse.parseFrom} then {@code Meta.Frame.fromProto}):
 * the same rows ({@code ArrayList}s) holding the same values ({@code TypedValue.getSerialFromProto}).
 * Avatica's parse builds a protobuf message (through a builder) per row, column and value, and then
 * looks at each column's fields reflectively; for a continuous query's result rows that was most of the
 * client's CPU per row (measured with JdbcPathBenchmark: about 70% of the client thread's samples were
 * parsing and converting frames).
 *
 * <p>Only scalar columns of the common types are read here. Anything else (arrays, old-style columns,
 * bytes, big integers, unknown types or wire types, a field given twice) makes {@link #decode} return
 * {@code null} and the caller parses the response with Avatica, which also reports malformed input.
 */
final class FetchResponseDecoder {
    private static final String FETCH_RESPONSE = Responses.FetchResponse.class.getSimpleName();

    /** Thrown (without a stack trace) when a response needs Avatica's parse. */
    private static final class Unsupported extends Exception {
        private static final Unsupported INSTANCE = new Unsupported();

        private Unsupported() {
            super(null, null, false, false);
        }
    }

    private final String wireName;
    private final String localName;

    /**
     * @param wirePackage  the package of the message classes as servers name them ({@code ...avatica.proto.})
     * @param localPackage the package of the message classes in this jar (relocated or not)
     */
    FetchResponseDecoder(String wirePackage, String localPackage) {
        String message = Responses.class.getSimpleName() + "$" + FETCH_RESPONSE;
        this.wireName = wirePackage + message;
        this.localName = localPackage + message;
    }

    /** The fetch response in {@code wire} (a {@code WireMessage}), or null if it is another response or needs Avatica's parse. */
    Service.FetchResponse decode(byte[] wire) {
        try {
            CodedInputStream envelope = CodedInputStream.newInstance(wire);
            envelope.enableAliasing(true);
            String name = null;
            ByteString wrapped = null;
            int tag;
            while ((tag = envelope.readTag()) != 0) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case Common.WireMessage.NAME_FIELD_NUMBER -> {
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, name);
                        name = envelope.readStringRequireUtf8();
                    }
                    case Common.WireMessage.WRAPPED_MESSAGE_FIELD_NUMBER -> {
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, wrapped);
                        wrapped = envelope.readBytes();
                    }
                    default -> envelope.skipField(tag);
                }
            }
            if (wrapped == null || !(wireName.equals(name) || localName.equals(name))) {
                return null;
            }
            return fetchResponse(wrapped.newCodedInput());
        } catch (Unsupported | IOException | RuntimeException e) {
            return null; // Avatica's parse reads it, or reports what is wrong with it
        }
    }

    private static Service.FetchResponse fetchResponse(CodedInputStream in) throws IOException, Unsupported {
        Meta.Frame frame = null;
        boolean missingStatement = false;
        boolean missingResults = false;
        Service.RpcMetadataResponse metadata = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case Responses.FetchResponse.FRAME_FIELD_NUMBER -> {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, frame);
                    int limit = in.pushLimit(in.readRawVarint32());
                    frame = frame(in);
                    in.popLimit(limit);
                }
                case Responses.FetchResponse.MISSING_STATEMENT_FIELD_NUMBER -> {
                    expect(tag, WireFormat.WIRETYPE_VARINT, null);
                    missingStatement = in.readBool();
                }
                case Responses.FetchResponse.MISSING_RESULTS_FIELD_NUMBER -> {
                    expect(tag, WireFormat.WIRETYPE_VARINT, null);
                    missingResults = in.readBool();
                }
                case Responses.FetchResponse.METADATA_FIELD_NUMBER -> {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, metadata);
                    metadata = Service.RpcMetadataResponse.fromProto(Responses.RpcMetadata.parseFrom(in.readBytes()));
                }
                default -> in.skipField(tag);
            }
        }
        if (frame == null) {
            frame = Meta.Frame.fromProto(Common.Frame.getDefaultInstance()); // as Avatica reads a response without a frame
        }
        return new Service.FetchResponse(frame, missingStatement, missingResults, metadata);
    }

    private static Meta.Frame frame(CodedInputStream in) throws IOException, Unsupported {
        long offset = 0;
        boolean done = false;
        List<Object> rows = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case Common.Frame.OFFSET_FIELD_NUMBER -> {
                    expect(tag, WireFormat.WIRETYPE_VARINT, null);
                    offset = in.readUInt64();
                }
                case Common.Frame.DONE_FIELD_NUMBER -> {
                    expect(tag, WireFormat.WIRETYPE_VARINT, null);
                    done = in.readBool();
                }
                case Common.Frame.ROWS_FIELD_NUMBER -> {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, null);
                    int limit = in.pushLimit(in.readRawVarint32());
                    rows.add(row(in));
                    in.popLimit(limit);
                }
                default -> in.skipField(tag);
            }
        }
        return new Meta.Frame(offset, done, rows);
    }

    private static List<Object> row(CodedInputStream in) throws IOException, Unsupported {
        List<Object> row = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == Common.Row.VALUE_FIELD_NUMBER) {
                expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, null);
                int limit = in.pushLimit(in.readRawVarint32());
                row.add(column(in));
                in.popLimit(limit);
            } else {
                in.skipField(tag);
            }
        }
        return row;
    }

    /** A column with a scalar value (what Avatica calls new style); the deprecated copy in {@code value} is ignored, as Avatica does. */
    private static Object column(CodedInputStream in) throws IOException, Unsupported {
        boolean scalar = false;
        Object value = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case Common.ColumnValue.SCALAR_VALUE_FIELD_NUMBER -> {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, scalar ? Boolean.TRUE : null);
                    int limit = in.pushLimit(in.readRawVarint32());
                    value = scalar(in);
                    in.popLimit(limit);
                    scalar = true;
                }
                case Common.ColumnValue.HAS_ARRAY_VALUE_FIELD_NUMBER -> {
                    expect(tag, WireFormat.WIRETYPE_VARINT, null);
                    if (in.readBool()) {
                        throw Unsupported.INSTANCE; // an array
                    }
                }
                case Common.ColumnValue.ARRAY_VALUE_FIELD_NUMBER -> throw Unsupported.INSTANCE;
                default -> in.skipField(tag); // VALUE_FIELD_NUMBER: the deprecated copy
            }
        }
        if (!scalar) {
            throw Unsupported.INSTANCE; // old style, or neither scalar nor array (Avatica reports that)
        }
        return value;
    }

    /** As {@code TypedValue.getSerialFromProto}, for the types handled here. */
    private static Object scalar(CodedInputStream in) throws IOException, Unsupported {
        int type = 0;
        boolean bool = false;
        String string = "";
        long number = 0;
        double doubleValue = 0;
        boolean isNull = false;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case Common.TypedValue.TYPE_FIELD_NUMBER -> {
                    expect(tag, WireFormat.WIRETYPE_VARINT, null);
                    type = in.readEnum();
                }
                case Common.TypedValue.BOOL_VALUE_FIELD_NUMBER -> {
                    expect(tag, WireFormat.WIRETYPE_VARINT, null);
                    bool = in.readBool();
                }
                case Common.TypedValue.STRING_VALUE_FIELD_NUMBER -> {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, null);
                    string = in.readStringRequireUtf8(); // as the generated parser reads proto3 strings
                }
                case Common.TypedValue.NUMBER_VALUE_FIELD_NUMBER -> {
                    expect(tag, WireFormat.WIRETYPE_VARINT, null);
                    number = in.readSInt64();
                }
                case Common.TypedValue.DOUBLE_VALUE_FIELD_NUMBER -> {
                    expect(tag, WireFormat.WIRETYPE_FIXED64, null);
                    doubleValue = in.readDouble();
                }
                case Common.TypedValue.NULL_FIELD_NUMBER -> {
                    expect(tag, WireFormat.WIRETYPE_VARINT, null);
                    isNull = in.readBool();
                }
                case Common.TypedValue.ARRAY_VALUE_FIELD_NUMBER -> throw Unsupported.INSTANCE;
                default -> in.skipField(tag); // bytes (only read for types left to Avatica), component type, implicitly null
            }
        }
        Common.Rep rep = Common.Rep.forNumber(type);
        if (rep == null) {
            throw Unsupported.INSTANCE;
        }
        return switch (rep) {
            case BOOLEAN, PRIMITIVE_BOOLEAN -> bool;
            case STRING -> string;
            case PRIMITIVE_CHAR, CHARACTER -> {
                if (string.isEmpty()) {
                    throw Unsupported.INSTANCE;
                }
                yield string.charAt(0);
            }
            case BYTE, PRIMITIVE_BYTE -> (byte) number;
            case DOUBLE, PRIMITIVE_DOUBLE -> doubleValue;
            case FLOAT, PRIMITIVE_FLOAT -> Float.intBitsToFloat((int) number);
            case INTEGER, PRIMITIVE_INT, JAVA_SQL_DATE, JAVA_SQL_TIME -> (int) number;
            case PRIMITIVE_SHORT, SHORT -> (short) number;
            case LONG, PRIMITIVE_LONG, NUMBER, JAVA_SQL_TIMESTAMP, JAVA_UTIL_DATE -> number;
            case BIG_DECIMAL -> {
                if (number != 0) {
                    throw Unsupported.INSTANCE; // the pre-CALCITE-1103 form (unscaled bytes and a scale)
                }
                yield new BigDecimal(string);
            }
            case NULL -> null;
            case OBJECT -> {
                if (!isNull) {
                    throw Unsupported.INSTANCE; // Avatica fails on it
                }
                yield null;
            }
            default -> throw Unsupported.INSTANCE; // BYTE_STRING, BIG_INTEGER, ...
        };
    }

    /** Fails over to Avatica's parse on a field with another wire type than its declared one, or given twice ({@code seen}). */
    private static void expect(int tag, int wireType, Object seen) throws Unsupported {
        if (WireFormat.getTagWireType(tag) != wireType || seen != null) {
            throw Unsupported.INSTANCE;
        }
    }
}

package io.weir.formats.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import io.weir.formats.ValueText;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BooleanVector;
import io.weir.spi.batch.ColumnVector;
import io.weir.spi.batch.DoubleVector;
import io.weir.spi.batch.LongVector;
import io.weir.spi.format.RecordEncoder;
import io.weir.spi.type.DataType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Encodes each row as one JSON object whose field names are the column names as declared, in the
 * forms {@link JsonRecordDecoder} reads back: numbers for numeric types (DECIMAL in plain notation),
 * strings for DATE ({@code yyyy-MM-dd}), TIME ({@code HH:mm:ss.SSS}) and TIMESTAMP
 * ({@code yyyy-MM-dd HH:mm:ss.SSS}, UTC), base64 strings for VARBINARY, arrays for ARRAY, objects for
 * MAP (keys as text) and ROW, {@code null} for NULL.
 *
 * <p>One generator and one buffer serve every row: the generator writes root values back to back
 * (no separator), and each row's bytes are copied out of the buffer.
 */
final class JsonRecordEncoder implements RecordEncoder {
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private final List<DataType.Field> schema;
    private final SerializableString[] names;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private final StringBuilder text = new StringBuilder(32);
    private final JsonGenerator generator;
    private char[] charBuffer = new char[32];

    JsonRecordEncoder(List<DataType.Field> schema) {
        this.schema = List.copyOf(schema);
        this.names = new SerializableString[this.schema.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = new SerializedString(this.schema.get(i).name());
        }
        try {
            this.generator = JsonRecordDecoder.FACTORY.createGenerator(buffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        generator.setRootValueSeparator(null);
        generator.enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN.mappedFeature());
    }

    @Override
    public byte[] encode(Batch batch, int row) {
        try {
            generator.writeStartObject();
            for (int column = 0; column < names.length; column++) {
                generator.writeFieldName(names[column]);
                writeColumn(batch.column(column), row, schema.get(column).type());
            }
            generator.writeEndObject();
            generator.flush();
        } catch (IOException e) {
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "cannot encode a row as JSON: " + e.getMessage(), e);
        }
        byte[] bytes = buffer.toByteArray();
        buffer.reset();
        return bytes;
    }

    private void writeColumn(ColumnVector vector, int row, DataType type) throws IOException {
        if (vector.isNull(row)) {
            generator.writeNull();
        } else if (vector instanceof LongVector longs) {
            writeLong(type, longs.get(row));
        } else if (vector instanceof DoubleVector doubles) {
            generator.writeNumber(doubles.get(row));
        } else if (vector instanceof BooleanVector booleans) {
            generator.writeBoolean(booleans.get(row));
        } else {
            writeValue(type, vector.value(row));
        }
    }

    private void writeLong(DataType type, long value) throws IOException {
        switch (type.kind()) {
            case DATE -> {
                text.setLength(0);
                ValueText.appendDate(text, value);
                writeText();
            }
            case TIME -> {
                text.setLength(0);
                ValueText.appendTime(text, value);
                writeText();
            }
            case TIMESTAMP -> {
                text.setLength(0);
                ValueText.appendTimestamp(text, value);
                writeText();
            }
            default -> generator.writeNumber(value);
        }
    }

    private void writeText() throws IOException {
        // writeString(char[], ...) avoids making a String of the builder
        int length = text.length();
        char[] chars = chars(length);
        text.getChars(0, length, chars, 0);
        generator.writeString(chars, 0, length);
    }

    private char[] chars(int length) {
        if (charBuffer.length < length) {
            charBuffer = new char[Math.max(length, charBuffer.length * 2)];
        }
        return charBuffer;
    }

    /** A value in its representation object, for nested values and OBJECT columns. */
    private void writeValue(DataType type, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
            return;
        }
        switch (type.kind()) {
            case BOOLEAN -> generator.writeBoolean((Boolean) value);
            case TINYINT, SMALLINT, INTEGER, BIGINT, DATE, TIME, TIMESTAMP -> writeLong(type, ((Number) value).longValue());
            case REAL, DOUBLE -> generator.writeNumber(((Number) value).doubleValue());
            case DECIMAL -> generator.writeNumber((BigDecimal) value);
            case CHAR, VARCHAR -> generator.writeString((String) value);
            case VARBINARY -> generator.writeString(BASE64.encodeToString((byte[]) value));
            case ARRAY -> {
                DataType element = type.elementType();
                List<?> elements = (List<?>) value;
                generator.writeStartArray();
                for (Object item : elements) {
                    writeValue(element, item);
                }
                generator.writeEndArray();
            }
            case MAP -> {
                DataType keyType = type.keyType();
                DataType valueType = type.valueType();
                generator.writeStartObject();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    // JSON names cannot be null; the decoder reads keys back from text
                    generator.writeFieldName(entry.getKey() == null ? "null" : ValueText.scalar(keyType, entry.getKey()));
                    writeValue(valueType, entry.getValue());
                }
                generator.writeEndObject();
            }
            case ROW -> {
                List<String> fieldNames = type.fieldNames();
                List<DataType> fieldTypes = type.children();
                Object[] fields = (Object[]) value;
                generator.writeStartObject();
                for (int i = 0; i < fieldNames.size(); i++) {
                    generator.writeFieldName(fieldNames.get(i));
                    writeValue(fieldTypes.get(i), i < fields.length ? fields[i] : null);
                }
                generator.writeEndObject();
            }
        }
    }
}

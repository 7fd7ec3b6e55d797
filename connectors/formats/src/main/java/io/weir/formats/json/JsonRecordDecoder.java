package io.weir.formats.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.weir.formats.ColumnIndex;
import io.weir.spi.batch.RowWriter;
import io.weir.spi.format.RecordDecodeException;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.type.ConversionException;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes one JSON object per record straight into the row writer, filling the columns of the
 * projection. Records in bytes take {@link JsonBytesDecoder}'s fast path; what it leaves (and text
 * records that are not plain ASCII) is decoded with Jackson's streaming parser, which also reports
 * the errors. The fields of columns not read are skipped: only their JSON syntax is checked, so a
 * value of the wrong type or a missing NOT NULL value in a field no query reads is no error (as
 * with Flink's projection pushdown).
 */
final class JsonRecordDecoder implements RecordDecoder {
    /** Thread-safe and shared: creating parsers from it reuses buffers. NaN/Infinity are accepted for DOUBLE. */
    static final JsonFactory FACTORY = JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private final List<DataType.Field> schema;
    private final boolean failOnMissingField;
    private final ColumnIndex columns;
    private final boolean[] read;
    private final boolean[] seen;
    private final JsonBytesDecoder fast;

    JsonRecordDecoder(List<DataType.Field> schema, boolean failOnMissingField) {
        this(schema, failOnMissingField, Projection.all());
    }

    JsonRecordDecoder(List<DataType.Field> schema, boolean failOnMissingField, Projection projection) {
        this(schema, failOnMissingField, projection, true);
    }

    /** @param fastPath false to decode every record with Jackson (tests compare the two paths) */
    JsonRecordDecoder(List<DataType.Field> schema, boolean failOnMissingField, Projection projection, boolean fastPath) {
        this.schema = List.copyOf(schema);
        this.failOnMissingField = failOnMissingField;
        this.columns = new ColumnIndex(this.schema);
        this.seen = new boolean[this.schema.size()];
        this.read = new boolean[this.schema.size()];
        for (int column = 0; column < read.length; column++) {
            read[column] = projection.reads(column);
        }
        this.fast = fastPath ? new JsonBytesDecoder(this.schema, read, failOnMissingField) : null;
    }

    @Override
    public boolean decode(String record, RowWriter out) throws RecordDecodeException {
        int start = record.startsWith("\uFEFF") ? 1 : 0;
        if (record.isBlank() || start == 1 && record.length() == 1) {
            return false;
        }
        // The text as UTF-8 for the fast path (a copy; exact for any text without unpaired surrogates,
        // which no charset decoder produces).
        byte[] bytes = fast == null ? null : record.substring(start).getBytes(StandardCharsets.UTF_8);
        if (fast != null && fast.decode(bytes, 0, bytes.length, out) == JsonBytesDecoder.ROW) {
            return true;
        }
        out.abortRow();
        try (JsonParser parser = FACTORY.createParser(record.substring(start))) {
            return decode(parser, out);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new RecordDecodeException("cannot read JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean decode(byte[] bytes, int offset, int length, RowWriter out) throws RecordDecodeException {
        int start = offset;
        int end = offset + length;
        if (length >= 3 && (bytes[start] & 0xff) == 0xef && (bytes[start + 1] & 0xff) == 0xbb && (bytes[start + 2] & 0xff) == 0xbf) {
            start += 3;
        }
        int first = start;
        while (first < end && (bytes[first] == ' ' || bytes[first] == '\t' || bytes[first] == '\r' || bytes[first] == '\n')) {
            first++;
        }
        if (first == end) {
            return false;
        }
        if (fast != null && fast.decode(bytes, first, end, out) == JsonBytesDecoder.ROW) {
            return true;
        }
        out.abortRow();
        try (JsonParser parser = FACTORY.createParser(bytes, start, end - start)) {
            return decode(parser, out);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new RecordDecodeException("cannot read JSON: " + e.getMessage(), e);
        }
    }

    private static RecordDecodeException malformed(JsonProcessingException e) {
        String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
        return new RecordDecodeException("malformed JSON" + where + ": " + e.getOriginalMessage(), e);
    }

    private boolean decode(JsonParser parser, RowWriter out) throws IOException, RecordDecodeException {
        JsonToken token = parser.nextToken();
        if (token != JsonToken.START_OBJECT) {
            throw new RecordDecodeException("expected a JSON object but found " + JsonValues.describe(parser, token));
        }
        Arrays.fill(seen, false);
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            int column = columns.find(name);
            if (column < 0 || !read[column]) {
                parser.skipChildren();
                continue;
            }
            DataType.Field field = schema.get(column);
            try {
                JsonValues.write(parser, value, field.type(), column, out);
            } catch (ConversionException e) {
                throw RecordDecodeException.forField(field.name(), e.getMessage());
            }
            seen[column] = true;
        }
        if (token != JsonToken.END_OBJECT) {
            throw new RecordDecodeException("malformed JSON object");
        }
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
            throw new RecordDecodeException("unexpected " + JsonValues.describe(parser, trailing)
                    + " after the JSON object (one object per record)");
        }
        for (int column = 0; column < seen.length; column++) {
            if (read[column] && !seen[column]) {
                DataType.Field field = schema.get(column);
                if (!field.type().nullable()) {
                    throw RecordDecodeException.forField(field.name(), "missing, but the column is NOT NULL");
                }
                if (failOnMissingField) {
                    throw RecordDecodeException.forField(field.name(), "missing ('json.fail-on-missing-field' is true)");
                }
                out.setNull(column);
            }
        }
        return true;
    }
}

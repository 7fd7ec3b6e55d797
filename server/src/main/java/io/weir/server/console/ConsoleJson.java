package io.weir.server.console;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.weir.spi.type.DataType;
import io.weir.sql.statement.ResultColumn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The console API's JSON: result columns and rows (values in Avatica's wire form, see
 * {@link io.weir.server.meta.AvaticaTypes}) written for a page's script, and the statement read from a request.
 * Numbers stay numbers except where JavaScript would round them (integers beyond 2^53, NaN, infinities), which
 * become strings; dates and times are written as SQL prints them ({@code 2026-12-07 05:50:00.000}).
 */
final class ConsoleJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private ConsoleJson() {
    }

    /** Writes JSON with {@code body}; returns it as UTF-8. */
    static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** What writes one JSON document. */
    @FunctionalInterface
    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    /** The string field {@code name} of the JSON object in {@code body}; empty when the body has none (or is not such an object). */
    static Optional<String> stringField(byte[] body, String name) throws IOException {
        try (JsonParser parser = FACTORY.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals(name) && value == JsonToken.VALUE_STRING) {
                    return Optional.of(parser.getText());
                }
                parser.skipChildren();
            }
            return Optional.empty();
        }
    }

    /** {@code "columns": [{"name": ..., "type": ...}, ...]}, inside an object. */
    static void columns(JsonGenerator json, List<ResultColumn> columns) throws IOException {
        json.writeArrayFieldStart("columns");
        for (ResultColumn column : columns) {
            json.writeStartObject();
            json.writeStringField("name", column.name());
            json.writeStringField("type", column.type().kind().name());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** One row: a JSON array of its values. */
    static void row(JsonGenerator json, List<ResultColumn> columns, Object row) throws IOException {
        Object[] values = row instanceof Object[] array ? array : ((List<?>) row).toArray();
        json.writeStartArray();
        for (int i = 0; i < columns.size(); i++) {
            value(json, columns.get(i).type(), i < values.length ? values[i] : null);
        }
        json.writeEndArray();
    }

    private static void value(JsonGenerator json, DataType type, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
            return;
        }
        switch (type.kind()) {
            case BOOLEAN -> json.writeBoolean((Boolean) value);
            case TINYINT, SMALLINT, INTEGER, BIGINT -> {
                long number = ((Number) value).longValue();
                if (Math.abs(number) <= MAX_SAFE_INTEGER) {
                    json.writeNumber(number);
                } else {
                    json.writeString(Long.toString(number));
                }
            }
            case REAL, DOUBLE -> {
                double number = ((Number) value).doubleValue();
                if (Double.isFinite(number)) {
                    json.writeNumber(number);
                } else {
                    json.writeString(Double.toString(number));
                }
            }
            case DECIMAL -> json.writeNumber(value instanceof BigDecimal decimal ? decimal : new BigDecimal(value.toString()));
            case DATE -> json.writeString(LocalDate.ofEpochDay(((Number) value).longValue()).toString());
            case TIME -> json.writeString(LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L).toString());
            case TIMESTAMP -> json.writeString(TIMESTAMP.format(
                    java.time.Instant.ofEpochMilli(((Number) value).longValue()).atOffset(ZoneOffset.UTC)));
            case VARBINARY -> json.writeString("\\x" + HexFormat.of().formatHex(value instanceof byte[] bytes ? bytes
                    : Base64.getDecoder().decode(value.toString())));
            case ARRAY -> {
                json.writeStartArray();
                for (Object element : (List<?>) value) {
                    value(json, type.elementType(), element);
                }
                json.writeEndArray();
            }
            default -> json.writeString(value.toString()); // CHAR, VARCHAR; MAP and ROW come as JSON text
        }
    }
}

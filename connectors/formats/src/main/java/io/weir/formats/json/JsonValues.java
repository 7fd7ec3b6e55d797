package io.weir.formats.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.weir.spi.batch.RowWriter;
import io.weir.spi.type.ConversionException;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import io.weir.spi.type.ValueConversion;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts the JSON value under the parser into the representation of a SQL type. Text is parsed by
 * {@link ValueConversion} (the rules every format shares); in addition JSON numbers are read
 * exactly: integers with range checks, DECIMAL without going through double, TIMESTAMP as epoch
 * milliseconds, DATE as days, TIME as milliseconds of the day; true/false for BOOLEAN; nested
 * arrays and objects for ARRAY, MAP and ROW (ROW also from an array, by position); an object or
 * array read into VARCHAR is kept as its JSON text.
 */
final class JsonValues {
    private JsonValues() {
    }

    /** Writes the current value ({@code token}) into {@code column}. */
    static void write(JsonParser parser, JsonToken token, DataType type, int column, RowWriter out) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            checkNullable(type);
            out.setNull(column);
            return;
        }
        switch (type.kind().representation()) {
            case LONG -> out.setLong(column, toLong(parser, token, type));
            case DOUBLE -> out.setDouble(column, toDouble(parser, token, type));
            case BOOLEAN -> out.setBoolean(column, toBoolean(parser, token));
            case OBJECT -> out.setObject(column, toObject(parser, token, type));
        }
    }

    /** The current value as its representation object (boxed), for nested values. */
    static Object value(JsonParser parser, JsonToken token, DataType type) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            checkNullable(type);
            return null;
        }
        return switch (type.kind().representation()) {
            case LONG -> toLong(parser, token, type);
            case DOUBLE -> toDouble(parser, token, type);
            case BOOLEAN -> toBoolean(parser, token);
            case OBJECT -> toObject(parser, token, type);
        };
    }

    private static void checkNullable(DataType type) {
        if (!type.nullable()) {
            throw new ConversionException("NULL for a NOT NULL column");
        }
    }

    private static long toLong(JsonParser parser, JsonToken token, DataType type) throws IOException {
        TypeKind kind = type.kind();
        if (token == JsonToken.VALUE_STRING) {
            return ValueConversion.longFromText(type, parser.getText());
        }
        if (token == JsonToken.VALUE_NUMBER_INT) {
            if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                // Out of long range: let the shared rules produce the range error.
                return ValueConversion.longFromText(type, parser.getText());
            }
            long value = parser.getLongValue();
            return switch (kind) {
                case TIME -> ValueConversion.time(type, value);
                case TIMESTAMP -> ValueConversion.truncate(type, value);
                default -> ValueConversion.checkRange(kind, value);
            };
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            if (kind == TypeKind.TIMESTAMP) {
                BigDecimal millis = parser.getDecimalValue().setScale(0, RoundingMode.FLOOR);
                return ValueConversion.truncate(type, ValueConversion.longFromText(DataType.of(TypeKind.BIGINT), millis.toPlainString()));
            }
            return ValueConversion.longFromText(type, parser.getText());
        }
        throw mismatch(parser, token, type);
    }

    private static double toDouble(JsonParser parser, JsonToken token, DataType type) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return ValueConversion.checkDouble(type.kind(), parser.getDoubleValue());
        }
        if (token == JsonToken.VALUE_STRING) {
            return ValueConversion.doubleFromText(type, parser.getText());
        }
        throw mismatch(parser, token, type);
    }

    private static boolean toBoolean(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_STRING, VALUE_NUMBER_INT -> ValueConversion.booleanFromText(DataType.of(TypeKind.BOOLEAN), parser.getText());
            default -> throw mismatch(parser, token, DataType.of(TypeKind.BOOLEAN));
        };
    }

    private static Object toObject(JsonParser parser, JsonToken token, DataType type) throws IOException {
        return switch (type.kind()) {
            case DECIMAL -> {
                if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                    if (parser.getNumberType() == JsonParser.NumberType.DOUBLE && !Double.isFinite(parser.getDoubleValue())) {
                        throw new ConversionException("cannot convert " + parser.getText() + " to DECIMAL");
                    }
                    yield ValueConversion.decimal(type, parser.getDecimalValue());
                }
                if (token == JsonToken.VALUE_STRING) {
                    yield ValueConversion.objectFromText(type, parser.getText());
                }
                throw mismatch(parser, token, type);
            }
            case CHAR, VARCHAR -> {
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    yield ValueConversion.string(type, copyAsText(parser));
                }
                yield ValueConversion.string(type, parser.getText());
            }
            case VARBINARY -> {
                if (token == JsonToken.VALUE_STRING) {
                    yield ValueConversion.objectFromText(type, parser.getText());
                }
                throw mismatch(parser, token, type);
            }
            case ARRAY -> array(parser, token, type);
            case MAP -> map(parser, token, type);
            case ROW -> row(parser, token, type);
            default -> throw new IllegalStateException(type + " does not have the OBJECT representation");
        };
    }

    private static String copyAsText(JsonParser parser) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator generator = JsonRecordDecoder.FACTORY.createGenerator(text)) {
            generator.copyCurrentStructure(parser);
        }
        return text.toString();
    }

    private static List<Object> array(JsonParser parser, JsonToken token, DataType type) throws IOException {
        if (token != JsonToken.START_ARRAY) {
            throw mismatch(parser, token, type);
        }
        DataType elementType = type.elementType();
        List<Object> elements = new ArrayList<>();
        JsonToken element;
        while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
            elements.add(nested("element " + elements.size(), parser, element, elementType));
        }
        return Collections.unmodifiableList(elements);
    }

    private static Map<Object, Object> map(JsonParser parser, JsonToken token, DataType type) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            throw mismatch(parser, token, type);
        }
        Map<Object, Object> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            Object key;
            try {
                key = ValueConversion.fromText(type.keyType(), name);
            } catch (ConversionException e) {
                throw new ConversionException("key '" + name + "': " + e.getMessage(), e);
            }
            entries.put(key, nested("key '" + name + "'", parser, parser.nextToken(), type.valueType()));
        }
        return Collections.unmodifiableMap(entries);
    }

    private static Object[] row(JsonParser parser, JsonToken token, DataType type) throws IOException {
        List<DataType.Field> fields = type.fields();
        Object[] values = new Object[fields.size()];
        boolean[] present = new boolean[fields.size()];
        if (token == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                int index = type.fieldIndex(parser.currentName()).orElse(-1);
                JsonToken value = parser.nextToken();
                if (index < 0) {
                    parser.skipChildren();
                    continue;
                }
                values[index] = nested("field '" + fields.get(index).name() + "'", parser, value, fields.get(index).type());
                present[index] = true;
            }
        } else if (token == JsonToken.START_ARRAY) {
            int index = 0;
            JsonToken value;
            while ((value = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (index >= fields.size()) {
                    throw new ConversionException("array of more than " + fields.size() + " values for " + type.sqlString());
                }
                values[index] = nested("field '" + fields.get(index).name() + "'", parser, value, fields.get(index).type());
                present[index++] = true;
            }
        } else {
            throw mismatch(parser, token, type);
        }
        for (int i = 0; i < values.length; i++) {
            if (!present[i] && !fields.get(i).type().nullable()) {
                throw new ConversionException("field '" + fields.get(i).name() + "': missing, but it is NOT NULL");
            }
        }
        return values;
    }

    private static Object nested(String where, JsonParser parser, JsonToken token, DataType type) throws IOException {
        try {
            return value(parser, token, type);
        } catch (ConversionException e) {
            throw new ConversionException(where + ": " + e.getMessage(), e);
        }
    }

    private static ConversionException mismatch(JsonParser parser, JsonToken token, DataType type) throws IOException {
        return new ConversionException("expected " + expected(type) + " for " + type.kind().sqlName() + " but found "
                + describe(parser, token));
    }

    private static String expected(DataType type) {
        return switch (type.kind()) {
            case TINYINT, SMALLINT, INTEGER, BIGINT, REAL, DOUBLE, DECIMAL -> "a number";
            case BOOLEAN -> "true or false";
            case DATE, TIME, TIMESTAMP -> "a string or a number";
            case VARBINARY -> "a base64 string";
            case ARRAY -> "an array";
            case MAP -> "an object";
            case ROW -> "an object or an array";
            default -> "a string";
        };
    }

    /** The token for messages: {@code an object}, {@code string 'abc'}, {@code true}. */
    static String describe(JsonParser parser, JsonToken token) throws IOException {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "string '" + abbreviate(parser.getText()) + "'";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number " + abbreviate(parser.getText());
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }
}

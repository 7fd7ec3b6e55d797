package io.weir.formats.json;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.format.RecordEncoder;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.option.OptionValues;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;
import io.weir.spi.type.TypeKind;

import java.util.List;

/**
 * {@code 'format' = 'json'}: one JSON object per record (JSON lines). Fields fill the columns of the
 * same name, ignoring case; unknown fields are ignored; a missing field is NULL (an error for a
 * NOT NULL column, or for every column with {@code 'json.fail-on-missing-field' = 'true'}).
 * Values convert as {@link JsonValues} describes.
 */
public final class JsonFormatFactory implements FormatFactory {
    public static final String NAME = "json";
    public static final ConfigOption FAIL_ON_MISSING_FIELD = ConfigOption.bool("json.fail-on-missing-field",
            "Reject a record that lacks a field for some column instead of reading NULL").withDefault("false");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "JSON lines: one JSON object per record, fields matched to columns by name ignoring case";
    }

    @Override
    public List<ConfigOption> options() {
        return List.of(FAIL_ON_MISSING_FIELD);
    }

    @Override
    public void validate(List<DataType.Field> schema, OptionValues options) {
        for (DataType.Field field : schema) {
            checkMapKeys(field.name(), field.type());
        }
    }

    private static void checkMapKeys(String column, DataType type) {
        if (type.kind() == TypeKind.MAP && (type.keyType().kind().representation() == TypeKind.Representation.OBJECT
                && switch (type.keyType().kind()) { case ARRAY, MAP, ROW -> true; default -> false; })) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, "Column '" + column + "' has type " + type
                    + ": format 'json' reads MAP keys from JSON field names, so the key type must be a scalar type such as VARCHAR");
        }
        for (DataType child : type.children()) {
            checkMapKeys(column, child);
        }
    }

    @Override
    public RecordDecoder createDecoder(List<DataType.Field> schema, OptionValues options) {
        return new JsonRecordDecoder(schema, options.bool(FAIL_ON_MISSING_FIELD));
    }

    @Override
    public RecordDecoder createDecoder(List<DataType.Field> schema, OptionValues options, Projection projection) {
        return new JsonRecordDecoder(schema, options.bool(FAIL_ON_MISSING_FIELD), projection);
    }

    @Override
    public RecordEncoder createEncoder(List<DataType.Field> schema, OptionValues options) {
        return new JsonRecordEncoder(schema);
    }
}

package io.weir.formats.csv;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.LineFramer;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.format.RecordEncoder;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.option.OptionValues;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;

import java.util.List;

/**
 * {@code 'format' = 'csv'}: RFC 4180 records (quoted fields may contain delimiters, doubled quotes
 * and line breaks). Columns by position, or by header names ignoring case with
 * {@code 'csv.header' = 'true'}. NULL: an unquoted field equal to {@code 'csv.null-literal'}
 * (default: the empty field) is NULL for every type; a quoted field never is, so {@code ""} is an
 * empty VARCHAR; an empty field of a non-string type is NULL even when quoted. ARRAY, MAP and ROW
 * columns are rejected.
 */
public final class CsvFormatFactory implements FormatFactory {
    public static final String NAME = "csv";
    public static final ConfigOption FIELD_DELIMITER = ConfigOption.string("csv.field-delimiter",
            "The character between fields; '\\t' for tab").withDefault(",");
    public static final ConfigOption QUOTE_CHARACTER = ConfigOption.string("csv.quote-character",
            "The character that quotes fields containing delimiters, quotes or line breaks").withDefault("\"");
    public static final ConfigOption HEADER = ConfigOption.bool("csv.header",
            "Whether the first record of each file names the columns; fields are then matched to columns by name, "
                    + "ignoring case, instead of by position").withDefault("false");
    public static final ConfigOption NULL_LITERAL = ConfigOption.string("csv.null-literal",
            "An unquoted field with this text is NULL, e.g. 'NULL' or '\\N'; by default the empty field").withDefault("");
    public static final ConfigOption ALLOW_COMMENTS = ConfigOption.bool("csv.allow-comments",
            "Skip records starting with '#'").withDefault("false");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Comma-separated values (RFC 4180), columns by position or by header names";
    }

    @Override
    public List<ConfigOption> options() {
        return List.of(FIELD_DELIMITER, QUOTE_CHARACTER, HEADER, NULL_LITERAL, ALLOW_COMMENTS);
    }

    @Override
    public void validate(List<DataType.Field> schema, OptionValues options) {
        for (DataType.Field field : schema) {
            switch (field.type().kind()) {
                case ARRAY, MAP, ROW -> throw new WeirException(ErrorCode.VALIDATION_ERROR, "Column '" + field.name()
                        + "' has type " + field.type() + ", which format 'csv' cannot carry; declare it as VARCHAR "
                        + "or use format 'json'");
                default -> {
                }
            }
        }
        CsvSettings.of(options);
    }

    @Override
    public RecordDecoder createDecoder(List<DataType.Field> schema, OptionValues options) {
        return new CsvRecordDecoder(schema, CsvSettings.of(options));
    }

    @Override
    public RecordDecoder createDecoder(List<DataType.Field> schema, OptionValues options, Projection projection) {
        return new CsvRecordDecoder(schema, CsvSettings.of(options), projection);
    }

    @Override
    public RecordEncoder createEncoder(List<DataType.Field> schema, OptionValues options) {
        return new CsvRecordEncoder(schema, CsvSettings.of(options));
    }

    @Override
    public LineFramer createLineFramer(OptionValues options) {
        return new CsvLineFramer(CsvSettings.of(options));
    }
}

package io.weir.formats.csv;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.option.OptionValues;

/** The CSV options, checked and parsed. */
record CsvSettings(char delimiter, char quote, boolean header, String nullLiteral, boolean allowComments) {
    static final char COMMENT = '#';

    static CsvSettings of(OptionValues options) {
        char delimiter = singleCharacter(options, CsvFormatFactory.FIELD_DELIMITER);
        char quote = singleCharacter(options, CsvFormatFactory.QUOTE_CHARACTER);
        if (delimiter == quote) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Options 'csv.field-delimiter' and 'csv.quote-character' "
                    + "are both '" + delimiter + "'; they must differ");
        }
        if (delimiter == '\n' || delimiter == '\r' || quote == '\n' || quote == '\r') {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "CSV records are lines: a line break cannot be "
                    + "the field delimiter or the quote character");
        }
        return new CsvSettings(delimiter, quote, options.bool(CsvFormatFactory.HEADER),
                options.string(CsvFormatFactory.NULL_LITERAL), options.bool(CsvFormatFactory.ALLOW_COMMENTS));
    }

    private static char singleCharacter(OptionValues options, ConfigOption option) {
        String value = options.string(option);
        String unescaped = switch (value) {
            case "\\t", "tab", "TAB" -> "\t";
            case "\\\\" -> "\\";
            default -> value;
        };
        if (unescaped.length() != 1) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Invalid value '" + value + "' for option '"
                    + option.key() + "': expected a single character (or '\\t' for tab)");
        }
        return unescaped.charAt(0);
    }
}

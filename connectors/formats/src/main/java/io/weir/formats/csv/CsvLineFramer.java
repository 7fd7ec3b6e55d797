package io.weir.formats.csv;

import io.weir.spi.format.LineFramer;

/**
 * Joins lines while a quoted field is open, so a record may span lines. Tracks the same states as
 * {@link CsvFieldParser}: a quote opens a quoted field only at the start of a field; inside it a
 * doubled quote is a literal quote and a single one closes the field.
 */
final class CsvLineFramer implements LineFramer {
    private final CsvSettings settings;
    private boolean inQuotes;

    CsvLineFramer(CsvSettings settings) {
        this.settings = settings;
    }

    @Override
    public boolean endsRecord(CharSequence line) {
        int length = line.length();
        int i = 0;
        boolean fieldStart;
        if (inQuotes) {
            fieldStart = false;
        } else {
            if (settings.allowComments() && length > 0 && line.charAt(0) == CsvSettings.COMMENT) {
                return true;
            }
            fieldStart = true;
        }
        char quote = settings.quote();
        char delimiter = settings.delimiter();
        while (i < length) {
            char c = line.charAt(i);
            if (inQuotes) {
                if (c == quote) {
                    if (i + 1 < length && line.charAt(i + 1) == quote) {
                        i++;
                    } else {
                        inQuotes = false;
                    }
                }
            } else if (c == delimiter) {
                fieldStart = true;
            } else {
                if (c == quote && fieldStart) {
                    inQuotes = true;
                }
                fieldStart = false;
            }
            i++;
        }
        return !inQuotes;
    }

    @Override
    public void reset() {
        inQuotes = false;
    }
}

package io.weir.spi.format;

import static java.util.Objects.requireNonNull;

/**
 * A record cannot be decoded. Checked, so that every connector decides what happens to the record
 * (through {@link io.weir.spi.error.RecordErrorHandler}); the reason names the field at fault and
 * is shown to users as is, e.g. {@code field 'ts': cannot parse 'abc' as TIMESTAMP}.
 */
public class RecordDecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    public RecordDecodeException(String reason) {
        super(requireNonNull(reason, "reason is null"));
    }

    public RecordDecodeException(String reason, Throwable cause) {
        super(requireNonNull(reason, "reason is null"), cause);
    }

    /** For a conversion failure of one field: {@code field '<name>': <problem>}. */
    public static RecordDecodeException forField(String field, String problem) {
        return new RecordDecodeException("field '" + field + "': " + problem);
    }

    public String reason() {
        return getMessage();
    }
}

package io.weir.spi.type;

/**
 * A value cannot be converted to a SQL type, e.g. {@code cannot parse 'abc' as TIMESTAMP}. Raised
 * by {@link ValueConversion} and {@link Temporals}; formats wrap it into a record decode error that
 * names the field, so the message does not repeat the field name.
 */
public class ConversionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConversionException(String message) {
        super(message);
    }

    public ConversionException(String message, Throwable cause) {
        super(message, cause);
    }
}

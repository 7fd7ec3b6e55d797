package io.weir.spi.connector;

import java.util.Optional;

/**
 * Whether the {@code 'format'} option applies to a connector, and which format is used when it is
 * absent.
 *
 * @param supported whether the connector decodes records with a {@link io.weir.spi.format.FormatFactory}
 * @param defaultFormat the format used without {@code 'format'}; null when the option is then required
 */
public record FormatUsage(boolean supported, String defaultFormat) {
    private static final FormatUsage NONE = new FormatUsage(false, null);

    public FormatUsage {
        if (!supported && defaultFormat != null) {
            throw new IllegalArgumentException("a connector without formats has no default format");
        }
    }

    /** The connector produces typed rows itself; {@code 'format'} is rejected. */
    public static FormatUsage none() {
        return NONE;
    }

    /** {@code 'format'} must be given. */
    public static FormatUsage required() {
        return new FormatUsage(true, null);
    }

    /** {@code 'format'} is optional and defaults to {@code format}. */
    public static FormatUsage withDefault(String format) {
        return new FormatUsage(true, java.util.Objects.requireNonNull(format, "format is null"));
    }

    public Optional<String> defaultFormatName() {
        return Optional.ofNullable(defaultFormat);
    }
}

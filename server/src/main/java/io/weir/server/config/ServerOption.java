package io.weir.server.config;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import static java.util.Objects.requireNonNull;

/**
 * One server setting, declared once: its key in the config file, its environment variable, its
 * command-line flag, its default and what it does. All settings: {@link ServerOptions#all()}.
 *
 * @param key          the key in the config file, e.g. {@code server.port}
 * @param envVariable  the environment variable, e.g. {@code WEIR_PORT}
 * @param flag         the command-line flag, e.g. {@code --port}
 * @param defaultText  the default, written as a user would write it
 * @param description  one sentence for --help and the docs
 * @param type         how the text is read and checked
 * @param <T>          the value's Java type
 */
public record ServerOption<T>(String key, String envVariable, String flag, String defaultText, String description,
        OptionType<T> type) {
    public ServerOption {
        requireNonNull(key, "key is null");
        requireNonNull(envVariable, "envVariable is null");
        requireNonNull(flag, "flag is null");
        requireNonNull(defaultText, "defaultText is null");
        requireNonNull(description, "description is null");
        requireNonNull(type, "type is null");
        if (!flag.startsWith("--")) {
            throw new IllegalArgumentException("flag must start with --: " + flag);
        }
    }

    /** The default value. */
    public T defaultValue() {
        return parse(defaultText, "the default");
    }

    /**
     * Reads a value.
     *
     * @param source where the text came from, for the error message (e.g. "environment variable WEIR_PORT")
     * @throws WeirException (INVALID_OPTION_VALUE) naming this setting, the source and what is expected
     */
    public T parse(String text, String source) {
        requireNonNull(text, "text is null");
        try {
            return type.parse(text);
        } catch (IllegalArgumentException e) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE,
                    "Invalid value '" + text + "' for " + key + " (from " + source + "): " + e.getMessage(), e);
        }
    }

    /** Checks a value given directly, e.g. in a test; throws as {@link #parse} does. */
    public T check(T value) {
        requireNonNull(value, key + " is null");
        try {
            type.check(value);
        } catch (IllegalArgumentException e) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE,
                    "Invalid value '" + type.format(value) + "' for " + key + ": " + e.getMessage(), e);
        }
        return value;
    }
}

package io.weir.spi.option;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One option a connector or format accepts in {@code WITH ('key' = 'value', ...)}.
 *
 * <p>A {@code prefix} option (key ending in a dot, such as {@code properties.}) accepts any key
 * starting with it and passes those keys through unchecked. A {@code secret} option's value is
 * masked wherever Weir shows options (DESCRIBE, logs, metadata).
 *
 * @param defaultValue the value used when the option is absent, as the user would write it; null for none
 * @param allowedValues for {@link OptionType#ENUM}, the values accepted (case-insensitive)
 */
public record ConfigOption(String key, OptionType type, String defaultValue, boolean required, boolean secret,
                           List<String> allowedValues, String description) {
    public ConfigOption {
        requireNonNull(key, "key is null");
        requireNonNull(type, "type is null");
        requireNonNull(description, "description is null");
        allowedValues = List.copyOf(allowedValues);
        if (key.isBlank()) {
            throw new IllegalArgumentException("option key is blank");
        }
        if (required && defaultValue != null) {
            throw new IllegalArgumentException("required option " + key + " cannot have a default");
        }
        if (type == OptionType.ENUM && allowedValues.isEmpty()) {
            throw new IllegalArgumentException("enum option " + key + " needs allowed values");
        }
        if (defaultValue != null) {
            OptionParsing.parse(new ConfigOption(key, type, null, false, secret, allowedValues, description), defaultValue);
        }
    }

    public static ConfigOption string(String key, String description) {
        return new ConfigOption(key, OptionType.STRING, null, false, false, List.of(), description);
    }

    public static ConfigOption integer(String key, String description) {
        return new ConfigOption(key, OptionType.INT, null, false, false, List.of(), description);
    }

    public static ConfigOption longOption(String key, String description) {
        return new ConfigOption(key, OptionType.LONG, null, false, false, List.of(), description);
    }

    public static ConfigOption doubleOption(String key, String description) {
        return new ConfigOption(key, OptionType.DOUBLE, null, false, false, List.of(), description);
    }

    public static ConfigOption bool(String key, String description) {
        return new ConfigOption(key, OptionType.BOOLEAN, null, false, false, List.of(), description);
    }

    public static ConfigOption duration(String key, String description) {
        return new ConfigOption(key, OptionType.DURATION, null, false, false, List.of(), description);
    }

    public static ConfigOption list(String key, String description) {
        return new ConfigOption(key, OptionType.LIST, null, false, false, List.of(), description);
    }

    public static ConfigOption oneOf(String key, List<String> values, String description) {
        return new ConfigOption(key, OptionType.ENUM, null, false, false, values, description);
    }

    /** Any key starting with {@code prefix} (which must end with a dot), passed through as is. */
    public static ConfigOption prefix(String prefix, String description) {
        if (!prefix.endsWith(".")) {
            throw new IllegalArgumentException("a prefix option ends with a dot: " + prefix);
        }
        return new ConfigOption(prefix, OptionType.STRING, null, false, false, List.of(), description);
    }

    public ConfigOption withDefault(String value) {
        return new ConfigOption(key, type, requireNonNull(value, "value is null"), false, secret, allowedValues, description);
    }

    public ConfigOption asRequired() {
        return new ConfigOption(key, type, null, true, secret, allowedValues, description);
    }

    public ConfigOption asSecret() {
        return new ConfigOption(key, type, defaultValue, required, true, allowedValues, description);
    }

    public boolean isPrefix() {
        return key.endsWith(".");
    }

    public Optional<String> defaultValueText() {
        return Optional.ofNullable(defaultValue);
    }

    /** Whether a user-written key is this option (keys compare ignoring case). */
    public boolean matches(String userKey) {
        return isPrefix()
                ? userKey.length() > key.length() && userKey.regionMatches(true, 0, key, 0, key.length())
                : userKey.equalsIgnoreCase(key);
    }

    /** The type as shown in docs and DESCRIBE CONNECTOR, e.g. {@code enum (fail, skip, dead-letter)}. */
    public String typeDescription() {
        return type == OptionType.ENUM ? "enum (" + String.join(", ", allowedValues) + ")" : type.displayName();
    }
}

package io.weir.spi.option;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Options validated against their declarations: typed access by {@link ConfigOption}, defaults
 * applied. Create with {@link OptionValidator}.
 */
public final class OptionValues {
    private final Map<String, String> raw;
    private final Map<String, Object> parsed;

    OptionValues(Map<String, String> raw, Map<String, Object> parsed) {
        this.raw = Map.copyOf(requireNonNull(raw, "raw is null"));
        this.parsed = Map.copyOf(requireNonNull(parsed, "parsed is null"));
    }

    /** Options as the user wrote them (keys lower-cased), without defaults. */
    public Map<String, String> raw() {
        return raw;
    }

    public boolean isSet(ConfigOption option) {
        return raw.containsKey(normalize(option.key()));
    }

    private Optional<Object> value(ConfigOption option) {
        Object value = parsed.get(normalize(option.key()));
        if (value == null && option.defaultValue() != null) {
            value = OptionParsing.parse(option, option.defaultValue());
        }
        return Optional.ofNullable(value);
    }

    private Object required(ConfigOption option) {
        return value(option).orElseThrow(() -> new IllegalStateException(
                "option " + option.key() + " has no value and no default"));
    }

    public Optional<String> getString(ConfigOption option) {
        return value(option).map(String.class::cast);
    }

    public String string(ConfigOption option) {
        return (String) required(option);
    }

    public int integer(ConfigOption option) {
        return (Integer) required(option);
    }

    public long longValue(ConfigOption option) {
        return (Long) required(option);
    }

    public Optional<Long> getLong(ConfigOption option) {
        return value(option).map(Long.class::cast);
    }

    public double doubleValue(ConfigOption option) {
        return (Double) required(option);
    }

    public boolean bool(ConfigOption option) {
        return (Boolean) required(option);
    }

    public Duration duration(ConfigOption option) {
        return (Duration) required(option);
    }

    public Optional<Duration> getDuration(ConfigOption option) {
        return value(option).map(Duration.class::cast);
    }

    @SuppressWarnings("unchecked")
    public List<String> list(ConfigOption option) {
        return (List<String>) value(option).orElse(List.of());
    }

    /** The keys under a prefix option, with the prefix removed, e.g. {@code properties.acks} as {@code acks}. */
    public Map<String, String> withPrefix(ConfigOption prefixOption) {
        if (!prefixOption.isPrefix()) {
            throw new IllegalArgumentException("not a prefix option: " + prefixOption.key());
        }
        String prefix = normalize(prefixOption.key());
        Map<String, String> result = new LinkedHashMap<>();
        raw.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                result.put(key.substring(prefix.length()), value);
            }
        });
        return result;
    }

    static String normalize(String key) {
        return key.trim().toLowerCase(Locale.ROOT);
    }
}

package io.weir.sql.session;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.option.OptionParsing;

import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One session's properties: the declared {@link SessionOptions} with defaults (which the server
 * may override from its configuration) and what the session SET. Thread-safe.
 */
public final class SessionProperties {
    private static final Duration MIN_BATCH_INTERVAL = Duration.ofMillis(10);

    private final Map<String, String> defaults;
    private final Map<String, String> values = new LinkedHashMap<>();

    /** @param defaults server-wide defaults overriding the declared ones, by key */
    public SessionProperties(Map<String, String> defaults) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (ConfigOption option : SessionOptions.ALL) {
            merged.put(option.key(), option.defaultValue());
        }
        requireNonNull(defaults, "defaults is null").forEach((key, value) -> {
            ConfigOption option = option(key);
            validate(option, value);
            merged.put(option.key(), value);
        });
        this.defaults = Map.copyOf(merged);
    }

    private static ConfigOption option(String key) {
        String normalized = key.trim().toLowerCase(Locale.ROOT);
        return SessionOptions.ALL.stream()
                .filter(option -> option.key().equals(normalized))
                .findFirst()
                .orElseThrow(() -> new WeirException(ErrorCode.INVALID_SESSION_PROPERTY, "Unknown session property '" + key
                        + "'. Known properties: " + String.join(", ", SessionOptions.ALL.stream().map(ConfigOption::key).toList())));
    }

    private static void validate(ConfigOption option, String value) {
        Object parsed = OptionParsing.parse(option, value);
        if (option == SessionOptions.BATCH_INTERVAL && ((Duration) parsed).compareTo(MIN_BATCH_INTERVAL) < 0) {
            throw new WeirException(ErrorCode.INVALID_SESSION_PROPERTY,
                    "'batch.interval' must be at least 10 ms, got '" + value + "'");
        }
        if (option == SessionOptions.SOURCE_MAX_BATCH_ROWS && (Integer) parsed < 1) {
            throw new WeirException(ErrorCode.INVALID_SESSION_PROPERTY,
                    "'source.max-batch-rows' must be at least 1, got '" + value + "'");
        }
        if (option == SessionOptions.PARALLELISM && ((Integer) parsed < 0 || (Integer) parsed > 128)) {
            throw new WeirException(ErrorCode.INVALID_SESSION_PROPERTY,
                    "'parallelism' must be between 1 and 128 (0: the server's default), got '" + value + "'");
        }
        if (option == SessionOptions.TIME_ZONE) {
            try {
                ZoneId.of(value);
            } catch (RuntimeException e) {
                throw new WeirException(ErrorCode.INVALID_SESSION_PROPERTY, "Unknown time zone '" + value
                        + "' for 'time-zone': use a region such as 'Europe/Berlin' or an offset such as '+02:00'");
            }
        }
    }

    public synchronized void set(String key, String value) {
        ConfigOption option = option(key);
        validate(option, value);
        values.put(option.key(), value);
    }

    /** Resets one property to its default, or all with a null key. */
    public synchronized void reset(String key) {
        if (key == null) {
            values.clear();
        } else {
            values.remove(option(key).key());
        }
    }

    public synchronized String get(ConfigOption option) {
        return Optional.ofNullable(values.get(option.key())).orElse(defaults.get(option.key()));
    }

    public Duration duration(ConfigOption option) {
        return OptionParsing.parseDuration(get(option));
    }

    public int integer(ConfigOption option) {
        return (Integer) OptionParsing.parse(option, get(option));
    }

    /** Every property with its effective value, in declaration order. */
    public synchronized List<Map.Entry<String, String>> effective() {
        return SessionOptions.ALL.stream()
                .map(option -> Map.entry(option.key(), get(option)))
                .toList();
    }

    public synchronized boolean isSet(ConfigOption option) {
        return values.containsKey(option.key());
    }
}

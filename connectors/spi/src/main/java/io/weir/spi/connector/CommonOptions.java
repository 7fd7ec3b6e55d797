package io.weir.spi.connector;

import io.weir.spi.error.ErrorPolicy;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.option.OptionValues;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The options every stream and table accepts besides its connector's and format's. */
public final class CommonOptions {
    public static final ConfigOption CONNECTOR = ConfigOption.string("connector",
            "The connector that reads the data, e.g. 'file', 'datagen', 'memory'").asRequired();

    /** No default here: a connector's {@link FormatUsage} gives it; connectors without formats reject it. */
    public static final ConfigOption FORMAT = ConfigOption.string("format",
            "How records are encoded, e.g. 'json' or 'csv'; only for connectors that read formats");

    public static final ConfigOption ON_ERROR = ConfigOption.oneOf("on-error", ErrorPolicy.optionValues(),
            "What to do with a record that cannot be decoded: 'fail' stops the query, 'skip' drops and counts it, "
                    + "'dead-letter' drops it and keeps it for inspection").withDefault(ErrorPolicy.FAIL.optionValue());

    /** No default: without it, a split without new rows holds the watermark back indefinitely. */
    public static final ConfigOption WATERMARK_IDLE_TIMEOUT = ConfigOption.duration("watermark.idle-timeout",
            "A split (file, partition) without rows for this long no longer holds back the watermark, e.g. '30 s'");

    /** Tables only; without it a lookup join reads its table once, when the query starts. */
    public static final ConfigOption REFRESH_INTERVAL = ConfigOption.duration("refresh-interval",
            "Tables: re-read the table this often for lookup joins, e.g. '5 min'; without it, a lookup join reads the"
                    + " table once, when its query starts");

    private CommonOptions() {
    }

    public static List<ConfigOption> all() {
        return List.of(CONNECTOR, FORMAT, ON_ERROR, WATERMARK_IDLE_TIMEOUT, REFRESH_INTERVAL);
    }

    public static ErrorPolicy errorPolicy(OptionValues options) {
        return ErrorPolicy.fromOptionValue(options.string(ON_ERROR));
    }

    public static Optional<Duration> idleTimeout(OptionValues options) {
        return options.getDuration(WATERMARK_IDLE_TIMEOUT);
    }

    public static Optional<Duration> refreshInterval(OptionValues options) {
        return options.getDuration(REFRESH_INTERVAL);
    }
}

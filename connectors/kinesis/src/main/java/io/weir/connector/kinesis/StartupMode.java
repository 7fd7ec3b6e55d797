package io.weir.connector.kinesis;

import java.util.Arrays;
import java.util.List;

/** Where a reader without a committed position starts in each shard ({@code 'scan.startup.mode'}). */
enum StartupMode {
    /** The oldest record the stream still holds. */
    TRIM_HORIZON("trim-horizon"),
    /** Records that arrive after the reader starts. */
    LATEST("latest"),
    /** The first record that arrived at or after {@code 'scan.startup.timestamp-millis'}. */
    AT_TIMESTAMP("at-timestamp");

    private final String optionValue;

    StartupMode(String optionValue) {
        this.optionValue = optionValue;
    }

    String optionValue() {
        return optionValue;
    }

    static List<String> optionValues() {
        return Arrays.stream(values()).map(StartupMode::optionValue).toList();
    }

    static StartupMode of(String value) {
        for (StartupMode mode : values()) {
            if (mode.optionValue.equalsIgnoreCase(value.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("not a startup mode: " + value);
    }
}

package io.weir.connector.kafka;

import java.util.Arrays;
import java.util.List;

/** Where a reader starts in each partition; the {@code 'scan.startup.mode'} option. */
enum StartupMode {
    /** The first offset still in the log. */
    EARLIEST("earliest-offset"),
    /** The end of the log when the reader starts: only records produced later are read. */
    LATEST("latest-offset"),
    /** The group's committed offset; partitions without one follow {@code auto.offset.reset} (earliest unless set). */
    GROUP_OFFSETS("group-offsets"),
    /** The first record whose timestamp is at or after {@code 'scan.startup.timestamp-millis'}. */
    TIMESTAMP("timestamp");

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

    static StartupMode fromOptionValue(String value) {
        for (StartupMode mode : values()) {
            if (mode.optionValue.equalsIgnoreCase(value.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown startup mode '" + value + "', expected one of " + optionValues());
    }
}

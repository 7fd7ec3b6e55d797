package io.weir.spi.connector.ingest;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Where a new reader of an {@code http} stream starts: {@code 'scan.startup.mode'}. */
public enum StartupMode {
    /** Only records posted after the query started. */
    LATEST("latest"),
    /** Every record still in the stream's buffer, then new ones. */
    EARLIEST("earliest");

    private final String optionValue;

    StartupMode(String optionValue) {
        this.optionValue = optionValue;
    }

    public String optionValue() {
        return optionValue;
    }

    public static List<String> optionValues() {
        return Arrays.stream(values()).map(StartupMode::optionValue).toList();
    }

    public static StartupMode fromOptionValue(String value) {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        for (StartupMode mode : values()) {
            if (mode.optionValue.equals(wanted)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown startup mode '" + value + "', expected one of " + optionValues());
    }
}

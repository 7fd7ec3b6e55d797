package io.weir.spi.wal;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** When appended records are forced to disk: {@code 'wal.sync'}. Either way an append returns only once they are. */
public enum WalSync {
    /** An fsync as soon as records are written; appenders that wrote meanwhile share it. */
    ALWAYS("always"),
    /** At most one fsync per {@link WalSettings#SYNC_INTERVAL}, shared by every append since the last one. */
    INTERVAL("interval");

    private final String optionValue;

    WalSync(String optionValue) {
        this.optionValue = optionValue;
    }

    public String optionValue() {
        return optionValue;
    }

    public static List<String> optionValues() {
        return Arrays.stream(values()).map(WalSync::optionValue).toList();
    }

    public static WalSync fromOptionValue(String value) {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        for (WalSync sync : values()) {
            if (sync.optionValue.equals(wanted)) {
                return sync;
            }
        }
        throw new IllegalArgumentException("unknown 'wal.sync' value '" + value + "', expected one of " + optionValues());
    }
}

package io.weir.connector.socket;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The {@code 'mode'} option: who opens the connection. */
enum SocketMode {
    /** The reader connects to a server and reconnects when it goes away. */
    CONNECT("connect"),
    /** The reader binds the address and accepts pushing clients. */
    LISTEN("listen");

    private final String optionValue;

    SocketMode(String optionValue) {
        this.optionValue = optionValue;
    }

    String optionValue() {
        return optionValue;
    }

    static List<String> optionValues() {
        return Arrays.stream(values()).map(SocketMode::optionValue).toList();
    }

    /** The mode for a validated option value (ignoring case). */
    static SocketMode fromOptionValue(String value) {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        for (SocketMode mode : values()) {
            if (mode.optionValue.equals(wanted)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown socket mode '" + value + "', expected one of " + optionValues());
    }
}

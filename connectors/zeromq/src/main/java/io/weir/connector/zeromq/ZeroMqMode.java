package io.weir.connector.zeromq;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The {@code 'mode'} option: whether the SUB socket connects to publishers or binds for them to connect. */
enum ZeroMqMode {
    /** The SUB socket connects to a publisher that binds; ZeroMQ reconnects by itself when it goes away. */
    CONNECT("connect"),
    /** The SUB socket binds the endpoint and any number of publishers connect to it. */
    BIND("bind");

    private final String optionValue;

    ZeroMqMode(String optionValue) {
        this.optionValue = optionValue;
    }

    String optionValue() {
        return optionValue;
    }

    static List<String> optionValues() {
        return Arrays.stream(values()).map(ZeroMqMode::optionValue).toList();
    }

    /** The mode for a validated option value (ignoring case). */
    static ZeroMqMode fromOptionValue(String value) {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        for (ZeroMqMode mode : values()) {
            if (mode.optionValue.equals(wanted)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown ZeroMQ mode '" + value + "', expected one of " + optionValues());
    }
}

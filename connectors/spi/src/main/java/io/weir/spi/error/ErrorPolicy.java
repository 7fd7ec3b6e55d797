package io.weir.spi.error;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What happens to a record a source cannot decode; the {@code 'on-error'} option. */
public enum ErrorPolicy {
    /** Stop the query with an error naming the record. */
    FAIL("fail"),
    /** Drop the record and count it. */
    SKIP("skip"),
    /** Drop the record, count it and keep it in the dead-letter store for inspection. */
    DEAD_LETTER("dead-letter");

    private final String optionValue;

    ErrorPolicy(String optionValue) {
        this.optionValue = optionValue;
    }

    /** The value as written in {@code 'on-error' = '...'}. */
    public String optionValue() {
        return optionValue;
    }

    public static List<String> optionValues() {
        return Arrays.stream(values()).map(ErrorPolicy::optionValue).toList();
    }

    /** The policy for an option value (ignoring case). */
    public static ErrorPolicy fromOptionValue(String value) {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        for (ErrorPolicy policy : values()) {
            if (policy.optionValue.equals(wanted)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown error policy '" + value + "', expected one of " + optionValues());
    }
}

package io.weir.spi.connector;

import java.util.Locale;

/**
 * What a sink promises about rows a persistent query wrote when the query (or the server) fails and
 * replays from its last checkpoint; chosen per sink stream with {@code 'delivery.guarantee'}.
 */
public enum DeliveryGuarantee {
    /** Every result row becomes visible once: output is committed together with the checkpoint that covers it. */
    EXACTLY_ONCE,
    /** No result row is lost; rows written after the last checkpoint may be written again after a failure. */
    AT_LEAST_ONCE;

    /** The option value: {@code exactly-once} or {@code at-least-once}. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

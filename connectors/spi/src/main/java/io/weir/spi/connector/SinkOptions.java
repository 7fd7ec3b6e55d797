package io.weir.spi.connector;

import io.weir.spi.option.ConfigOption;
import io.weir.spi.option.OptionValues;

import java.util.Arrays;
import java.util.List;

/** Options of sink connectors that can deliver exactly once or at least once. */
public final class SinkOptions {
    private SinkOptions() {
    }

    /**
     * {@code 'delivery.guarantee'}, with the connector's default: {@code exactly-once} where the sink
     * can commit its output together with the query's checkpoints.
     */
    public static ConfigOption deliveryGuarantee(DeliveryGuarantee defaultGuarantee) {
        List<String> values = Arrays.stream(DeliveryGuarantee.values()).map(DeliveryGuarantee::optionValue).toList();
        return ConfigOption.oneOf("delivery.guarantee", values,
                "'exactly-once': rows become visible when the query's checkpoint that covers them completes (every"
                        + " 'checkpoint.interval'), and each row exactly once across failures; 'at-least-once': rows are"
                        + " visible at once, and those written after the last checkpoint may be written again after a failure")
                .withDefault(defaultGuarantee.optionValue());
    }

    /** The guarantee set with {@code option} (one made by {@link #deliveryGuarantee}). */
    public static DeliveryGuarantee deliveryGuarantee(OptionValues options, ConfigOption option) {
        String value = options.string(option);
        for (DeliveryGuarantee guarantee : DeliveryGuarantee.values()) {
            if (guarantee.optionValue().equals(value)) {
                return guarantee;
            }
        }
        throw new IllegalArgumentException("not a delivery guarantee: " + value);
    }
}

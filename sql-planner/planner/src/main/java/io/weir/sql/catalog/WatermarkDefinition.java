package io.weir.sql.catalog;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * {@code WATERMARK FOR column AS column - INTERVAL ...}: the event-time column and how far behind the
 * largest event time seen the watermark trails.
 *
 * @param expression the watermark expression as written (unparsed), for DESCRIBE and SHOW
 */
public record WatermarkDefinition(String column, String expression, Duration delay) {
    public WatermarkDefinition {
        requireNonNull(column, "column is null");
        requireNonNull(expression, "expression is null");
        requireNonNull(delay, "delay is null");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("watermark delay is negative: " + delay);
        }
    }
}

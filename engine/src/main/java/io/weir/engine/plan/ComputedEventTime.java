package io.weir.engine.plan;

import io.weir.engine.expression.BatchProjection;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;

import static java.util.Objects.requireNonNull;

/**
 * An event-time column a source computes from the columns it reads: a computed column with the
 * stream's WATERMARK ({@code ts AS "dateTime", WATERMARK FOR ts AS ts - INTERVAL '4' SECOND}). The
 * source appends it to each row it reads, so that its watermark and the windows downstream see the
 * same values.
 *
 * @param column the column's name and type (a TIMESTAMP)
 * @param projection computes that one column from a row of the source's columns
 * @param description the expression as SQL, for EXPLAIN
 */
public record ComputedEventTime(DataType.Field column, BatchProjection projection, String description) {
    public ComputedEventTime {
        requireNonNull(column, "column is null");
        requireNonNull(projection, "projection is null");
        requireNonNull(description, "description is null");
        if (column.type().kind() != TypeKind.TIMESTAMP) {
            throw new IllegalArgumentException("an event-time column is a TIMESTAMP: " + column);
        }
    }
}

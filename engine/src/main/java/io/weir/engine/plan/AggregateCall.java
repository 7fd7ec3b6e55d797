package io.weir.engine.plan;

import io.weir.spi.type.DataType;

import static java.util.Objects.requireNonNull;

/**
 * One aggregate of a window aggregation.
 *
 * @param argument input column aggregated, or -1 for {@code COUNT(*)}
 * @param distinct {@code COUNT(DISTINCT x)}, {@code SUM(DISTINCT x)}, ...
 * @param filterColumn input BOOLEAN column of the {@code FILTER (WHERE ...)} clause (rows where it is
 *        not TRUE are ignored by this aggregate), or -1
 * @param resultType the SQL type of the result, as Calcite derived it
 */
public record AggregateCall(AggregateKind kind, int argument, boolean distinct, int filterColumn, DataType resultType,
                            String name) {
    public AggregateCall {
        requireNonNull(kind, "kind is null");
        requireNonNull(resultType, "resultType is null");
        requireNonNull(name, "name is null");
        if (argument < 0 && kind != AggregateKind.COUNT) {
            throw new IllegalArgumentException(kind + " needs an argument");
        }
    }
}

package io.weir.engine.plan;

import io.weir.engine.aggregate.UserAggregate;
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
 * @param userAggregate the function of a {@link AggregateKind#USER} call; null for the others
 */
public record AggregateCall(AggregateKind kind, int argument, boolean distinct, int filterColumn, DataType resultType,
                            String name, UserAggregate userAggregate) {
    public AggregateCall {
        requireNonNull(kind, "kind is null");
        if ((kind == AggregateKind.USER) != (userAggregate != null)) {
            throw new IllegalArgumentException("a USER aggregate call, and only one, has its function");
        }
        requireNonNull(resultType, "resultType is null");
        requireNonNull(name, "name is null");
        if (argument < 0 && kind != AggregateKind.COUNT) {
            throw new IllegalArgumentException(kind + " needs an argument");
        }
    }

    /** A call of a built-in aggregate. */
    public AggregateCall(AggregateKind kind, int argument, boolean distinct, int filterColumn, DataType resultType,
                         String name) {
        this(kind, argument, distinct, filterColumn, resultType, name, null);
    }
}

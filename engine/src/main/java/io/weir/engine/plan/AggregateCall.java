package io.weir.engine.plan;

import io.weir.engine.aggregate.UserAggregate;
import io.weir.spi.type.DataType;

import java.util.List;

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
 * @param moreArguments the input columns of a user-defined aggregate's arguments after the first ({@code argument})
 */
public record AggregateCall(AggregateKind kind, int argument, boolean distinct, int filterColumn, DataType resultType,
                            String name, UserAggregate userAggregate, List<Integer> moreArguments) {
    public AggregateCall {
        moreArguments = List.copyOf(moreArguments);
        if (!moreArguments.isEmpty() && (kind != AggregateKind.USER || argument < 0 || distinct)) {
            throw new IllegalArgumentException("only a user-defined aggregate, not DISTINCT, takes several arguments");
        }
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

    /** A call of one argument (or none). */
    public AggregateCall(AggregateKind kind, int argument, boolean distinct, int filterColumn, DataType resultType,
                         String name, UserAggregate userAggregate) {
        this(kind, argument, distinct, filterColumn, resultType, name, userAggregate, List.of());
    }

    /** The input columns aggregated, in order: {@link #argument} then {@link #moreArguments}; none for COUNT(*). */
    public List<Integer> arguments() {
        if (argument < 0) {
            return List.of();
        }
        List<Integer> all = new java.util.ArrayList<>(1 + moreArguments.size());
        all.add(argument);
        all.addAll(moreArguments);
        return all;
    }

    /** {@code SUM(price)}, {@code COUNT(DISTINCT x)}, {@code USER(a, b)} with {@code columns}' names. */
    public String describe(List<DataType.Field> columns) {
        String arguments = argument < 0 ? "*"
                : String.join(", ", arguments().stream().map(column -> columns.get(column).name()).toList());
        return kind + "(" + (distinct ? "DISTINCT " : "") + arguments + ")"
                + (filterColumn < 0 ? "" : " FILTER " + columns.get(filterColumn).name());
    }

    /** A call of a built-in aggregate. */
    public AggregateCall(AggregateKind kind, int argument, boolean distinct, int filterColumn, DataType resultType,
                         String name) {
        this(kind, argument, distinct, filterColumn, resultType, name, null);
    }
}

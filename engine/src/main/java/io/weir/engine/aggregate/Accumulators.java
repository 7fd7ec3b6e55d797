package io.weir.engine.aggregate;

import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.AggregateKind;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;

import java.util.List;

/** Creates the {@link Accumulator} for an {@link AggregateCall} over rows of a given type. */
public final class Accumulators {
    private Accumulators() {
    }

    public static Accumulator create(AggregateCall call, List<DataType.Field> inputType) {
        int argument = call.argument();
        int filter = call.filterColumn();
        if (filter >= 0 && inputType.get(filter).type().kind() != TypeKind.BOOLEAN) {
            throw new IllegalArgumentException("FILTER column " + filter + " is not BOOLEAN");
        }
        if (argument < 0) {
            return new CountAccumulator(-1, TypeKind.Representation.LONG, filter);
        }
        DataType argumentType = inputType.get(argument).type();
        TypeKind.Representation representation = argumentType.kind().representation();
        ResultWriter result = new ResultWriter(call.resultType());
        boolean distinct = call.distinct();
        Accumulator accumulator = switch (call.kind()) {
            case COUNT -> new CountAccumulator(argument, representation, filter);
            case SUM -> new SumAccumulator.Sum(argument, numeric(call, argumentType), filter, result);
            case AVG -> new SumAccumulator.Avg(argument, numeric(call, argumentType), filter, result);
            case VAR_POP, VAR_SAMP, STDDEV_POP, STDDEV_SAMP ->
                    new VarianceAccumulator(call.kind(), argument, numeric(call, argumentType), filter, result);
            case MIN, MAX -> {
                if (!MinMaxAccumulator.supports(argumentType.kind())) {
                    throw new WeirException(ErrorCode.NOT_SUPPORTED, call.kind() + " of " + argumentType
                            + " is not supported; aggregate a scalar column");
                }
                distinct = false; // DISTINCT does not change MIN or MAX
                yield new MinMaxAccumulator(call.kind() == AggregateKind.MAX, argument, argumentType, filter);
            }
            case USER -> new UserAccumulator(argument, representation, filter, call.userAggregate(), result,
                    call.moreArguments().stream().mapToInt(Integer::intValue).toArray());
            case APPROX_COUNT_DISTINCT -> {
                distinct = false; // already distinct
                yield new ApproxCountDistinctAccumulator(argument, representation, filter);
            }
        };
        return distinct ? new DistinctAccumulator(accumulator, argument, argumentType, filter) : accumulator;
    }

    private static TypeKind.Representation numeric(AggregateCall call, DataType argumentType) {
        if (!argumentType.kind().isNumeric()) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, call.kind() + " needs a numeric argument, not " + argumentType
                    + "; CAST it to a number first");
        }
        return argumentType.kind().representation();
    }
}

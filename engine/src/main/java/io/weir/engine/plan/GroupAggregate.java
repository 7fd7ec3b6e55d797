package io.weir.engine.plan;

import io.weir.spi.type.DataType;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * GROUP BY without a window, over a stream: an updating aggregation, as materialized views allow. At
 * the end of every micro-batch it emits the current values of the groups that changed in it; a
 * group's later rows supersede its earlier ones. Its state (one accumulator set per key) is never freed.
 *
 * <p>Output columns: the group keys (in {@code groupKeys} order), then one column per aggregate.
 */
public record GroupAggregate(PlanNode input, List<Integer> groupKeys, List<AggregateCall> aggregates,
                             List<DataType.Field> outputType) implements PlanNode {
    public GroupAggregate {
        requireNonNull(input, "input is null");
        groupKeys = List.copyOf(groupKeys);
        aggregates = List.copyOf(aggregates);
        outputType = List.copyOf(outputType);
        if (outputType.size() != groupKeys.size() + aggregates.size()) {
            throw new IllegalArgumentException("output type must be keys, then aggregates");
        }
    }

    public static List<DataType.Field> outputType(List<DataType.Field> input, List<Integer> groupKeys,
                                                  List<AggregateCall> aggregates) {
        List<DataType.Field> fields = new ArrayList<>();
        for (int key : groupKeys) {
            fields.add(input.get(key));
        }
        for (AggregateCall call : aggregates) {
            fields.add(new DataType.Field(call.name(), call.resultType()));
        }
        return fields;
    }

    @Override
    public List<PlanNode> inputs() {
        return List.of(input);
    }

    @Override
    public String explain() {
        List<String> keys = groupKeys.stream().map(k -> input.outputType().get(k).name()).toList();
        List<String> calls = aggregates.stream()
                .map(a -> a.kind() + "(" + (a.distinct() ? "DISTINCT " : "")
                        + (a.argument() < 0 ? "*" : String.join(", ",
                        a.arguments().stream().map(column -> input.outputType().get(column).name()).toList())) + ")")
                .toList();
        return "GroupAggregate(keys=" + keys + ", aggregates=" + calls
                + ", emit=changed groups every batch, state=per key: accumulators, kept for the query's life)";
    }
}

package io.weir.engine.plan;

import io.weir.spi.type.DataType;

import java.util.List;

/** {@code UNION ALL} of streams with the same row type; the watermark is the minimum of the inputs'. */
public record UnionAll(List<PlanNode> inputs, List<DataType.Field> outputType) implements PlanNode {
    public UnionAll {
        inputs = List.copyOf(inputs);
        outputType = List.copyOf(outputType);
        if (inputs.size() < 2) {
            throw new IllegalArgumentException("UNION ALL needs at least two inputs");
        }
    }

    @Override
    public String explain() {
        return "UnionAll(inputs=" + inputs.size() + ", state=none)";
    }
}

package io.weir.engine.plan;

import io.weir.spi.type.DataType;

import java.util.List;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The root of a persistent query: writes its input's rows to a sink stream. The input's columns are
 * the sink's physical columns in order (the planner casts to them). Produces no rows.
 */
public record SinkWrite(PlanNode input, SinkSpec spec) implements PlanNode {
    public SinkWrite {
        requireNonNull(input, "input is null");
        requireNonNull(spec, "spec is null");
        if (input.outputType().size() != spec.schema().size()) {
            throw new IllegalArgumentException("the input has " + input.outputType().size() + " columns for a sink of "
                    + spec.schema().size());
        }
    }

    @Override
    public List<DataType.Field> outputType() {
        return List.of();
    }

    @Override
    public List<PlanNode> inputs() {
        return List.of(input);
    }

    @Override
    public String explain() {
        return "SinkWrite(stream=" + spec.objectName() + ", connector=" + spec.options().get("connector")
                + ", columns=[" + spec.schema().stream().map(DataType.Field::name).collect(Collectors.joining(", "))
                + "], flush=end of every micro-batch, then sources commit, state=none)";
    }
}

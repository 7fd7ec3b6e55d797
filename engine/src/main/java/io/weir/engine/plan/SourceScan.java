package io.weir.engine.plan;

import io.weir.spi.type.DataType;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Reads a stream; its output is exactly {@code spec.rowType()} (physical, then metadata columns). The
 * columns the spec's projection does not read may be NULL.
 */
public record SourceScan(SourceSpec spec) implements PlanNode {
    public SourceScan {
        requireNonNull(spec, "spec is null");
    }

    @Override
    public List<DataType.Field> outputType() {
        return spec.rowType();
    }

    @Override
    public List<PlanNode> inputs() {
        return List.of();
    }

    @Override
    public String explain() {
        return "SourceScan(stream=" + spec.objectName() + ", connector=" + spec.options().get("connector")
                + (spec.hasEventTime()
                ? ", event time=" + spec.rowType().get(spec.eventTimeColumn()).name() + ", watermark delay=" + spec.watermarkDelay()
                : ", no event time")
                + spec.projectedNames().map(names -> ", columns read=" + names).orElse("")
                + ", state=per-split max event time)";
    }
}

package io.weir.engine.plan;

import io.weir.spi.type.DataType;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Reads a stream; its output is exactly {@code spec.outputType()} (physical, then metadata columns, then
 * a computed event-time column). The columns the spec's projection does not read may be NULL.
 */
public record SourceScan(SourceSpec spec) implements PlanNode {
    public SourceScan {
        requireNonNull(spec, "spec is null");
    }

    @Override
    public List<DataType.Field> outputType() {
        return spec.outputType();
    }

    @Override
    public List<PlanNode> inputs() {
        return List.of();
    }

    @Override
    public String explain() {
        return "SourceScan(stream=" + spec.objectName() + ", connector=" + spec.options().get("connector")
                + (spec.hasEventTime()
                ? ", event time=" + spec.outputType().get(spec.eventTimeColumn()).name()
                + spec.computedEventTime().map(computed -> " AS " + computed.description()).orElse("")
                + ", watermark delay=" + spec.watermarkDelay()
                : ", no event time")
                + spec.projectedNames().map(names -> ", columns read=" + names).orElse("")
                + ", state=per-split max event time)";
    }
}

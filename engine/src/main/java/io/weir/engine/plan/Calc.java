package io.weir.engine.plan;

import io.weir.engine.expression.BatchFilter;
import io.weir.engine.expression.BatchProjection;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Filters rows and computes new columns with compiled expressions; stateless.
 *
 * @param filter applied first; empty to keep every row
 * @param projection computes {@code outputType} from each kept input row
 * @param description the expressions as SQL, for EXPLAIN
 * @param eventTimeColumn the output column carrying the input's event time (for watermark-aware
 *        operators downstream), or -1 when the projection drops it
 * @param inputColumns the input columns the filter and the projection read (the compiled code reads no
 *        others); {@link Projection#all()} when not known
 */
public record Calc(PlanNode input, Optional<BatchFilter> filter, BatchProjection projection,
                   List<DataType.Field> outputType, int eventTimeColumn, String description,
                   Projection inputColumns) implements PlanNode {
    /** A Calc that may read any input column. */
    public Calc(PlanNode input, Optional<BatchFilter> filter, BatchProjection projection,
                List<DataType.Field> outputType, int eventTimeColumn, String description) {
        this(input, filter, projection, outputType, eventTimeColumn, description, Projection.all());
    }

    public Calc {
        requireNonNull(input, "input is null");
        requireNonNull(inputColumns, "inputColumns is null");
        requireNonNull(filter, "filter is null");
        requireNonNull(projection, "projection is null");
        outputType = List.copyOf(outputType);
        requireNonNull(description, "description is null");
    }

    @Override
    public List<PlanNode> inputs() {
        return List.of(input);
    }

    @Override
    public String explain() {
        return "Calc(" + description + ", state=none)";
    }
}

package io.weir.engine.plan;

import io.weir.spi.type.DataType;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Aggregations {@code OVER (PARTITION BY keys ORDER BY time [ROWS | RANGE] BETWEEN ... PRECEDING AND CURRENT ROW)}
 * on event time, as Flink's over aggregation runs them: a partition's rows wait until the watermark passes their
 * time, then, in time order, each is sent once with the aggregates of its frame. Rows at or behind the watermark
 * when they come are late: dropped and counted.
 *
 * <p>Output columns: the input's, then one per aggregate.
 *
 * @param partitionKeys the input columns of PARTITION BY (none: one partition)
 * @param timeColumn the input's event-time column (ORDER BY, ascending)
 * @param rows a ROWS frame (the {@code preceding} rows before the current one); else RANGE (the rows whose time is
 *        at most {@code preceding} milliseconds before the current row's, and its peers of equal time)
 * @param preceding the frame's bound: rows or milliseconds; {@link #UNBOUNDED} for UNBOUNDED PRECEDING
 */
public record OverAggregate(PlanNode input, List<Integer> partitionKeys, int timeColumn, boolean rows, long preceding,
                            List<AggregateCall> aggregates, List<DataType.Field> outputType) implements PlanNode {
    /** {@code UNBOUNDED PRECEDING}. */
    public static final long UNBOUNDED = -1;

    public OverAggregate {
        requireNonNull(input, "input is null");
        partitionKeys = List.copyOf(partitionKeys);
        aggregates = List.copyOf(aggregates);
        outputType = List.copyOf(outputType);
        if (timeColumn < 0 || timeColumn >= input.outputType().size()) {
            throw new IllegalArgumentException("time column out of range: " + timeColumn);
        }
        if (preceding < 0 && preceding != UNBOUNDED) {
            throw new IllegalArgumentException("preceding must be UNBOUNDED or at least 0: " + preceding);
        }
        if (aggregates.isEmpty()) {
            throw new IllegalArgumentException("an over aggregation needs an aggregate");
        }
        if (outputType.size() != input.outputType().size() + aggregates.size()) {
            throw new IllegalArgumentException("output type must be the input's columns, then the aggregates");
        }
    }

    public boolean unbounded() {
        return preceding == UNBOUNDED;
    }

    /** The input's columns, then the aggregates. */
    public static List<DataType.Field> outputType(List<DataType.Field> input, List<AggregateCall> aggregates) {
        List<DataType.Field> fields = new ArrayList<>(input);
        for (AggregateCall call : aggregates) {
            fields.add(new DataType.Field(call.name(), call.resultType()));
        }
        return fields;
    }

    @Override
    public List<PlanNode> inputs() {
        return List.of(input);
    }

    /** The frame as SQL writes it, e.g. {@code RANGE BETWEEN INTERVAL '60000' MILLISECOND PRECEDING AND CURRENT ROW}. */
    public String frame() {
        String bound = unbounded() ? "UNBOUNDED" : rows ? Long.toString(preceding) : "INTERVAL '" + preceding + "' MILLISECOND";
        return (rows ? "ROWS" : "RANGE") + " BETWEEN " + bound + " PRECEDING AND CURRENT ROW";
    }

    @Override
    public String explain() {
        List<DataType.Field> in = input.outputType();
        List<String> keys = partitionKeys.stream().map(k -> in.get(k).name()).toList();
        List<String> calls = aggregates.stream()
                .map(a -> a.describe(in))
                .toList();
        String frameState = unbounded() ? "accumulators" : rows ? "the last " + (preceding + 1) + " rows sent"
                : "the rows sent of the last " + preceding + " ms of event time";
        return "OverAggregate(partition=" + keys + ", order=[" + in.get(timeColumn).name() + "], frame=" + frame()
                + ", aggregates=" + calls + ", emit=each row once the watermark passes it, state=per partition: rows"
                + " not yet passed by the watermark, " + frameState + ")";
    }
}

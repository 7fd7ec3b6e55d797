package io.weir.engine.plan;

import io.weir.engine.expression.BatchFilter;
import io.weir.spi.type.DataType;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Enriches each row of a stream with the matching rows of a bounded reference table: the table is
 * read whole when the query starts into a hash table on its key columns (and read again every
 * {@code refreshInterval}, swapped in atomically). Output: the stream's columns, then the table's.
 * The stream's watermark passes through unchanged.
 *
 * @param table how the table's rows are read: a {@link SourceScan} of the table, or a {@link Calc}
 *        over one (computed columns, casts of keys, a filter), applied as the table is loaded; not an
 *        input of the DAG, since the operator reads it itself
 * @param tableKeys columns of {@code table}'s output
 * @param kind INNER, LEFT (stream rows without a match get NULLs), SEMI (stream rows with a match, once, with their
 *        own columns: {@code IN} and {@code EXISTS}) or ANTI (stream rows without one: {@code NOT EXISTS})
 * @param condition the rest of the ON condition, over the stream's columns then the table's; a pair counts as a
 *        match only if it holds
 * @param conditionText the condition as SQL, for EXPLAIN; empty when there is none
 */
public record LookupJoin(PlanNode input, PlanNode table, List<Integer> streamKeys, List<Integer> tableKeys, JoinKind kind,
                         Optional<BatchFilter> condition, String conditionText, Optional<Duration> refreshInterval,
                         List<DataType.Field> outputType) implements PlanNode {
    public LookupJoin {
        requireNonNull(input, "input is null");
        requireNonNull(table, "table is null");
        if (!(table instanceof SourceScan) && !(table instanceof Calc calc && calc.input() instanceof SourceScan)) {
            throw new IllegalArgumentException("a lookup table is a scan, or a Calc over one: " + table);
        }
        streamKeys = List.copyOf(streamKeys);
        tableKeys = List.copyOf(tableKeys);
        requireNonNull(kind, "kind is null");
        requireNonNull(condition, "condition is null");
        requireNonNull(conditionText, "conditionText is null");
        requireNonNull(refreshInterval, "refreshInterval is null");
        outputType = List.copyOf(outputType);
        if (streamKeys.isEmpty() || streamKeys.size() != tableKeys.size()) {
            throw new IllegalArgumentException("a lookup join needs as many stream keys as table keys, at least one");
        }
        if (kind == JoinKind.RIGHT || kind == JoinKind.FULL) {
            throw new IllegalArgumentException("a lookup join is INNER, LEFT, SEMI or ANTI: " + kind);
        }
        if (kind.keepsLeftColumnsOnly() ? outputType.size() != input.outputType().size()
                : outputType.size() != input.outputType().size() + table.outputType().size()) {
            throw new IllegalArgumentException("output type must be the stream's columns, then (unless SEMI or ANTI) the table's");
        }
    }

    /** The table's source. */
    public SourceSpec tableSpec() {
        return (table instanceof SourceScan scan ? scan : (SourceScan) table.inputs().get(0)).spec();
    }

    @Override
    public List<PlanNode> inputs() {
        return List.of(input);
    }

    @Override
    public String explain() {
        List<String> streamNames = streamKeys.stream().map(k -> input.outputType().get(k).name()).toList();
        List<String> tableNames = tableKeys.stream().map(k -> table.outputType().get(k).name()).toList();
        SourceSpec spec = tableSpec();
        return "LookupJoin(type=" + kind + ", table=" + spec.objectName() + ", connector=" + spec.options().get("connector")
                + (table instanceof Calc calc ? ", on load: " + calc.description() : "")
                + ", keys=" + streamNames + "=" + tableNames
                + (conditionText.isEmpty() ? "" : ", condition=[" + conditionText + "]")
                + ", refresh=" + refreshInterval.map(Duration::toString).orElse("never")
                + ", state=hash table of the whole table on its keys)";
    }
}

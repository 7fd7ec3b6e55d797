package io.weir.engine.plan;

import io.weir.spi.type.DataType;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Turns the rows of an updating aggregation (GROUP BY without a window: each row the current values of
 * its group) into a change stream, as a materialized view's {@code SELECT STREAM} gives one: a group's
 * first row as {@code INSERT}, a changed row as {@code UPDATE_BEFORE} (the row sent before) and
 * {@code UPDATE_AFTER}, and a group that stops satisfying the HAVING as {@code DELETE}. Keeps the last
 * row sent per group.
 *
 * <p>Output columns: {@code op} (the change), then the input's columns without the keep flag.
 *
 * @param keyColumns the input columns identifying a group (its GROUP BY keys); none for an aggregate
 *        without GROUP BY, one group
 * @param keepColumn whether the input's last column is the HAVING's verdict: whether the group's row
 *        belongs in the result
 * @param windows for the rows of a window aggregation that emits its open windows early ({@code EMIT
 *        EVERY}): when a window's last row sent is forgotten; null for groups without a window
 */
public record Changelog(PlanNode input, List<Integer> keyColumns, boolean keepColumn, List<DataType.Field> outputType,
                        WindowRows windows) implements PlanNode {
    /**
     * Rows keyed by a window: a group's last row sent is forgotten once the time (the watermark, or the
     * processing time for processing-time windows) reaches its latest timestamp key (a window bound) plus
     * {@code retainMillis}, by when its window has fired and sent its final row.
     */
    public record WindowRows(List<Integer> timeColumns, long retainMillis, boolean eventTime) {
        public WindowRows {
            timeColumns = List.copyOf(timeColumns);
            if (timeColumns.isEmpty() || retainMillis <= 0) {
                throw new IllegalArgumentException("window rows need a time column and a positive retention");
            }
        }
    }

    /** The changes of groups without a window. */
    public Changelog(PlanNode input, List<Integer> keyColumns, boolean keepColumn, List<DataType.Field> outputType) {
        this(input, keyColumns, keepColumn, outputType, null);
    }

    /** The name of the change column, as in a materialized view's change stream. */
    public static final String OP_COLUMN = io.weir.engine.view.MaterializedViewConnectorFactory.OP_COLUMN;

    public Changelog {
        requireNonNull(input, "input is null");
        keyColumns = List.copyOf(keyColumns);
        outputType = List.copyOf(outputType);
        if (outputType.size() != input.outputType().size() + (keepColumn ? 0 : 1)) {
            throw new IllegalArgumentException("output type must be op, then the input's columns without the keep flag");
        }
    }

    /** The output columns: {@code op}, then {@code input}'s columns except a trailing keep flag. */
    public static List<DataType.Field> outputType(List<DataType.Field> input, boolean keepColumn) {
        List<DataType.Field> fields = new ArrayList<>();
        fields.add(new DataType.Field(OP_COLUMN, DataType.varchar().withNullable(false)));
        fields.addAll(keepColumn ? input.subList(0, input.size() - 1) : input);
        return fields;
    }

    /** The columns of a row sent (without the keep flag). */
    public int rowColumns() {
        return outputType.size() - 1;
    }

    @Override
    public List<PlanNode> inputs() {
        return List.of(input);
    }

    @Override
    public String explain() {
        List<String> keys = keyColumns.stream().map(k -> input.outputType().get(k).name()).toList();
        return "Changelog(keys=" + keys + (keepColumn ? ", having=last column" : "")
                + (windows == null ? "" : ", forget a window's row " + windows.retainMillis() + " ms after its "
                + (windows.eventTime() ? "watermark" : "processing time") + " passed it")
                + ", emit=INSERT, UPDATE_BEFORE/UPDATE_AFTER, DELETE per changed group, state=per key: the last row sent)";
    }
}

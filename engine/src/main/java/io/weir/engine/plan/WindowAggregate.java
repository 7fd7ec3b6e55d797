package io.weir.engine.plan;

import io.weir.spi.type.DataType;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Windowed GROUP BY: assigns rows to windows, aggregates per (window, key) and emits each window's
 * rows once, when it fires; then frees its state. Rows for windows that already fired are late:
 * dropped and counted.
 *
 * <p>Output columns: the group keys (in {@code groupKeys} order), then {@code window_start} and
 * {@code window_end} (TIMESTAMP(3) NOT NULL), then one column per aggregate.
 *
 * @param groupKeys input columns of the GROUP BY besides the window
 * @param emitOpenWindows also emit, at the end of every micro-batch, the current values of the groups
 *        of open windows that changed in it (for materialized views, which show windows filling up);
 *        a group's later rows supersede its earlier ones. Not for session windows, whose bounds move
 * @param emitIntervalMillis with {@code emitOpenWindows}: emit the open windows' changed groups not every
 *        micro-batch but at the end of the first micro-batch after each interval of this many milliseconds of
 *        processing time (counted from the query's first micro-batch: {@code EMIT EVERY}), the groups changed
 *        since the last time; 0 for every micro-batch
 * @param allowedLatenessMillis how long (in event time) a fired window's groups are kept: a row that comes for
 *        it until the watermark passes its end plus this updates it, and its group's corrected row is emitted
 *        again at the end of the micro-batch (a later row of the same group supersedes the earlier, as with
 *        {@code emitOpenWindows}); 0: a fired window's state is freed at once and its rows are late. Not for
 *        session windows, whose bounds move, nor processing-time windows, whose rows are never late
 */
public record WindowAggregate(PlanNode input, WindowSpec window, List<Integer> groupKeys, List<AggregateCall> aggregates,
                              List<DataType.Field> outputType, boolean emitOpenWindows, long emitIntervalMillis,
                              long allowedLatenessMillis)
        implements PlanNode {
    /** A windowed aggregation whose fired windows are freed at once (no allowed lateness). */
    public WindowAggregate(PlanNode input, WindowSpec window, List<Integer> groupKeys, List<AggregateCall> aggregates,
                           List<DataType.Field> outputType, boolean emitOpenWindows, long emitIntervalMillis) {
        this(input, window, groupKeys, aggregates, outputType, emitOpenWindows, emitIntervalMillis, 0);
    }

    /** This aggregation with fired windows kept for {@code millis} of event time (see {@link #allowedLatenessMillis}). */
    public WindowAggregate withAllowedLateness(long millis) {
        return new WindowAggregate(input, window, groupKeys, aggregates, outputType, emitOpenWindows, emitIntervalMillis, millis);
    }

    /** A windowed aggregation that emits each window once, when it fires. */
    public WindowAggregate(PlanNode input, WindowSpec window, List<Integer> groupKeys, List<AggregateCall> aggregates,
                           List<DataType.Field> outputType) {
        this(input, window, groupKeys, aggregates, outputType, false, 0);
    }

    /** A windowed aggregation that, with {@code emitOpenWindows}, emits its open windows' changed groups every micro-batch. */
    public WindowAggregate(PlanNode input, WindowSpec window, List<Integer> groupKeys, List<AggregateCall> aggregates,
                           List<DataType.Field> outputType, boolean emitOpenWindows) {
        this(input, window, groupKeys, aggregates, outputType, emitOpenWindows, 0);
    }

    public WindowAggregate {
        requireNonNull(input, "input is null");
        requireNonNull(window, "window is null");
        groupKeys = List.copyOf(groupKeys);
        aggregates = List.copyOf(aggregates);
        outputType = List.copyOf(outputType);
        if (emitOpenWindows && window.kind() == WindowKind.SESSION) {
            throw new IllegalArgumentException("session windows cannot emit open windows");
        }
        if (emitIntervalMillis < 0 || emitIntervalMillis > 0 && !emitOpenWindows) {
            throw new IllegalArgumentException("an emit interval is for a window aggregation that emits open windows: "
                    + emitIntervalMillis);
        }
        if (allowedLatenessMillis < 0 || allowedLatenessMillis > 0 && (window.kind() == WindowKind.SESSION
                || window.kind() == WindowKind.WINDOWED || !window.eventTime())) {
            throw new IllegalArgumentException("allowed lateness is for event-time TUMBLE, HOP and CUMULATE windows: "
                    + allowedLatenessMillis + " ms for " + window);
        }
        if (outputType.size() != groupKeys.size() + 2 + aggregates.size()) {
            throw new IllegalArgumentException("output type must be keys, window_start, window_end, aggregates");
        }
    }

    /** The output type for the given input, keys and aggregates. */
    public static List<DataType.Field> outputType(List<DataType.Field> input, List<Integer> groupKeys,
                                                  List<AggregateCall> aggregates) {
        List<DataType.Field> fields = new ArrayList<>();
        for (int key : groupKeys) {
            fields.add(input.get(key));
        }
        fields.add(new DataType.Field("window_start", DataType.timestamp(3).withNullable(false)));
        fields.add(new DataType.Field("window_end", DataType.timestamp(3).withNullable(false)));
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
                .map(a -> a.describe(input.outputType()))
                .toList();
        return "WindowAggregate(window=" + window.explain() + ", keys=" + keys + ", aggregates=" + calls
                + (!emitOpenWindows ? "" : emitIntervalMillis > 0
                ? ", emit=open windows' changed groups every " + emitIntervalMillis + " ms of processing time, then final"
                : ", emit=open windows' changed groups every batch, then final")
                + (allowedLatenessMillis == 0 ? "" : ", allowed lateness=" + allowedLatenessMillis
                + " ms: fired windows kept, corrected groups emitted again")
                + ", state=per open window and key: accumulators" + (window.kind() == WindowKind.SESSION ? ", session bounds" : "") + ")";
    }
}

package io.weir.engine.exec;

import static java.util.Objects.requireNonNull;

/**
 * One operator of a running query's micro-batch DAG, as of its last micro-batch, summed over its
 * tasks: for EXPLAIN ANALYZE and {@code sys.operators}.
 *
 * @param id its position in the plan, depth first from the root (0)
 * @param depth how far below the root it is (its children are one deeper)
 * @param operator what it does, as EXPLAIN prints it
 * @param rowsIn rows it was given, over all its inputs, since the query started
 * @param rowsOut rows it produced
 * @param nanos time spent in it (its own work, not that of the operators it feeds)
 * @param stateRows keys, windows and buffered rows it holds now
 * @param stateBytes an estimate of the memory they take
 * @param openWindows for a window aggregation, the windows (sessions) open now, that is not fired yet; -1 for other operators
 * @param oldestWindowEnd the end of the oldest of them (for sessions, a lower bound), {@link Long#MIN_VALUE} when none
 */
public record OperatorStatistics(int id, int depth, String operator, long rowsIn, long rowsOut, long nanos, long stateRows,
                                 long stateBytes, long openWindows, long oldestWindowEnd) {
    public OperatorStatistics {
        requireNonNull(operator, "operator is null");
    }

    public OperatorStatistics(int id, int depth, String operator, long rowsIn, long rowsOut, long nanos, long stateRows, long stateBytes) {
        this(id, depth, operator, rowsIn, rowsOut, nanos, stateRows, stateBytes, -1, Long.MIN_VALUE);
    }

    /** Whether it is a window aggregation (which has open windows). */
    public boolean windowed() {
        return openWindows >= 0;
    }

    /** The figures of {@code operator}, with the state it holds now read from it (none for a stateless one). */
    public static OperatorStatistics of(int id, int depth, String description, io.weir.engine.operator.Operator operator,
                                        long rowsIn, long rowsOut, long nanos) {
        long openWindows = -1;
        long oldestWindowEnd = Long.MIN_VALUE;
        if (operator instanceof io.weir.engine.window.WindowAggregationBase window) {
            openWindows = window.openWindowCount();
            oldestWindowEnd = openWindows == 0 ? Long.MIN_VALUE : window.oldestOpenWindowEnd();
        }
        if (operator instanceof io.weir.engine.state.SnapshottableState state) {
            return new OperatorStatistics(id, depth, description, rowsIn, rowsOut, nanos, state.stateRows(), state.stateBytesEstimate(),
                    openWindows, oldestWindowEnd);
        }
        return new OperatorStatistics(id, depth, description, rowsIn, rowsOut, nanos, 0, 0, openWindows, oldestWindowEnd);
    }

    /**
     * This operator's figures plus another task's of the same operator. Tasks divide the keys, not the
     * windows: the open windows are those of the task with the most, the oldest the oldest of any.
     */
    public OperatorStatistics plus(OperatorStatistics other) {
        long oldest = oldestWindowEnd == Long.MIN_VALUE ? other.oldestWindowEnd
                : other.oldestWindowEnd == Long.MIN_VALUE ? oldestWindowEnd : Math.min(oldestWindowEnd, other.oldestWindowEnd);
        return new OperatorStatistics(id, depth, operator, rowsIn + other.rowsIn, rowsOut + other.rowsOut, nanos + other.nanos,
                stateRows + other.stateRows, stateBytes + other.stateBytes, Math.max(openWindows, other.openWindows), oldest);
    }
}

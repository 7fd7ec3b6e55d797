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
 */
public record OperatorStatistics(int id, int depth, String operator, long rowsIn, long rowsOut, long nanos, long stateRows,
                                 long stateBytes) {
    public OperatorStatistics {
        requireNonNull(operator, "operator is null");
    }

    /** The figures of {@code operator}, with the state it holds now read from it (none for a stateless one). */
    public static OperatorStatistics of(int id, int depth, String description, io.weir.engine.operator.Operator operator,
                                        long rowsIn, long rowsOut, long nanos) {
        if (operator instanceof io.weir.engine.state.SnapshottableState state) {
            return new OperatorStatistics(id, depth, description, rowsIn, rowsOut, nanos, state.stateRows(), state.stateBytesEstimate());
        }
        return new OperatorStatistics(id, depth, description, rowsIn, rowsOut, nanos, 0, 0);
    }

    /** This operator's figures plus another task's of the same operator. */
    public OperatorStatistics plus(OperatorStatistics other) {
        return new OperatorStatistics(id, depth, operator, rowsIn + other.rowsIn, rowsOut + other.rowsOut, nanos + other.nanos,
                stateRows + other.stateRows, stateBytes + other.stateBytes);
    }
}

package io.weir.engine.view;

import static java.util.Objects.requireNonNull;

/** One change of a materialized view's rows, as {@code SELECT STREAM * FROM view} delivers it. */
public record ViewChange(Operation operation, Object[] row) {
    /** What happened to the row; the names are the values of the change stream's {@code op} column. */
    public enum Operation { INSERT, UPDATE_BEFORE, UPDATE_AFTER, DELETE }

    public ViewChange {
        requireNonNull(operation, "operation is null");
        requireNonNull(row, "row is null");
    }
}

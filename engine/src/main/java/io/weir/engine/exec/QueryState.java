package io.weir.engine.exec;

/** Where a continuous query is in its life. */
public enum QueryState {
    RUNNING,
    /** A persistent query that failed and is started again after a back-off; not a final state. */
    RETRYING,
    FINISHED, FAILED, CANCELLED;

    /** Whether the query has ended for good. */
    public boolean isDone() {
        return this == FINISHED || this == FAILED || this == CANCELLED;
    }
}

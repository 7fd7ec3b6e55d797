package io.weir.engine.exec;

/** Where a continuous query is in its life. */
public enum QueryState {
    RUNNING, FINISHED, FAILED, CANCELLED;

    public boolean isDone() {
        return this != RUNNING;
    }
}

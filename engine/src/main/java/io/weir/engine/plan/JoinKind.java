package io.weir.engine.plan;

/**
 * Which rows of a join are kept without a partner, padded with NULLs; or, for SEMI and ANTI (what
 * {@code IN} / {@code EXISTS} and {@code NOT EXISTS} subqueries become), which left rows are kept, once
 * each, with their own columns only: those with a partner (SEMI) or those without one (ANTI).
 */
public enum JoinKind {
    INNER, LEFT, RIGHT, FULL, SEMI, ANTI;

    /** Whether the output has the left side's columns only. */
    public boolean keepsLeftColumnsOnly() {
        return this == SEMI || this == ANTI;
    }

    public boolean keepsUnmatchedLeft() {
        return this == LEFT || this == FULL;
    }

    public boolean keepsUnmatchedRight() {
        return this == RIGHT || this == FULL;
    }
}

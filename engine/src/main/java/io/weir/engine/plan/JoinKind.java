package io.weir.engine.plan;

/** Which rows of a join are kept without a partner, padded with NULLs. */
public enum JoinKind {
    INNER, LEFT, RIGHT, FULL;

    public boolean keepsUnmatchedLeft() {
        return this == LEFT || this == FULL;
    }

    public boolean keepsUnmatchedRight() {
        return this == RIGHT || this == FULL;
    }
}

package io.weir.engine.plan;

/** The windows of windowed aggregation. */
public enum WindowKind {
    /** Fixed-size, non-overlapping: {@code [k*size, (k+1)*size)}. */
    TUMBLE,
    /** Fixed-size, overlapping every {@code slide}: each row belongs to {@code size/slide} windows. */
    HOP,
    /** Windows growing by {@code step} up to {@code size}, all starting at {@code k*size} (Flink's CUMULATE). */
    CUMULATE,
    /** Per key: each row opens {@code [ts, ts+gap)}; windows that overlap or touch merge (Flink's sessions). */
    SESSION,
    /**
     * The windows of an upstream window aggregation, whose rows carry their window's start and end: a
     * second aggregation of a windowed result by its window (Nexmark q5's maximum per window).
     */
    WINDOWED
}

package io.weir.engine.plan;

/** The aggregate functions of windowed aggregation. */
public enum AggregateKind {
    COUNT, SUM, MIN, MAX, AVG, STDDEV_POP, STDDEV_SAMP, VAR_POP, VAR_SAMP, APPROX_COUNT_DISTINCT,
    /** A user-defined aggregate function ({@link AggregateCall#userAggregate()}). */
    USER
}

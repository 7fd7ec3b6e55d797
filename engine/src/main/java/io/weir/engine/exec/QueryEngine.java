package io.weir.engine.exec;

import io.weir.engine.plan.PlanNode;

/** Starts continuous queries. One per server; thread-safe. */
public interface QueryEngine extends AutoCloseable {
    /**
     * Starts running {@code root} in micro-batches; returns at once.
     *
     * @throws io.weir.spi.WeirException if a source cannot be opened
     */
    ContinuousQuery start(String queryId, PlanNode root, QueryOptions options);

    /** Stops every running query. */
    @Override
    void close();
}

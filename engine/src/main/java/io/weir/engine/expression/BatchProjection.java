package io.weir.engine.expression;

import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;

/**
 * Expressions compiled once per query (by the planner, from SQL) that compute the output columns of
 * one row from an input row. Implementations are generated classes.
 */
@FunctionalInterface
public interface BatchProjection {
    /**
     * For each position in {@code selection[0..count)}, evaluates the expressions on that row of
     * {@code batch}, writes them to {@code out} and commits the row.
     *
     * @param context per-batch values expressions may read, such as the processing time
     */
    void project(Batch batch, int[] selection, int count, EvaluationContext context, BatchBuilder out);
}

package io.weir.engine.expression;

import io.weir.spi.batch.Batch;

/**
 * A predicate compiled once per query (by the planner, from SQL) and applied to whole batches.
 * Implementations are generated classes: no interpretation per row, no allocation per row.
 */
@FunctionalInterface
public interface BatchFilter {
    /**
     * Writes the positions of the rows among {@code selection[0..count)} for which the predicate is
     * TRUE (not FALSE, not NULL) into {@code out}, in order, and returns how many.
     * {@code out} may be {@code selection} itself.
     */
    int filter(Batch batch, int[] selection, int count, int[] out);
}

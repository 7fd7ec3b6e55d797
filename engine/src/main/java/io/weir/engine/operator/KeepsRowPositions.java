package io.weir.engine.operator;

import io.weir.spi.batch.Batch;

/**
 * An operator that holds rows past the batch they came in (e.g. until the watermark passes them) and so must keep
 * where each was read itself, to name it when a function fails on the row later: the runners give it its input
 * with where the rows were read, in place of {@link Operator#addInput(Batch)}.
 */
public interface KeepsRowPositions {
    /** {@link Operator#addInput(Batch)}, the rows read where {@code positions} says (null when not known). */
    void addInput(Batch batch, RowPositions positions);
}

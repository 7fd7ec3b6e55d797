package io.weir.engine.operator;

import io.weir.spi.batch.Batch;

/**
 * Where the rows of a source's batches were read (their split and offset), for messages about one row, such as a
 * user-defined function failing on it.
 */
public interface RowPositions {
    /** Where row {@code row} of {@code batch} was read, e.g. {@code stream 'clicks', /data/clicks.json at offset 120}. */
    String of(Batch batch, int row);

    /** Where the rows of {@code batch} were read: per split, its first and last row's offsets. */
    String range(Batch batch);
}

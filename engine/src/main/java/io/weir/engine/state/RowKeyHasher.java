package io.weir.engine.state;

import io.weir.spi.batch.Batch;

/**
 * Hashes the key columns of every row of a batch exactly as an operator's state hashes its keys, so
 * that the key group a row is sent to (see {@link KeyGroups}) is the key group its state is kept and
 * checkpointed in.
 */
@FunctionalInterface
public interface RowKeyHasher {
    /** Writes the key hash of rows {@code 0..batch.rowCount()-1} into {@code hashes}, which is at least that long. */
    void hash(Batch batch, long[] hashes);
}

package io.weir.engine.parallel;

import io.weir.engine.state.KeyGroups;
import io.weir.engine.state.RowKeyHasher;
import io.weir.spi.batch.Batch;

import static java.util.Objects.requireNonNull;

/**
 * Splits a batch by the key group of each row's key into one batch per task (see
 * {@link KeyGroupAssignment}), column by column: each column copies the positions its task gets.
 * A batch whose rows all go to one task is passed on as it is. Used by one task's thread.
 */
public final class BatchPartitioner {
    private final RowKeyHasher hasher;
    private final int parallelism;
    private final int[] taskOfKeyGroup = new int[KeyGroups.COUNT];
    private long[] hashes = new long[0];
    private int[][] positions;
    private final int[] counts;

    public BatchPartitioner(RowKeyHasher hasher, int parallelism) {
        this.hasher = requireNonNull(hasher, "hasher is null");
        KeyGroupAssignment.checkParallelism(parallelism);
        this.parallelism = parallelism;
        for (int group = 0; group < KeyGroups.COUNT; group++) {
            taskOfKeyGroup[group] = KeyGroupAssignment.taskOf(group, parallelism);
        }
        this.positions = new int[parallelism][0];
        this.counts = new int[parallelism];
    }

    /** Per task, its rows of {@code batch} (null when it has none). */
    public Batch[] partition(Batch batch) {
        int rows = batch.rowCount();
        Batch[] parts = new Batch[parallelism];
        if (rows == 0) {
            return parts;
        }
        if (hashes.length < rows) {
            hashes = new long[rows];
            for (int task = 0; task < parallelism; task++) {
                positions[task] = new int[rows];
            }
        }
        hasher.hash(batch, hashes);
        java.util.Arrays.fill(counts, 0);
        for (int row = 0; row < rows; row++) {
            int task = taskOfKeyGroup[KeyGroups.of(hashes[row])];
            positions[task][counts[task]++] = row;
        }
        for (int task = 0; task < parallelism; task++) {
            if (counts[task] == rows) {
                parts[task] = batch;
            } else if (counts[task] > 0) {
                parts[task] = batch.select(positions[task], counts[task], null);
            }
        }
        return parts;
    }
}

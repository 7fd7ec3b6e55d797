package io.weir.engine.checkpoint;

import java.time.Instant;

/**
 * One completed checkpoint, as {@code sys.checkpoints} lists it.
 *
 * @param batch micro-batches the query had run when it was taken
 * @param bytesWritten the size of its file
 * @param stateBytes the bytes of the query's state: of a full checkpoint, what it holds; of an incremental
 *        one, an estimate of what a full one would hold (its file holds only the changes, see {@code bytesWritten})
 * @param durationMillis from the start of the snapshot to the checkpoint being complete (sink committed)
 * @param incremental whether it holds only what changed since the checkpoint before it
 */
public record CheckpointRecord(long id, long batch, Instant completedAt, long bytesWritten, long stateBytes, long durationMillis,
                               boolean incremental) {
    public CheckpointRecord(long id, long batch, Instant completedAt, long bytesWritten, long stateBytes, long durationMillis) {
        this(id, batch, completedAt, bytesWritten, stateBytes, durationMillis, false);
    }
}

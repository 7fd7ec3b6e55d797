package io.weir.spi.connector;

import static java.util.Objects.requireNonNull;

/**
 * What a {@link SinkWriter} returned from {@link SinkWriter#prepareCommit(long)} for a checkpoint, as
 * stored in that checkpoint and handed back at recovery.
 *
 * @param checkpointId the checkpoint's id (grows by one per checkpoint of a query)
 * @param state the writer's own bytes: what it needs to commit or check that checkpoint's output (a
 *              transaction id, the names of the files to publish); not copied
 */
public record PreparedCommit(long checkpointId, byte[] state) {
    public PreparedCommit {
        requireNonNull(state, "state is null");
        if (checkpointId < 1) {
            throw new IllegalArgumentException("checkpoint ids start at 1: " + checkpointId);
        }
    }
}

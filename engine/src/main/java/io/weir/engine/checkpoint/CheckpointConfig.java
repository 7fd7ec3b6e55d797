package io.weir.engine.checkpoint;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How a query checkpoints.
 *
 * @param queryId names the query in logs and messages
 * @param storage where its checkpoints are written
 * @param interval time between checkpoints; zero for one after every micro-batch
 * @param compactor the engine's, which rewrites the query's incremental checkpoints as full ones
 */
public record CheckpointConfig(String queryId, CheckpointStorage storage, Duration interval, CheckpointCompactor compactor) {
    public CheckpointConfig {
        requireNonNull(queryId, "queryId is null");
        requireNonNull(storage, "storage is null");
        requireNonNull(interval, "interval is null");
        requireNonNull(compactor, "compactor is null");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("checkpoint interval must not be negative: " + interval);
        }
    }
}

package io.weir.engine.checkpoint;

import io.weir.spi.connector.SplitOffsets;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Where each replayable source of a query stood at the end of one micro-batch: a batch replayed after
 * a crash reads exactly up to these positions, so it holds the same rows as before the crash.
 *
 * @param batch the micro-batch's number (the query's batch count after it)
 * @param sources per source index in the plan, the offsets after the batch's rows
 */
public record BatchPositions(long batch, Map<Integer, SplitOffsets> sources) {
    public BatchPositions {
        sources = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(sources, "sources is null")));
    }
}

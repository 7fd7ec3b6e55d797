package io.weir.engine.checkpoint;

import io.weir.engine.state.StateBytes;

import io.weir.spi.connector.SourcePosition;

import java.util.List;
import java.util.Map;

/** The parts of a running query a checkpoint holds: its operators' and sources' state, by section name. */
public interface CheckpointedQuery {
    /**
     * The state as of the end of the last micro-batch, by section ({@link CheckpointSections}); no sink
     * section. Unless {@code full}, operators with {@link io.weir.engine.state.IncrementalState} write
     * only what changed since the previous call, as deltas.
     */
    Map<String, StateBytes> snapshotState(boolean full);

    /** Replaces the state with the checkpoint's, before the first micro-batch. */
    void restoreState(Checkpoint checkpoint);

    /** Where the replayable sources stand, for sinks that commit source positions with their output. */
    default List<SourcePosition> sourcePositions() {
        return List.of();
    }

    /** Micro-batches run so far, counting those before the restored checkpoint. */
    long batches();

    /** Groups, windows and rows the operators hold (estimates the size of the state between full checkpoints). */
    default long stateRows() {
        return 0;
    }
}

package io.weir.engine.state;

/**
 * Keyed state whose checkpoints can hold only what changed: the operator tracks the entries written and
 * removed since its previous checkpoint snapshot and writes them as a {@link KeyedSnapshot} delta.
 * Its {@link #snapshot()} is a full {@link KeyedSnapshot}, and {@link #restore} takes only full ones
 * (a checkpoint's deltas are merged into their base by {@link KeyedSnapshotMerger} first).
 */
public interface IncrementalState extends SnapshottableState {
    /**
     * For a checkpoint: a full snapshot when {@code full}, else the changes since the previous call as
     * a delta; both start tracking changes anew. The caller asks for a full one whenever the previous
     * call's result did not become part of a checkpoint, as deltas must chain without gaps. The
     * result may be held in buffers the next call reuses: write it before asking for the next one.
     */
    StateBytes checkpointSnapshot(boolean full);

    /** Groups written since the previous {@link #checkpointSnapshot}: what a delta would hold. */
    long changedGroups();

    /**
     * Whether the next checkpoint snapshot should be full: when more than half of the groups changed, a
     * delta would be about as big as all state, and a restore would have to merge it as well.
     */
    default boolean mostlyChanged() {
        return changedGroups() * 2 > stateRows();
    }
}

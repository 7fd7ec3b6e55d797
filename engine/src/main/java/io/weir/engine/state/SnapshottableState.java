package io.weir.engine.state;

import java.util.List;

/**
 * Operator state that can be saved at a micro-batch boundary and restored, the basis of checkpoints.
 * Keyed state is written per key group so that a restore can take only the key groups an instance owns.
 * A snapshot starts with {@link SnapshotFormat}'s header, so one of another operator is rejected.
 *
 * <p>A query run as several tasks has one instance of the operator per task, each owning a range of
 * key groups; {@link #combine} makes their snapshots the one snapshot an instance owning all key groups
 * would have written, so a checkpoint does not depend on the parallelism it was taken at and can be
 * restored at any other ({@link #restore} with each instance's range).
 */
public interface SnapshottableState {
    /** The state as of the end of the last micro-batch. Call only between batches, with all output taken. */
    byte[] snapshot();

    /**
     * Replaces the state with a snapshot's, keeping only keys in {@code keyGroups}; state that belongs to
     * no key is restored by every instance, except counters, which only the instance that
     * {@linkplain KeyGroupRange#holdsCounters() holds counters} restores.
     */
    void restore(byte[] snapshot, KeyGroupRange keyGroups);

    /**
     * One snapshot of the operator from the snapshots ({@link #snapshot()}, or for
     * {@link IncrementalState} {@link IncrementalState#checkpointSnapshot}s all full or all deltas) of
     * instances of it that own disjoint key-group ranges, in the order of their ranges: every key
     * group's entries, the counters summed, and what belongs to no key (watermarks, window progress),
     * which is the same in every instance, once. Entries are not copied.
     */
    StateBytes combine(List<StateBytes> snapshots);

    /**
     * Entries of keyed state held now (groups, sessions, buffered rows), for SHOW QUERIES and
     * sys.checkpoints; cheap. 0 for state without entries.
     */
    default long stateRows() {
        return 0;
    }

    /** Approximate bytes of state held now (in memory, which a snapshot's size roughly follows); cheap. */
    default long stateBytesEstimate() {
        return 0;
    }
}

package io.weir.engine.state;

/**
 * Operator state that can be saved at a micro-batch boundary and restored, the basis of checkpoints.
 * Keyed state is written per key group so that a restore can take only the key groups an instance owns.
 * A snapshot starts with {@link SnapshotFormat}'s header, so one of another operator is rejected.
 */
public interface SnapshottableState {
    /** The state as of the end of the last micro-batch. Call only between batches, with all output taken. */
    byte[] snapshot();

    /** Replaces the state with a snapshot's, keeping only keys in {@code keyGroups}. */
    void restore(byte[] snapshot, KeyGroupRange keyGroups);

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

package io.weir.engine.state;

/**
 * Operator state that can be saved at a micro-batch boundary and restored, the basis of checkpoints.
 * Keyed state is written per key group so that a restore can take only the key groups an instance owns.
 */
public interface SnapshottableState {
    /** The state as of the end of the last micro-batch. Call only between batches. */
    byte[] snapshot();

    /** Replaces the state with a snapshot's, keeping only keys in {@code keyGroups}. */
    void restore(byte[] snapshot, KeyGroupRange keyGroups);
}

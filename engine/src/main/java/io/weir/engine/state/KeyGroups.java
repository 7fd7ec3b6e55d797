package io.weir.engine.state;

/**
 * Keyed state is split by key hash into a fixed number of key groups, the unit a query's state can
 * later be spread over servers in (and restored from a snapshot by). The hash of a key is stable
 * across JVMs (see {@link KeyHashing}), so a key always lands in the same group.
 */
public final class KeyGroups {
    /** Fixed for the life of a query's state; changing it changes the placement of every key. */
    public static final int COUNT = 128;

    private KeyGroups() {
    }

    /** The key group of a key with the given {@link KeyHashing} hash. */
    public static int of(long keyHash) {
        return (int) ((keyHash >>> 32) % COUNT);
    }
}

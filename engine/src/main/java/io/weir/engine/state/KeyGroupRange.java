package io.weir.engine.state;

/** A contiguous range of key groups {@code [first, last]}, the part of keyed state one operator instance owns. */
public record KeyGroupRange(int first, int last) {
    public static final KeyGroupRange ALL = new KeyGroupRange(0, KeyGroups.COUNT - 1);

    public KeyGroupRange {
        if (first < 0 || last >= KeyGroups.COUNT || first > last) {
            throw new IllegalArgumentException("key group range [" + first + ", " + last + "] outside [0, " + (KeyGroups.COUNT - 1) + "]");
        }
    }

    public boolean contains(int keyGroup) {
        return keyGroup >= first && keyGroup <= last;
    }

    /**
     * Whether the instance owning this range restores an operator's counters that belong to no key
     * (rows dropped as late): the one owning key group 0 does, the others start them at 0, so that a
     * query restored at any parallelism counts them once.
     */
    public boolean holdsCounters() {
        return first == 0;
    }
}

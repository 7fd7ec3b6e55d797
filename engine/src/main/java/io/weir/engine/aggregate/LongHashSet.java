package io.weir.engine.aggregate;

import java.util.Arrays;

/** A set of {@code long}s in open-addressing primitive arrays (no boxing). */
final class LongHashSet {
    private long[] values;
    private boolean[] used;
    private int size;

    LongHashSet(int expected) {
        int capacity = 4;
        while (capacity < expected * 2) {
            capacity <<= 1;
        }
        values = new long[capacity];
        used = new boolean[capacity];
    }

    /** Adds {@code value}; true when it was not there yet. */
    boolean add(long value) {
        int mask = values.length - 1;
        int position = (int) io.weir.engine.state.KeyHashing.mix(value) & mask;
        while (used[position]) {
            if (values[position] == value) {
                return false;
            }
            position = (position + 1) & mask;
        }
        used[position] = true;
        values[position] = value;
        if (++size * 2 > values.length) {
            rehash();
        }
        return true;
    }

    boolean contains(long value) {
        int mask = values.length - 1;
        int position = (int) io.weir.engine.state.KeyHashing.mix(value) & mask;
        while (used[position]) {
            if (values[position] == value) {
                return true;
            }
            position = (position + 1) & mask;
        }
        return false;
    }

    private void rehash() {
        long[] oldValues = values;
        boolean[] oldUsed = used;
        values = new long[oldValues.length * 2];
        used = new boolean[values.length];
        size = 0;
        for (int i = 0; i < oldValues.length; i++) {
            if (oldUsed[i]) {
                add(oldValues[i]);
            }
        }
    }

    int size() {
        return size;
    }

    /** The values, in no particular order. */
    long[] toArray() {
        long[] result = new long[size];
        int next = 0;
        for (int i = 0; i < values.length; i++) {
            if (used[i]) {
                result[next++] = values[i];
            }
        }
        return result;
    }

    long bytes() {
        return 9L * values.length;
    }

    @Override
    public String toString() {
        return Arrays.toString(toArray());
    }
}

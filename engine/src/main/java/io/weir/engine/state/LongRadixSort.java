package io.weir.engine.state;

/**
 * Stable least-significant-digit radix sort of {@code int} indexes by {@code long} key columns, in the
 * order a comparator of those columns gives: per column NULL first, then ascending (signed). Sorting by
 * the last column first and each earlier one after it (each pass stable) orders by the first column,
 * ties by the second, and so on. A pass moves each index with its key (read from the column once per
 * column), so the passes read sequentially; only as many byte digits as the column's range of values
 * needs are sorted (a window's timestamps or ids span a few bytes, not eight).
 */
final class LongRadixSort {
    private static final int DIGIT_BITS = 8;
    private static final int BUCKETS = 1 << DIGIT_BITS;

    private int[] entries;
    private int[] spareEntries;
    private long[] keys;
    private long[] spareKeys;
    private final int count;
    private final int[] counts = new int[BUCKETS + 1];

    /** @param entries the indexes to sort, in the order ties keep; sorted in place */
    LongRadixSort(int[] entries, int count) {
        this.entries = entries;
        this.count = count;
        this.spareEntries = new int[count];
        this.keys = new long[count];
        this.spareKeys = new long[count];
    }

    /**
     * Stably sorts the indexes by one column: {@code values[index]}, or NULL where {@code nulls[index]}
     * (NULL before every value). To order by several columns, call it for the last column first.
     */
    void sortBy(long[] values, boolean[] nulls) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        int nullCount = 0;
        for (int i = 0; i < count; i++) {
            int entry = entries[i];
            if (nulls[entry]) {
                nullCount++;
            } else {
                long value = values[entry];
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
        }
        if (nullCount == count) {
            return;
        }
        // Offsets from the least value are unsigned (the range of a column may exceed Long.MAX_VALUE) and keep signed order.
        long range = max - min;
        int digits = (Long.SIZE - Long.numberOfLeadingZeros(range) + DIGIT_BITS - 1) / DIGIT_BITS;
        if (digits > 0) {
            for (int i = 0; i < count; i++) {
                int entry = entries[i];
                keys[i] = nulls[entry] ? 0 : values[entry] - min;
            }
            for (int digit = 0; digit < digits; digit++) {
                sortByDigit(digit * DIGIT_BITS);
            }
        }
        if (nullCount > 0) {
            nullsFirst(nulls, nullCount);
        }
    }

    /** One stable counting-sort pass by the digit at {@code shift}; passed over when all keys share it. */
    private void sortByDigit(int shift) {
        java.util.Arrays.fill(counts, 0);
        for (int i = 0; i < count; i++) {
            counts[(int) (keys[i] >>> shift) & (BUCKETS - 1)]++;
        }
        int position = 0;
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            int inBucket = counts[bucket];
            if (inBucket == count) {
                return;
            }
            counts[bucket] = position;
            position += inBucket;
        }
        for (int i = 0; i < count; i++) {
            long key = keys[i];
            int to = counts[(int) (key >>> shift) & (BUCKETS - 1)]++;
            spareEntries[to] = entries[i];
            spareKeys[to] = key;
        }
        swap();
    }

    /** Moves the indexes whose value is NULL to the front, each part keeping its order. */
    private void nullsFirst(boolean[] nulls, int nullCount) {
        int nullTo = 0;
        int valueTo = nullCount;
        for (int i = 0; i < count; i++) {
            int entry = entries[i];
            int to = nulls[entry] ? nullTo++ : valueTo++;
            spareEntries[to] = entry;
            spareKeys[to] = keys[i];
        }
        swap();
    }

    private void swap() {
        int[] entriesWere = entries;
        entries = spareEntries;
        spareEntries = entriesWere;
        long[] keysWere = keys;
        keys = spareKeys;
        spareKeys = keysWere;
    }

    /** The sorted indexes (the array given to the constructor, or its spare of the same length). */
    int[] entries() {
        return entries;
    }
}

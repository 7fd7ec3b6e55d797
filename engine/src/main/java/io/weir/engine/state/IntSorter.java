package io.weir.engine.state;

/** Sorts {@code int} indexes (such as table entries) by a comparator without boxing them; stable. */
public final class IntSorter {
    /** Compares two indexes. */
    @FunctionalInterface
    public interface IntComparator {
        int compare(int left, int right);
    }

    private IntSorter() {
    }

    /** The indexes {@code 0..count-1} in the comparator's order. */
    public static int[] sortedIndexes(int count, IntComparator comparator) {
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = i;
        }
        sort(values, count, comparator);
        return values;
    }

    /** Sorts {@code values[0..count)} (merge sort, so equal elements keep their order). */
    public static void sort(int[] values, int count, IntComparator comparator) {
        if (count < 2) {
            return;
        }
        int[] buffer = new int[count];
        int[] from = values;
        int[] to = buffer;
        for (int width = 1; width < count; width *= 2) {
            for (int low = 0; low < count; low += 2 * width) {
                int middle = Math.min(low + width, count);
                int high = Math.min(low + 2 * width, count);
                int left = low;
                int right = middle;
                int out = low;
                while (left < middle && right < high) {
                    to[out++] = comparator.compare(from[right], from[left]) < 0 ? from[right++] : from[left++];
                }
                while (left < middle) {
                    to[out++] = from[left++];
                }
                while (right < high) {
                    to[out++] = from[right++];
                }
            }
            int[] swap = from;
            from = to;
            to = swap;
        }
        if (from != values) {
            System.arraycopy(from, 0, values, 0, count);
        }
    }
}

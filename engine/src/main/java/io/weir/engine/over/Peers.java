package io.weir.engine.over;

import java.util.Arrays;

/**
 * The rows of one time of a partition waiting for the watermark, in the order they came, with where each was read
 * (see {@link RowOrigins}). Most times have one row: it is held in fields, the others in arrays made for a second.
 */
final class Peers {
    private Object[] firstRow;
    private int firstOrigin;
    private long firstOffset;
    /** The rows after the first; null until a second comes. */
    private Object[][] rows;
    private int[] origins;
    private long[] offsets;
    private int size;

    void add(Object[] row, int origin, long offset) {
        if (size == 0) {
            firstRow = row;
            firstOrigin = origin;
            firstOffset = offset;
        } else {
            int at = size - 1;
            if (rows == null) {
                rows = new Object[2][];
                origins = new int[2];
                offsets = new long[2];
            } else if (at == rows.length) {
                rows = Arrays.copyOf(rows, at * 2);
                origins = Arrays.copyOf(origins, at * 2);
                offsets = Arrays.copyOf(offsets, at * 2);
            }
            rows[at] = row;
            origins[at] = origin;
            offsets[at] = offset;
        }
        size++;
    }

    int size() {
        return size;
    }

    Object[] row(int index) {
        return index == 0 ? firstRow : rows[index - 1];
    }

    int origin(int index) {
        return index == 0 ? firstOrigin : origins[index - 1];
    }

    long offset(int index) {
        return index == 0 ? firstOffset : offsets[index - 1];
    }
}

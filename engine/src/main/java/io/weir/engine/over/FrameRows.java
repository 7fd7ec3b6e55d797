package io.weir.engine.over;

import java.util.ArrayList;
import java.util.List;

/**
 * A bounded frame's rows, oldest first, with where each was read (see {@link RowOrigins}): a ring of parallel arrays,
 * so that keeping the positions costs no object per row.
 */
final class FrameRows {
    // a partition of an unbounded frame never has a row here
    private static final Object[][] NO_ROWS = new Object[0][];
    private static final int[] NO_ORIGINS = new int[0];
    private static final long[] NO_OFFSETS = new long[0];

    private Object[][] rows = NO_ROWS;
    private int[] origins = NO_ORIGINS;
    private long[] offsets = NO_OFFSETS;
    /** Where the oldest row is in the arrays. */
    private int head;
    private int size;

    void addLast(Object[] row, int origin, long offset) {
        if (size == rows.length) {
            grow();
        }
        int at = index(size);
        rows[at] = row;
        origins[at] = origin;
        offsets[at] = offset;
        size++;
    }

    private void grow() {
        int capacity = Math.max(4, rows.length * 2);
        Object[][] grownRows = new Object[capacity][];
        int[] grownOrigins = new int[capacity];
        long[] grownOffsets = new long[capacity];
        for (int i = 0; i < size; i++) {
            int at = index(i);
            grownRows[i] = rows[at];
            grownOrigins[i] = origins[at];
            grownOffsets[i] = offsets[at];
        }
        rows = grownRows;
        origins = grownOrigins;
        offsets = grownOffsets;
        head = 0;
    }

    /** Where the {@code i}-th row (0: the oldest) is in the arrays. */
    private int index(int i) {
        int at = head + i;
        return at >= rows.length ? at - rows.length : at;
    }

    /** Takes the oldest row out. */
    void removeFirst() {
        if (size == 0) {
            throw new IllegalStateException("no row in the frame");
        }
        rows[head] = null;
        head = head + 1 == rows.length ? 0 : head + 1;
        size--;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The {@code i}-th row, 0 being the oldest. */
    Object[] row(int i) {
        return rows[index(i)];
    }

    int origin(int i) {
        return origins[index(i)];
    }

    long offset(int i) {
        return offsets[index(i)];
    }

    /** The rows, oldest first, as a new list. */
    List<Object[]> rows() {
        List<Object[]> all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            all.add(rows[index(i)]);
        }
        return all;
    }
}

package io.weir.engine.join;

import java.util.Arrays;

/** The ids of a {@link RowStore}'s rows, ordered by their time (a binary min-heap), to free expired rows first. */
final class TimeHeap {
    private final RowStore store;
    private int[] ids = new int[16];
    private int size;

    TimeHeap(RowStore store) {
        this.store = store;
    }

    void add(int id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        int at = size++;
        long time = store.time(id);
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (store.time(ids[parent]) <= time) {
                break;
            }
            ids[at] = ids[parent];
            at = parent;
        }
        ids[at] = id;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The time of the earliest row; only when not empty. */
    long peekTime() {
        return store.time(ids[0]);
    }

    int poll() {
        int top = ids[0];
        int last = ids[--size];
        if (size > 0) {
            long time = store.time(last);
            int at = 0;
            while (true) {
                int child = 2 * at + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && store.time(ids[child + 1]) < store.time(ids[child])) {
                    child++;
                }
                if (store.time(ids[child]) >= time) {
                    break;
                }
                ids[at] = ids[child];
                at = child;
            }
            ids[at] = last;
        }
        return top;
    }

    void clear() {
        size = 0;
    }
}

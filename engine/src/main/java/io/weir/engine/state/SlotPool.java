package io.weir.engine.state;

import java.util.Arrays;

/**
 * Hands out dense integer slots (indexes into struct-of-arrays state) and takes freed ones back for
 * reuse, so the arrays stay as large as the peak number of live groups.
 */
public final class SlotPool {
    private int[] free = new int[64];
    private int freeCount;
    private int highWater;

    /** A slot not in use; {@link #capacity()} may have grown. */
    public int allocate() {
        if (freeCount > 0) {
            return free[--freeCount];
        }
        return highWater++;
    }

    public void release(int slot) {
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = slot;
    }

    /** One more than the largest slot ever handed out: arrays indexed by slot need this length. */
    public int capacity() {
        return highWater;
    }

    /** Slots handed out and not released. */
    public int live() {
        return highWater - freeCount;
    }

    public void clear() {
        freeCount = 0;
        highWater = 0;
        free = new int[64];
    }
}

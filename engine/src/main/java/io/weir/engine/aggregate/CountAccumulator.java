package io.weir.engine.aggregate;

import io.weir.engine.state.StateReader;
import io.weir.engine.state.StateWriter;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.type.TypeKind;

import java.util.Arrays;

/** {@code COUNT(*)} (no argument) and {@code COUNT(x)} (rows where x is not NULL); never NULL. */
final class CountAccumulator extends Accumulator {
    private final boolean countStar;
    private final boolean unfiltered;
    private long[] counts = new long[16];

    CountAccumulator(int argument, TypeKind.Representation representation, int filterColumn) {
        super(argument, representation, filterColumn);
        this.countStar = argument < 0;
        this.unfiltered = countStar && filterColumn < 0;
    }

    @Override
    public void addAll(int[] slots, int count) {
        if (!unfiltered) {
            super.addAll(slots, count);
            return;
        }
        long[] values = counts;
        for (int row = 0; row < count; row++) {
            int slot = slots[row];
            if (slot >= 0) {
                values[slot]++;
            }
        }
    }

    @Override
    protected void addRow(int slot) {
        counts[slot]++;
    }

    @Override
    protected void addLong(int slot, long value) {
        counts[slot]++;
    }

    @Override
    protected void addDouble(int slot, double value) {
        counts[slot]++;
    }

    @Override
    protected void addBoolean(int slot, boolean value) {
        counts[slot]++;
    }

    @Override
    protected void addObject(int slot, Object value) {
        counts[slot]++;
    }

    @Override
    public void ensureCapacity(int slots) {
        if (slots > counts.length) {
            counts = Arrays.copyOf(counts, grow(counts.length, slots));
        }
    }

    @Override
    public void reset(int slot) {
        counts[slot] = 0;
    }

    @Override
    public void merge(int target, int source) {
        counts[target] += counts[source];
    }

    @Override
    public void write(int slot, BatchBuilder out, int column) {
        out.setLong(column, counts[slot]);
    }

    @Override
    public void writeState(int slot, StateWriter out) {
        out.writeLong(counts[slot]);
    }

    @Override
    public void readState(int slot, StateReader in) {
        counts[slot] = in.readLong();
    }

    @Override
    public int bytesPerGroup() {
        return 8;
    }

    boolean isCountStar() {
        return countStar;
    }
}

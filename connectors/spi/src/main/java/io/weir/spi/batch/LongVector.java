package io.weir.spi.batch;

import io.weir.spi.type.DataType;

import static java.util.Objects.requireNonNull;

/** A column whose type has the {@code LONG} representation, stored in a {@code long[]}. */
public final class LongVector extends ColumnVector {
    private final long[] values;

    public LongVector(DataType type, int size, long[] values, boolean[] nulls) {
        super(type, size, nulls);
        this.values = requireNonNull(values, "values is null");
        if (values.length < size) {
            throw new IllegalArgumentException("values array shorter than size " + size);
        }
    }

    /** The value at {@code row}; meaningless when {@link #isNull(int)}. */
    public long get(int row) {
        return values[checkRow(row)];
    }

    /** The backing array, at least {@link #size()} long. Read-only. */
    public long[] values() {
        return values;
    }

    @Override
    public Long value(int row) {
        return isNull(row) ? null : values[row];
    }

    @Override
    public LongVector select(int[] rows, int count) {
        long[] selected = new long[count];
        for (int i = 0; i < count; i++) {
            selected[i] = values[rows[i]];
        }
        return new LongVector(type(), count, selected, selectNulls(rows, count));
    }
}

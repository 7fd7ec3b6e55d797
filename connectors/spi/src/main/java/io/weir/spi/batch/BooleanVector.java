package io.weir.spi.batch;

import io.weir.spi.type.DataType;

import static java.util.Objects.requireNonNull;

/** A column whose type has the {@code BOOLEAN} representation, stored in a {@code boolean[]}. */
public final class BooleanVector extends ColumnVector {
    private final boolean[] values;

    public BooleanVector(DataType type, int size, boolean[] values, boolean[] nulls) {
        super(type, size, nulls);
        this.values = requireNonNull(values, "values is null");
        if (values.length < size) {
            throw new IllegalArgumentException("values array shorter than size " + size);
        }
    }

    /** The value at {@code row}; meaningless when {@link #isNull(int)}. */
    public boolean get(int row) {
        return values[checkRow(row)];
    }

    /** The backing array, at least {@link #size()} long. Read-only. */
    public boolean[] values() {
        return values;
    }

    @Override
    public Boolean value(int row) {
        return isNull(row) ? null : values[row];
    }

    @Override
    public BooleanVector select(int[] rows, int count) {
        boolean[] selected = new boolean[count];
        for (int i = 0; i < count; i++) {
            selected[i] = values[rows[i]];
        }
        return new BooleanVector(type(), count, selected, selectNulls(rows, count));
    }
}

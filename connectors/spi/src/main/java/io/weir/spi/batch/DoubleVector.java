package io.weir.spi.batch;

import io.weir.spi.type.DataType;

import static java.util.Objects.requireNonNull;

/** A column whose type has the {@code DOUBLE} representation, stored in a {@code double[]}. */
public final class DoubleVector extends ColumnVector {
    private final double[] values;

    public DoubleVector(DataType type, int size, double[] values, boolean[] nulls) {
        super(type, size, nulls);
        this.values = requireNonNull(values, "values is null");
        if (values.length < size) {
            throw new IllegalArgumentException("values array shorter than size " + size);
        }
    }

    /** The value at {@code row}; meaningless when {@link #isNull(int)}. */
    public double get(int row) {
        return values[checkRow(row)];
    }

    /** The backing array, at least {@link #size()} long. Read-only. */
    public double[] values() {
        return values;
    }

    @Override
    public Double value(int row) {
        return isNull(row) ? null : values[row];
    }

    @Override
    public DoubleVector select(int[] rows, int count) {
        double[] selected = new double[count];
        for (int i = 0; i < count; i++) {
            selected[i] = values[rows[i]];
        }
        return new DoubleVector(type(), count, selected, selectNulls(rows, count));
    }
}

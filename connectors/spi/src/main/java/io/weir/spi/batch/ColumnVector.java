package io.weir.spi.batch;

import io.weir.spi.type.DataType;

import static java.util.Objects.requireNonNull;

/**
 * One column of a {@link Batch}: values in a primitive or object array plus a null mask, both at
 * least {@link #size()} long. The arrays are exposed for operators that loop over them; they must
 * be treated as read-only.
 */
public abstract sealed class ColumnVector permits LongVector, DoubleVector, BooleanVector, ObjectVector {
    private final DataType type;
    private final int size;
    private final boolean[] nulls;

    ColumnVector(DataType type, int size, boolean[] nulls) {
        this.type = requireNonNull(type, "type is null");
        this.nulls = requireNonNull(nulls, "nulls is null");
        if (size < 0 || size > nulls.length) {
            throw new IllegalArgumentException("size " + size + " outside the null mask of length " + nulls.length);
        }
        this.size = size;
    }

    public DataType type() {
        return type;
    }

    /** Number of values (the batch's row count); the arrays may be longer. */
    public int size() {
        return size;
    }

    public boolean isNull(int row) {
        return nulls[checkRow(row)];
    }

    /** The null mask: {@code true} where the value is NULL. Read-only. */
    public boolean[] nulls() {
        return nulls;
    }

    /**
     * The value at {@code row} as its representation object (see {@link io.weir.spi.type.TypeKind}):
     * {@link Long}, {@link Double}, {@link Boolean} or the stored object; null for NULL. Boxes
     * primitives, so it is meant for tests and row-oriented consumers, not hot loops.
     */
    public abstract Object value(int row);

    /** The values at {@code rows[0..count)}, in that order, as a new vector of {@code count} values. */
    public abstract ColumnVector select(int[] rows, int count);

    final boolean[] selectNulls(int[] rows, int count) {
        boolean[] selected = new boolean[count];
        for (int i = 0; i < count; i++) {
            selected[i] = nulls[rows[i]];
        }
        return selected;
    }

    final int checkRow(int row) {
        if (row < 0 || row >= size) {
            throw new IndexOutOfBoundsException("row " + row + " outside a column of " + size + " values");
        }
        return row;
    }
}

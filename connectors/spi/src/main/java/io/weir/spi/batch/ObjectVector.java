package io.weir.spi.batch;

import io.weir.spi.type.DataType;

import static java.util.Objects.requireNonNull;

/**
 * A column whose type has the {@code OBJECT} representation (DECIMAL, strings, binary, ARRAY, MAP,
 * ROW), stored in an {@code Object[]}; a NULL is both flagged in the mask and stored as null.
 */
public final class ObjectVector extends ColumnVector {
    private final Object[] values;

    public ObjectVector(DataType type, int size, Object[] values, boolean[] nulls) {
        super(type, size, nulls);
        this.values = requireNonNull(values, "values is null");
        if (values.length < size) {
            throw new IllegalArgumentException("values array shorter than size " + size);
        }
    }

    public Object get(int row) {
        return values[checkRow(row)];
    }

    /** The backing array, at least {@link #size()} long. Read-only. */
    public Object[] values() {
        return values;
    }

    @Override
    public Object value(int row) {
        return isNull(row) ? null : values[row];
    }

    @Override
    public ObjectVector select(int[] rows, int count) {
        Object[] selected = new Object[count];
        for (int i = 0; i < count; i++) {
            selected[i] = values[rows[i]];
        }
        return new ObjectVector(type(), count, selected, selectNulls(rows, count));
    }
}

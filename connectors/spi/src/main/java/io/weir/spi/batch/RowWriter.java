package io.weir.spi.batch;

import io.weir.spi.type.DataType;

import java.util.List;

/**
 * Receives rows column by column, in the representation of each column's type (see
 * {@link io.weir.spi.type.TypeKind}). Formats and connectors write a row's columns in any order,
 * then {@link #commitRow()}; a column not written in a row is NULL. A record that fails half-way
 * is discarded with {@link #abortRow()}, which leaves no trace of the partial row.
 *
 * <p>Setting a column with a method that does not match its representation (e.g. {@code setLong}
 * on a VARCHAR column) raises {@link IllegalArgumentException}: that is a bug in the caller.
 */
public interface RowWriter {
    /** The columns rows are written for. */
    List<DataType.Field> rowType();

    void setNull(int column);

    /** For columns with the LONG representation: integers, DATE, TIME, TIMESTAMP. */
    void setLong(int column, long value);

    /** For columns with the DOUBLE representation: REAL and DOUBLE. */
    void setDouble(int column, double value);

    void setBoolean(int column, boolean value);

    /** For columns with the OBJECT representation; a null value is NULL. */
    void setObject(int column, Object value);

    /**
     * Sets a column from its representation object ({@link Long} for LONG columns, {@link Double}
     * for DOUBLE, {@link Boolean} for BOOLEAN, the object itself otherwise); null is NULL.
     */
    default void set(int column, Object value) {
        if (value == null) {
            setNull(column);
            return;
        }
        switch (rowType().get(column).type().kind().representation()) {
            case LONG -> setLong(column, ((Number) value).longValue());
            case DOUBLE -> setDouble(column, ((Number) value).doubleValue());
            case BOOLEAN -> setBoolean(column, (Boolean) value);
            case OBJECT -> setObject(column, value);
        }
    }

    /** Completes the current row; columns not written are NULL. */
    void commitRow();

    /** Discards whatever was written since the last {@link #commitRow()}. Safe to call at any time. */
    void abortRow();
}

package io.weir.spi.type;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Which columns of a row type are read: a query's projection, pushed from the planner into the
 * source scan and from there into the connector and its format. A reader must fill every column
 * the projection {@linkplain #reads(int) reads}; it may leave the others NULL (a format then skips
 * their fields without converting them). {@link #all()} reads every column. Immutable.
 */
public final class Projection {
    private static final Projection ALL = new Projection(null);

    /** Null for all columns. */
    private final BitSet columns;

    private Projection(BitSet columns) {
        this.columns = columns;
    }

    /** Every column is read. */
    public static Projection all() {
        return ALL;
    }

    /** Exactly the columns {@code columns} (indexes into the row type) are read. */
    public static Projection of(Collection<Integer> columns) {
        BitSet bits = new BitSet();
        for (int column : columns) {
            if (column < 0) {
                throw new IllegalArgumentException("negative column " + column);
            }
            bits.set(column);
        }
        return new Projection(bits);
    }

    public static Projection of(int... columns) {
        List<Integer> list = new ArrayList<>();
        for (int column : columns) {
            list.add(column);
        }
        return of(list);
    }

    public boolean isAll() {
        return columns == null;
    }

    /** Whether the reader must fill column {@code column}. */
    public boolean reads(int column) {
        return columns == null || columns.get(column);
    }

    /** The columns read among the first {@code width}, in order. */
    public List<Integer> columns(int width) {
        List<Integer> list = new ArrayList<>();
        for (int column = 0; column < width; column++) {
            if (reads(column)) {
                list.add(column);
            }
        }
        return list;
    }

    /** Whether the first {@code width} columns are all read, so that nothing can be skipped. */
    public boolean readsAll(int width) {
        return columns == null || columns.nextClearBit(0) >= width;
    }

    /** The columns either projection reads. */
    public Projection union(Projection other) {
        if (columns == null || other.columns == null) {
            return ALL;
        }
        BitSet bits = (BitSet) columns.clone();
        bits.or(other.columns);
        return new Projection(bits);
    }

    /** Whether this projection reads every column {@code other} reads (of the first {@code width}). */
    public boolean covers(Projection other, int width) {
        for (int column = 0; column < width; column++) {
            if (other.reads(column) && !reads(column)) {
                return false;
            }
        }
        return true;
    }

    /** The same projection with all of the first {@code width} columns read written as {@link #all()}. */
    public Projection normalized(int width) {
        return readsAll(width) ? ALL : this;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Projection projection && Objects.equals(columns, projection.columns);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(columns);
    }

    @Override
    public String toString() {
        return columns == null ? "all" : columns.toString();
    }
}

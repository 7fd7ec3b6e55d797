package io.weir.engine.aggregate;

import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.batch.BooleanVector;
import io.weir.spi.batch.ColumnVector;
import io.weir.spi.batch.DoubleVector;
import io.weir.spi.batch.LongVector;
import io.weir.spi.batch.ObjectVector;
import io.weir.spi.type.TypeKind;

import io.weir.engine.state.StateReader;
import io.weir.engine.state.StateWriter;

/**
 * The state of one aggregate call for many groups, kept in arrays indexed by group slot
 * (struct-of-arrays), so adding a row to a group allocates nothing. The window operator binds each
 * input batch, then adds rows to slots; a fired group's result is written, then its slot reset.
 *
 * <p>Rows whose FILTER column is not TRUE and (except for {@code COUNT(*)}) rows whose argument is
 * NULL are ignored, as SQL requires.
 */
public abstract class Accumulator {
    protected final int argument;
    protected final TypeKind.Representation argumentRepresentation;
    private final int filterColumn;
    private boolean[] filterValues;
    private boolean[] filterNulls;
    protected boolean[] argumentNulls;
    protected long[] longValues;
    protected double[] doubleValues;
    protected boolean[] booleanValues;
    protected Object[] objectValues;

    /**
     * @param argument the argument column, or -1 for none ({@code COUNT(*)})
     * @param argumentRepresentation how the argument is stored; ignored without an argument
     * @param filterColumn the BOOLEAN FILTER column, or -1
     */
    protected Accumulator(int argument, TypeKind.Representation argumentRepresentation, int filterColumn) {
        this.argument = argument;
        this.argumentRepresentation = argumentRepresentation;
        this.filterColumn = filterColumn;
    }

    /** Makes {@link #add} read rows of this batch. */
    public final void bind(Batch batch) {
        if (filterColumn >= 0) {
            BooleanVector filter = (BooleanVector) batch.column(filterColumn);
            filterValues = filter.values();
            filterNulls = filter.nulls();
        }
        if (argument >= 0) {
            ColumnVector column = batch.column(argument);
            argumentNulls = column.nulls();
            if (column instanceof LongVector longs) {
                longValues = longs.values();
            } else if (column instanceof DoubleVector doubles) {
                doubleValues = doubles.values();
            } else if (column instanceof BooleanVector booleans) {
                booleanValues = booleans.values();
            } else {
                objectValues = ((ObjectVector) column).values();
            }
        }
        bound(batch);
    }

    /** Called once {@link #bind} bound {@code batch}, for an accumulator that reads further columns of it. */
    protected void bound(Batch batch) {
    }

    /** Whether row {@code row} of the bound batch passes the FILTER clause (always, without one). */
    protected final boolean passesFilter(int row) {
        return filterColumn < 0 || !filterNulls[row] && filterValues[row];
    }

    /** Adds row {@code row} of the bound batch to group {@code slot}. */
    public void add(int slot, int row) {
        if (filterColumn >= 0 && (filterNulls[row] || !filterValues[row])) {
            return;
        }
        if (argument < 0) {
            addRow(slot);
            return;
        }
        if (argumentNulls[row]) {
            return;
        }
        switch (argumentRepresentation) {
            case LONG -> addLong(slot, longValues[row]);
            case DOUBLE -> addDouble(slot, doubleValues[row]);
            case BOOLEAN -> addBoolean(slot, booleanValues[row]);
            case OBJECT -> addObject(slot, objectValues[row]);
        }
    }

    /** Adds rows {@code 0..count} of the bound batch to {@code slots[row]}, skipping rows whose slot is negative. */
    public void addAll(int[] slots, int count) {
        for (int row = 0; row < count; row++) {
            int slot = slots[row];
            if (slot >= 0) {
                add(slot, row);
            }
        }
    }

    /** A row for an aggregate without argument. */
    protected void addRow(int slot) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " needs an argument");
    }

    /** A non-null argument value; also how DISTINCT feeds each distinct value once. */
    protected void addLong(int slot, long value) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not take LONG values");
    }

    protected void addDouble(int slot, double value) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not take DOUBLE values");
    }

    protected void addBoolean(int slot, boolean value) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not take BOOLEAN values");
    }

    protected void addObject(int slot, Object value) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not take object values");
    }

    /** Makes the arrays hold at least {@code slots} groups. */
    public abstract void ensureCapacity(int slots);

    /** Starts a new, empty group in {@code slot} (and drops whatever objects it held). */
    public abstract void reset(int slot);

    /** Adds group {@code source}'s state into group {@code target} (session windows merging). */
    public abstract void merge(int target, int source);

    /** Writes the group's result, in the result type's representation, to column {@code column} of {@code out}. */
    public abstract void write(int slot, BatchBuilder out, int column);

    /** Writes the group's whole state: a restored group must produce the same results from then on. */
    public abstract void writeState(int slot, StateWriter out);

    /** Restores a group written by {@link #writeState} into a {@link #reset} slot. */
    public abstract void readState(int slot, StateReader in);

    /**
     * What {@link #writeState} writes, for a snapshot's layout check: a snapshot of other accumulators
     * must be rejected, not misread.
     */
    public String stateLayout() {
        return getClass().getSimpleName() + "(" + (argument < 0 ? "*" : argumentRepresentation) + ")";
    }

    /** Approximate bytes of state per group, for statistics. */
    public abstract int bytesPerGroup();

    static int grow(int current, int needed) {
        return Math.max(needed, Math.max(16, current * 2));
    }
}

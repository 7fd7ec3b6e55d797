package io.weir.engine.aggregate;

import io.weir.engine.state.StateReader;
import io.weir.engine.state.StateWriter;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.type.TypeKind;

import java.math.BigDecimal;
import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * The groups' accumulators of a {@link UserAggregate}: one object per group slot, made on the group's first
 * non-NULL value (a group without one is NULL). A checkpoint holds each group's accumulator as the function serializes it.
 */
final class UserAccumulator extends Accumulator {
    private final UserAggregate aggregate;
    private final ResultWriter result;
    private Object[] accumulators = new Object[0];

    /** The columns of the arguments after the first, for a function of several arguments. */
    private final int[] moreArguments;
    private Batch batch;

    UserAccumulator(int argument, TypeKind.Representation representation, int filterColumn, UserAggregate aggregate,
                    ResultWriter result) {
        this(argument, representation, filterColumn, aggregate, result, new int[0]);
    }

    UserAccumulator(int argument, TypeKind.Representation representation, int filterColumn, UserAggregate aggregate,
                    ResultWriter result, int[] moreArguments) {
        super(argument, representation, filterColumn);
        this.aggregate = requireNonNull(aggregate, "aggregate is null");
        this.result = requireNonNull(result, "result is null");
        this.moreArguments = moreArguments.clone();
    }

    @Override
    protected void bound(Batch batch) {
        this.batch = batch;
    }

    /** A function of several arguments takes a row whose arguments are all non-NULL, as SQL's aggregates do. */
    @Override
    public void add(int slot, int row) {
        if (moreArguments.length == 0) {
            super.add(slot, row);
            return;
        }
        if (!passesFilter(row)) {
            return;
        }
        Object[] values = new Object[1 + moreArguments.length];
        for (int i = 0; i < values.length; i++) {
            Object value = batch.value(i == 0 ? argument : moreArguments[i - 1], row);
            if (value == null) {
                return;
            }
            values[i] = value;
        }
        aggregate.add(accumulator(slot), values);
    }

    private Object accumulator(int slot) {
        Object accumulator = accumulators[slot];
        if (accumulator == null) {
            accumulator = aggregate.create();
            accumulators[slot] = accumulator;
        }
        return accumulator;
    }

    @Override
    protected void addLong(int slot, long value) {
        aggregate.add(accumulator(slot), value);
    }

    @Override
    protected void addDouble(int slot, double value) {
        aggregate.add(accumulator(slot), value);
    }

    @Override
    protected void addBoolean(int slot, boolean value) {
        aggregate.add(accumulator(slot), value);
    }

    @Override
    protected void addObject(int slot, Object value) {
        aggregate.add(accumulator(slot), value);
    }

    @Override
    public void ensureCapacity(int slots) {
        if (accumulators.length < slots) {
            accumulators = Arrays.copyOf(accumulators, grow(accumulators.length, slots));
        }
    }

    @Override
    public void reset(int slot) {
        accumulators[slot] = null;
    }

    @Override
    public void merge(int target, int source) {
        if (accumulators[source] != null) {
            aggregate.merge(accumulator(target), accumulators[source]);
        }
    }

    @Override
    public void write(int slot, BatchBuilder out, int column) {
        // a group without non-NULL values is NULL, as SUM's is, without asking the function
        Object value = accumulators[slot] == null ? null : aggregate.result(accumulators[slot]);
        if (value == null) {
            out.setNull(column);
        } else if (value instanceof BigDecimal decimal) {
            result.writeDecimal(out, column, decimal);
        } else if (value instanceof Double || value instanceof Float) {
            result.writeDouble(out, column, ((Number) value).doubleValue());
        } else if (value instanceof Number number) {
            result.writeLong(out, column, number.longValue());
        } else {
            result.writeObject(out, column, value);
        }
    }

    @Override
    public void writeState(int slot, StateWriter out) {
        Object accumulator = accumulators[slot];
        if (accumulator == null) {
            out.writeInt(-1);
            return;
        }
        byte[] state = aggregate.serialize(accumulator);
        out.writeInt(state.length);
        out.write(state);
    }

    @Override
    public void readState(int slot, StateReader in) {
        int length = in.readInt();
        if (length < 0) {
            accumulators[slot] = null;
            return;
        }
        byte[] state = new byte[length];
        in.readFully(state);
        accumulators[slot] = aggregate.deserialize(state);
    }

    @Override
    public String stateLayout() {
        return "UserAccumulator(" + aggregate.stateLayout() + ")";
    }

    @Override
    public int bytesPerGroup() {
        return 64; // an estimate: the accumulator's own size is the function's
    }
}

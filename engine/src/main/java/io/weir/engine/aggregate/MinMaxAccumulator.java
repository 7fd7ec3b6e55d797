package io.weir.engine.aggregate;

import io.weir.engine.state.StateReader;
import io.weir.engine.state.StateWriter;
import io.weir.engine.state.ValueCodec;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;

import java.util.Arrays;

/** {@code MIN(x)} / {@code MAX(x)} of any comparable type; NULL when no value was added. */
final class MinMaxAccumulator extends Accumulator {
    private final boolean max;
    private final DataType argumentType;
    private boolean[] present = new boolean[16];
    private long[] longs;
    private double[] doubles;
    private Object[] objects;

    MinMaxAccumulator(boolean max, int argument, DataType argumentType, int filterColumn) {
        super(argument, argumentType.kind().representation(), filterColumn);
        this.max = max;
        this.argumentType = argumentType;
        switch (argumentRepresentation) {
            case LONG, BOOLEAN -> longs = new long[16];
            case DOUBLE -> doubles = new double[16];
            case OBJECT -> objects = new Object[16];
        }
    }

    @Override
    protected void addLong(int slot, long value) {
        if (!present[slot] || (max ? value > longs[slot] : value < longs[slot])) {
            longs[slot] = value;
            present[slot] = true;
        }
    }

    @Override
    protected void addBoolean(int slot, boolean value) {
        addLong(slot, value ? 1 : 0);
    }

    @Override
    protected void addDouble(int slot, double value) {
        if (!present[slot] || (max ? Double.compare(value, doubles[slot]) > 0 : Double.compare(value, doubles[slot]) < 0)) {
            doubles[slot] = value;
            present[slot] = true;
        }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    protected void addObject(int slot, Object value) {
        if (!present[slot]) {
            objects[slot] = value;
            present[slot] = true;
            return;
        }
        int comparison = ((Comparable) value).compareTo(objects[slot]);
        if (max ? comparison > 0 : comparison < 0) {
            objects[slot] = value;
        }
    }

    @Override
    public void ensureCapacity(int slots) {
        if (slots <= present.length) {
            return;
        }
        int size = grow(present.length, slots);
        present = Arrays.copyOf(present, size);
        if (longs != null) {
            longs = Arrays.copyOf(longs, size);
        }
        if (doubles != null) {
            doubles = Arrays.copyOf(doubles, size);
        }
        if (objects != null) {
            objects = Arrays.copyOf(objects, size);
        }
    }

    @Override
    public void reset(int slot) {
        present[slot] = false;
        if (objects != null) {
            objects[slot] = null;
        }
    }

    @Override
    public void merge(int target, int source) {
        if (!present[source]) {
            return;
        }
        switch (argumentRepresentation) {
            case LONG, BOOLEAN -> addLong(target, longs[source]);
            case DOUBLE -> addDouble(target, doubles[source]);
            case OBJECT -> addObject(target, objects[source]);
        }
    }

    @Override
    public void write(int slot, BatchBuilder out, int column) {
        out.set(column, value(slot));
    }

    private Object value(int slot) {
        if (!present[slot]) {
            return null;
        }
        return switch (argumentRepresentation) {
            case LONG -> longs[slot];
            case BOOLEAN -> longs[slot] != 0;
            case DOUBLE -> doubles[slot];
            case OBJECT -> objects[slot];
        };
    }

    @Override
    public void writeState(int slot, StateWriter out) {
        ValueCodec.write(out, argumentType, value(slot));
    }

    @Override
    public void readState(int slot, StateReader in) {
        Object value = ValueCodec.read(in, argumentType);
        if (value == null) {
            return;
        }
        switch (argumentRepresentation) {
            case LONG -> addLong(slot, (Long) value);
            case BOOLEAN -> addBoolean(slot, (Boolean) value);
            case DOUBLE -> addDouble(slot, (Double) value);
            case OBJECT -> addObject(slot, value);
        }
    }

    @Override
    public String stateLayout() {
        return (max ? "Max(" : "Min(") + argumentType.kind() + ")";
    }

    @Override
    public int bytesPerGroup() {
        return 9;
    }

    static boolean supports(TypeKind kind) {
        return kind != TypeKind.ARRAY && kind != TypeKind.MAP && kind != TypeKind.ROW && kind != TypeKind.VARBINARY;
    }
}

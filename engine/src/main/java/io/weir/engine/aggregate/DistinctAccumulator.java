package io.weir.engine.aggregate;

import io.weir.engine.state.StateReader;
import io.weir.engine.state.StateWriter;
import io.weir.engine.state.ValueCodec;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The DISTINCT of {@code COUNT(DISTINCT x)}, {@code SUM(DISTINCT x)}, ...: keeps each group's set of
 * values seen and passes a value to the wrapped aggregate only the first time. Allocates per distinct
 * value (the set), not per row.
 */
final class DistinctAccumulator extends Accumulator {
    private final Accumulator inner;
    private final DataType argumentType;
    private LongHashSet[] longSets = new LongHashSet[16];
    private Set<Object>[] objectSets;

    @SuppressWarnings("unchecked")
    DistinctAccumulator(Accumulator inner, int argument, DataType argumentType, int filterColumn) {
        super(argument, argumentType.kind().representation(), filterColumn);
        this.inner = inner;
        this.argumentType = argumentType;
        if (argumentRepresentation == TypeKind.Representation.OBJECT) {
            objectSets = new Set[16];
            longSets = null;
        }
    }

    private LongHashSet longSet(int slot) {
        LongHashSet set = longSets[slot];
        if (set == null) {
            set = new LongHashSet(4);
            longSets[slot] = set;
        }
        return set;
    }

    @Override
    protected void addLong(int slot, long value) {
        if (longSet(slot).add(value)) {
            inner.addLong(slot, value);
        }
    }

    @Override
    protected void addDouble(int slot, double value) {
        if (longSet(slot).add(Double.doubleToLongBits(value == 0.0 ? 0.0 : value))) {
            inner.addDouble(slot, value);
        }
    }

    @Override
    protected void addBoolean(int slot, boolean value) {
        if (longSet(slot).add(value ? 1 : 0)) {
            inner.addBoolean(slot, value);
        }
    }

    @Override
    protected void addObject(int slot, Object value) {
        Set<Object> set = objectSets[slot];
        if (set == null) {
            set = new HashSet<>();
            objectSets[slot] = set;
        }
        Object key = value instanceof BigDecimal decimal ? decimal.stripTrailingZeros() : value;
        if (set.add(key)) {
            inner.addObject(slot, value);
        }
    }

    @Override
    public void ensureCapacity(int slots) {
        inner.ensureCapacity(slots);
        if (longSets != null && slots > longSets.length) {
            longSets = Arrays.copyOf(longSets, grow(longSets.length, slots));
        }
        if (objectSets != null && slots > objectSets.length) {
            objectSets = Arrays.copyOf(objectSets, grow(objectSets.length, slots));
        }
    }

    @Override
    public void reset(int slot) {
        inner.reset(slot);
        if (longSets != null) {
            longSets[slot] = null;
        }
        if (objectSets != null) {
            objectSets[slot] = null;
        }
    }

    /**
     * Adds the source's values in their sorted order: the order of a set depends on how it was built
     * (a restored set is built anew), and the wrapped aggregate's sum of doubles on the order of adding.
     */
    @Override
    public void merge(int target, int source) {
        List<Object> values = values(source);
        values.sort(DistinctAccumulator::compareValues);
        for (Object value : values) {
            addValue(target, value);
        }
    }

    private void addValue(int slot, Object value) {
        switch (argumentRepresentation) {
            case LONG -> addLong(slot, (Long) value);
            case DOUBLE -> addDouble(slot, (Double) value);
            case BOOLEAN -> addBoolean(slot, (Boolean) value);
            case OBJECT -> addObject(slot, value);
        }
    }

    /** The group's distinct values as representation objects. */
    private List<Object> values(int slot) {
        List<Object> values = new ArrayList<>();
        if (longSets != null) {
            if (longSets[slot] != null) {
                for (long stored : longSets[slot].toArray()) {
                    values.add(switch (argumentRepresentation) {
                        case DOUBLE -> Double.longBitsToDouble(stored);
                        case BOOLEAN -> stored != 0;
                        default -> stored;
                    });
                }
            }
        } else if (objectSets[slot] != null) {
            values.addAll(objectSets[slot]);
        }
        return values;
    }

    @Override
    public void write(int slot, BatchBuilder out, int column) {
        inner.write(slot, out, column);
    }

    /**
     * The distinct values, sorted (so equal state writes equal bytes), then the wrapped aggregate's own
     * state: rebuilding it by adding the values again could sum doubles in another order.
     */
    @Override
    public void writeState(int slot, StateWriter out) {
        if (longSets != null) {
            long[] values = longSets[slot] == null ? new long[0] : longSets[slot].toArray();
            Arrays.sort(values);
            out.writeInt(values.length);
            for (long value : values) {
                out.writeLong(value);
            }
        } else {
            List<Object> values = values(slot);
            values.sort(DistinctAccumulator::compareValues);
            out.writeInt(values.size());
            for (Object value : values) {
                ValueCodec.write(out, argumentType, value);
            }
        }
        inner.writeState(slot, out);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareValues(Object left, Object right) {
        if (left instanceof Comparable comparable && left.getClass() == right.getClass()) {
            return comparable.compareTo(right);
        }
        if (left instanceof byte[] a && right instanceof byte[] b) {
            return Arrays.compare(a, b);
        }
        return 0; // no order (ARRAY, MAP, ROW): keep the set's
    }

    @Override
    public void readState(int slot, StateReader in) {
        int count = in.readCount();
        if (longSets != null) {
            LongHashSet set = longSet(slot);
            for (int i = 0; i < count; i++) {
                set.add(in.readLong());
            }
        } else {
            Set<Object> set = new HashSet<>();
            for (int i = 0; i < count; i++) {
                set.add(ValueCodec.read(in, argumentType));
            }
            objectSets[slot] = set;
        }
        inner.readState(slot, in);
    }

    @Override
    public String stateLayout() {
        return "Distinct(" + argumentType.kind() + ", " + inner.stateLayout() + ")";
    }

    @Override
    public int bytesPerGroup() {
        return inner.bytesPerGroup() + 64;
    }
}

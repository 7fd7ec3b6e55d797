package io.weir.engine.aggregate;

import io.weir.engine.state.StateReader;
import io.weir.engine.state.StateWriter;
import io.weir.engine.state.KeyHashing;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.type.TypeKind;

import java.util.Arrays;

/** {@code APPROX_COUNT_DISTINCT(x)}: a {@link HyperLogLog} sketch per group; 0 for no values. */
final class ApproxCountDistinctAccumulator extends Accumulator {
    private HyperLogLog[] sketches = new HyperLogLog[16];

    ApproxCountDistinctAccumulator(int argument, TypeKind.Representation representation, int filterColumn) {
        super(argument, representation, filterColumn);
    }

    private HyperLogLog sketch(int slot) {
        HyperLogLog sketch = sketches[slot];
        if (sketch == null) {
            sketch = new HyperLogLog();
            sketches[slot] = sketch;
        }
        return sketch;
    }

    @Override
    protected void addLong(int slot, long value) {
        sketch(slot).add(KeyHashing.hashLong(value));
    }

    @Override
    protected void addDouble(int slot, double value) {
        sketch(slot).add(KeyHashing.hashDouble(value));
    }

    @Override
    protected void addBoolean(int slot, boolean value) {
        sketch(slot).add(KeyHashing.hashBoolean(value));
    }

    @Override
    protected void addObject(int slot, Object value) {
        sketch(slot).add(KeyHashing.hashObject(value));
    }

    @Override
    public void ensureCapacity(int slots) {
        if (slots > sketches.length) {
            sketches = Arrays.copyOf(sketches, grow(sketches.length, slots));
        }
    }

    @Override
    public void reset(int slot) {
        sketches[slot] = null;
    }

    @Override
    public void merge(int target, int source) {
        if (sketches[source] != null) {
            sketch(target).merge(sketches[source]);
        }
    }

    @Override
    public void write(int slot, BatchBuilder out, int column) {
        out.setLong(column, sketches[slot] == null ? 0 : sketches[slot].estimate());
    }

    @Override
    public void writeState(int slot, StateWriter out) {
        out.writeBoolean(sketches[slot] != null);
        if (sketches[slot] != null) {
            sketches[slot].write(out);
        }
    }

    @Override
    public void readState(int slot, StateReader in) {
        sketches[slot] = in.readBoolean() ? HyperLogLog.read(in) : null;
    }

    @Override
    public int bytesPerGroup() {
        return 64;
    }
}

package io.weir.engine.aggregate;

import io.weir.engine.state.StateReader;
import io.weir.engine.state.StateWriter;
import io.weir.engine.state.ValueCodec;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.type.TypeKind;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Sums of a numeric argument and the count of values summed, in the argument's representation
 * (exact {@code long}, {@code double}, or {@link BigDecimal}); the base of SUM, AVG and the
 * variance family. NULL when no value was added.
 */
abstract class SumAccumulator extends Accumulator {
    protected final ResultWriter result;
    protected long[] counts = new long[16];
    protected long[] longSums;
    protected double[] doubleSums;
    protected BigDecimal[] decimalSums;

    SumAccumulator(int argument, TypeKind.Representation representation, int filterColumn, ResultWriter result) {
        super(argument, representation, filterColumn);
        this.result = result;
        switch (representation) {
            case LONG -> longSums = new long[16];
            case DOUBLE -> doubleSums = new double[16];
            case OBJECT -> decimalSums = new BigDecimal[16];
            default -> throw new IllegalArgumentException("cannot sum values of representation " + representation);
        }
    }

    @Override
    protected void addLong(int slot, long value) {
        longSums[slot] += value;
        counts[slot]++;
        addSquare(slot, value);
    }

    @Override
    protected void addDouble(int slot, double value) {
        doubleSums[slot] += value;
        counts[slot]++;
        addSquare(slot, value);
    }

    @Override
    protected void addObject(int slot, Object value) {
        BigDecimal decimal = (BigDecimal) value;
        BigDecimal sum = decimalSums[slot];
        decimalSums[slot] = sum == null ? decimal : sum.add(decimal);
        counts[slot]++;
        addSquare(slot, decimal);
    }

    /** Hooks for the variance family. */
    protected void addSquare(int slot, long value) {
    }

    protected void addSquare(int slot, double value) {
    }

    protected void addSquare(int slot, BigDecimal value) {
    }

    @Override
    public void ensureCapacity(int slots) {
        if (slots <= counts.length) {
            return;
        }
        int size = grow(counts.length, slots);
        counts = Arrays.copyOf(counts, size);
        if (longSums != null) {
            longSums = Arrays.copyOf(longSums, size);
        }
        if (doubleSums != null) {
            doubleSums = Arrays.copyOf(doubleSums, size);
        }
        if (decimalSums != null) {
            decimalSums = Arrays.copyOf(decimalSums, size);
        }
    }

    @Override
    public void reset(int slot) {
        counts[slot] = 0;
        if (longSums != null) {
            longSums[slot] = 0;
        }
        if (doubleSums != null) {
            doubleSums[slot] = 0;
        }
        if (decimalSums != null) {
            decimalSums[slot] = null;
        }
    }

    @Override
    public void merge(int target, int source) {
        counts[target] += counts[source];
        if (longSums != null) {
            longSums[target] += longSums[source];
        }
        if (doubleSums != null) {
            doubleSums[target] += doubleSums[source];
        }
        if (decimalSums != null && decimalSums[source] != null) {
            decimalSums[target] = decimalSums[target] == null ? decimalSums[source] : decimalSums[target].add(decimalSums[source]);
        }
    }

    protected BigDecimal decimalSum(int slot) {
        if (decimalSums != null) {
            return decimalSums[slot] == null ? BigDecimal.ZERO : decimalSums[slot];
        }
        if (longSums != null) {
            return BigDecimal.valueOf(longSums[slot]);
        }
        return BigDecimal.valueOf(doubleSums[slot]);
    }

    protected double doubleSum(int slot) {
        if (doubleSums != null) {
            return doubleSums[slot];
        }
        if (longSums != null) {
            return longSums[slot];
        }
        return decimalSum(slot).doubleValue();
    }

    @Override
    public void writeState(int slot, StateWriter out) {
        out.writeLong(counts[slot]);
        if (longSums != null) {
            out.writeLong(longSums[slot]);
        }
        if (doubleSums != null) {
            out.writeDouble(doubleSums[slot]);
        }
        if (decimalSums != null) {
            ValueCodec.writeNullableDecimal(out, decimalSums[slot]);
        }
    }

    @Override
    public void readState(int slot, StateReader in) {
        counts[slot] = in.readLong();
        if (longSums != null) {
            longSums[slot] = in.readLong();
        }
        if (doubleSums != null) {
            doubleSums[slot] = in.readDouble();
        }
        if (decimalSums != null) {
            decimalSums[slot] = ValueCodec.readNullableDecimal(in);
        }
    }

    @Override
    public int bytesPerGroup() {
        return 16;
    }

    /** {@code SUM(x)}: NULL for no values; otherwise the sum in the result type. */
    static final class Sum extends SumAccumulator {
        Sum(int argument, TypeKind.Representation representation, int filterColumn, ResultWriter result) {
            super(argument, representation, filterColumn, result);
        }

        @Override
        public void write(int slot, BatchBuilder out, int column) {
            if (counts[slot] == 0) {
                out.setNull(column);
            } else if (longSums != null) {
                result.writeLong(out, column, longSums[slot]);
            } else if (doubleSums != null) {
                result.writeDouble(out, column, doubleSums[slot]);
            } else {
                result.writeDecimal(out, column, decimalSums[slot]);
            }
        }
    }

    /**
     * {@code AVG(x)} as Calcite reduces it, {@code CAST(SUM(x) / COUNT(x) AS type)}: integer division
     * (truncating) for integer types, exact for DOUBLE and DECIMAL.
     */
    static final class Avg extends SumAccumulator {
        Avg(int argument, TypeKind.Representation representation, int filterColumn, ResultWriter result) {
            super(argument, representation, filterColumn, result);
        }

        @Override
        public void write(int slot, BatchBuilder out, int column) {
            long count = counts[slot];
            if (count == 0) {
                out.setNull(column);
            } else if (longSums != null && result.isExactInteger()) {
                result.writeLong(out, column, longSums[slot] / count);
            } else if (result.isDecimal()) {
                result.writeDecimal(out, column, decimalSum(slot).divide(BigDecimal.valueOf(count), java.math.MathContext.DECIMAL128));
            } else {
                result.writeDouble(out, column, doubleSum(slot) / count);
            }
        }
    }
}

package io.weir.engine.aggregate;

import io.weir.engine.state.StateReader;
import io.weir.engine.state.StateWriter;
import io.weir.engine.state.ValueCodec;
import io.weir.engine.plan.AggregateKind;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.type.TypeKind;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;

/**
 * VAR_POP, VAR_SAMP, STDDEV_POP, STDDEV_SAMP computed as Calcite reduces them:
 * {@code (SUM(x*x) - SUM(x)*SUM(x)/COUNT(x)) / COUNT(x)} (or {@code / (COUNT(x)-1)}, NULL for one
 * value), in the result type's arithmetic (integer division for integer types), and
 * {@code POWER(var, 0.5)} for the standard deviations.
 */
final class VarianceAccumulator extends SumAccumulator {
    private final boolean sample;
    private final boolean sqrt;
    private long[] longSquares;
    private double[] doubleSquares;
    private BigDecimal[] decimalSquares;

    VarianceAccumulator(AggregateKind kind, int argument, TypeKind.Representation representation, int filterColumn,
                        ResultWriter result) {
        super(argument, representation, filterColumn, result);
        this.sample = kind == AggregateKind.VAR_SAMP || kind == AggregateKind.STDDEV_SAMP;
        this.sqrt = kind == AggregateKind.STDDEV_POP || kind == AggregateKind.STDDEV_SAMP;
        switch (representation) {
            case LONG -> longSquares = new long[16];
            case DOUBLE -> doubleSquares = new double[16];
            default -> decimalSquares = new BigDecimal[16];
        }
    }

    @Override
    protected void addSquare(int slot, long value) {
        longSquares[slot] += value * value;
    }

    @Override
    protected void addSquare(int slot, double value) {
        doubleSquares[slot] += value * value;
    }

    @Override
    protected void addSquare(int slot, BigDecimal value) {
        BigDecimal square = value.multiply(value);
        decimalSquares[slot] = decimalSquares[slot] == null ? square : decimalSquares[slot].add(square);
    }

    @Override
    public void ensureCapacity(int slots) {
        int before = counts.length;
        super.ensureCapacity(slots);
        int size = counts.length;
        if (size != before) {
            if (longSquares != null) {
                longSquares = Arrays.copyOf(longSquares, size);
            }
            if (doubleSquares != null) {
                doubleSquares = Arrays.copyOf(doubleSquares, size);
            }
            if (decimalSquares != null) {
                decimalSquares = Arrays.copyOf(decimalSquares, size);
            }
        }
    }

    @Override
    public void reset(int slot) {
        super.reset(slot);
        if (longSquares != null) {
            longSquares[slot] = 0;
        }
        if (doubleSquares != null) {
            doubleSquares[slot] = 0;
        }
        if (decimalSquares != null) {
            decimalSquares[slot] = null;
        }
    }

    @Override
    public void merge(int target, int source) {
        super.merge(target, source);
        if (longSquares != null) {
            longSquares[target] += longSquares[source];
        }
        if (doubleSquares != null) {
            doubleSquares[target] += doubleSquares[source];
        }
        if (decimalSquares != null && decimalSquares[source] != null) {
            decimalSquares[target] = decimalSquares[target] == null ? decimalSquares[source]
                    : decimalSquares[target].add(decimalSquares[source]);
        }
    }

    @Override
    public void write(int slot, BatchBuilder out, int column) {
        long count = counts[slot];
        long divisor = sample ? count - 1 : count;
        if (count == 0 || divisor == 0) {
            out.setNull(column);
            return;
        }
        if (longSums != null && result.isExactInteger()) {
            long sum = longSums[slot];
            long variance = (longSquares[slot] - sum * sum / count) / divisor;
            if (sqrt) {
                result.writeDouble(out, column, Math.pow(variance, 0.5));
            } else {
                result.writeLong(out, column, variance);
            }
        } else if (result.isDecimal()) {
            BigDecimal sum = decimalSum(slot);
            BigDecimal squares = decimalSquares(slot);
            BigDecimal variance = squares.subtract(sum.multiply(sum).divide(BigDecimal.valueOf(count), MathContext.DECIMAL128))
                    .divide(BigDecimal.valueOf(divisor), MathContext.DECIMAL128);
            if (sqrt) {
                variance = variance.signum() <= 0 ? BigDecimal.ZERO : variance.sqrt(MathContext.DECIMAL128);
            }
            result.writeDecimal(out, column, variance);
        } else {
            double sum = doubleSum(slot);
            double variance = (doubleSquares(slot) - sum * sum / count) / divisor;
            result.writeDouble(out, column, sqrt ? Math.pow(variance, 0.5) : variance);
        }
    }

    private BigDecimal decimalSquares(int slot) {
        if (decimalSquares != null) {
            return decimalSquares[slot] == null ? BigDecimal.ZERO : decimalSquares[slot];
        }
        if (longSquares != null) {
            return BigDecimal.valueOf(longSquares[slot]);
        }
        return BigDecimal.valueOf(doubleSquares[slot]);
    }

    private double doubleSquares(int slot) {
        if (doubleSquares != null) {
            return doubleSquares[slot];
        }
        if (longSquares != null) {
            return longSquares[slot];
        }
        return decimalSquares(slot).doubleValue();
    }

    @Override
    public void writeState(int slot, StateWriter out) {
        super.writeState(slot, out);
        if (longSquares != null) {
            out.writeLong(longSquares[slot]);
        }
        if (doubleSquares != null) {
            out.writeDouble(doubleSquares[slot]);
        }
        if (decimalSquares != null) {
            ValueCodec.writeNullableDecimal(out, decimalSquares[slot]);
        }
    }

    @Override
    public void readState(int slot, StateReader in) {
        super.readState(slot, in);
        if (longSquares != null) {
            longSquares[slot] = in.readLong();
        }
        if (doubleSquares != null) {
            doubleSquares[slot] = in.readDouble();
        }
        if (decimalSquares != null) {
            decimalSquares[slot] = ValueCodec.readNullableDecimal(in);
        }
    }

    @Override
    public String stateLayout() {
        return super.stateLayout() + (sample ? "sample" : "population");
    }

    @Override
    public int bytesPerGroup() {
        return 24;
    }
}

package io.weir.engine.aggregate;

import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;

import java.math.BigDecimal;
import java.math.RoundingMode;

import static java.util.Objects.requireNonNull;

/**
 * Writes an aggregate's computed value in its SQL result type's representation: integer results
 * truncate (as Calcite's CAST does), REAL rounds to float precision, DECIMAL takes the result scale.
 */
final class ResultWriter {
    private final DataType type;

    ResultWriter(DataType type) {
        this.type = requireNonNull(type, "type is null");
    }

    DataType type() {
        return type;
    }

    boolean isExactInteger() {
        return type.kind().representation() == TypeKind.Representation.LONG;
    }

    boolean isDecimal() {
        return type.kind() == TypeKind.DECIMAL;
    }

    void writeLong(BatchBuilder out, int column, long value) {
        switch (type.kind().representation()) {
            case LONG -> out.setLong(column, value);
            case DOUBLE -> writeDouble(out, column, value);
            default -> writeDecimal(out, column, BigDecimal.valueOf(value));
        }
    }

    void writeDouble(BatchBuilder out, int column, double value) {
        switch (type.kind().representation()) {
            case LONG -> out.setLong(column, (long) value);
            case DOUBLE -> out.setDouble(column, type.kind() == TypeKind.REAL ? (float) value : value);
            default -> {
                if (Double.isNaN(value) || Double.isInfinite(value)) {
                    out.setNull(column);
                } else {
                    writeDecimal(out, column, BigDecimal.valueOf(value));
                }
            }
        }
    }

    void writeDecimal(BatchBuilder out, int column, BigDecimal value) {
        switch (type.kind().representation()) {
            case LONG -> out.setLong(column, value.longValue());
            case DOUBLE -> writeDouble(out, column, value.doubleValue());
            default -> out.setObject(column, type.kind() == TypeKind.DECIMAL ? value.setScale(type.scale(), RoundingMode.HALF_UP) : value);
        }
    }

    /** Writes a value of the argument's own type (MIN, MAX). */
    void writeObject(BatchBuilder out, int column, Object value) {
        out.set(column, value);
    }
}

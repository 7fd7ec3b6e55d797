package io.weir.sql.parameter;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.type.ConversionException;
import io.weir.spi.type.DataType;
import io.weir.spi.type.ValueConversion;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks and converts the values a client binds to a prepared statement's parameters into Weir's
 * representation of each parameter's type (see {@link io.weir.spi.type.TypeKind}). Values come as
 * Java objects of any protocol: numbers, strings (parsed as the type, as PostgreSQL's text format
 * sends every value), booleans, {@code java.time} values, byte arrays.
 */
public final class ParameterValues {
    private ParameterValues() {
    }

    /**
     * The values of {@code parameters}, one each, converted to their types.
     *
     * @throws WeirException SQLSTATE 07001 for another number of values than parameters; 22018 for
     *         text that is not a value of the type, 22003 for a number out of its type's range, 07006
     *         for a value of a kind the type cannot take
     */
    public static List<Object> convert(List<StatementParameter> parameters, List<?> values) {
        if (values.size() != parameters.size()) {
            throw countMismatch(parameters.size(), values.size());
        }
        List<Object> converted = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            converted.add(convert(i, parameters.get(i), values.get(i)));
        }
        return converted;
    }

    /** The error of executing a statement with {@code given} values for its {@code expected} parameters. */
    public static WeirException countMismatch(int expected, int given) {
        if (given == 0) {
            return new WeirException(ErrorCode.PARAMETER_COUNT_MISMATCH, "The statement has " + expected
                    + (expected == 1 ? " parameter (?)" : " parameters (?)") + " but no values were given: run it as a"
                    + " prepared statement and set every parameter before executing it");
        }
        return new WeirException(ErrorCode.PARAMETER_COUNT_MISMATCH, "The statement has " + expected
                + (expected == 1 ? " parameter (?)" : " parameters (?)") + " but " + given
                + (given == 1 ? " value was" : " values were") + " given; set each parameter once");
    }

    private static Object convert(int index, StatementParameter parameter, Object value) {
        if (value == null) {
            return null;
        }
        DataType type = parameter.type();
        try {
            return switch (type.kind()) {
                // a text parameter takes any scalar as its text, without the length of the column it is compared with
                case CHAR, VARCHAR -> {
                    if (value instanceof byte[] || value instanceof java.util.Collection<?> || value instanceof java.util.Map<?, ?>) {
                        throw new ConversionException("cannot convert a " + value.getClass().getSimpleName() + " to "
                                + type.kind().sqlName());
                    }
                    yield value.toString();
                }
                // exact, not rounded to the scale of the column it is compared with
                case DECIMAL -> decimal(value);
                default -> ValueConversion.fromJava(type, value);
            };
        } catch (ConversionException | NumberFormatException e) {
            String message = e instanceof NumberFormatException ? "cannot parse '" + value + "' as DECIMAL" : e.getMessage();
            ErrorCode code = value instanceof String ? ErrorCode.INVALID_CAST
                    : message.startsWith("cannot convert a ") ? ErrorCode.PARAMETER_TYPE_MISMATCH : ErrorCode.NUMERIC_OUT_OF_RANGE;
            throw new WeirException(code, "Parameter " + (index + 1) + " (" + type.withNullable(true).sqlString()
                    + "): " + message, e);
        }
    }

    private static BigDecimal decimal(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof BigInteger big) {
            return new BigDecimal(big);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new ConversionException("value " + d + " is out of range for DECIMAL");
            }
            return BigDecimal.valueOf(d);
        }
        if (value instanceof String text) {
            return new BigDecimal(text.strip());
        }
        throw new ConversionException("cannot convert a " + value.getClass().getSimpleName() + " to DECIMAL");
    }
}

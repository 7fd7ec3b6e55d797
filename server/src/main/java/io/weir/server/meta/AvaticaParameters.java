package io.weir.server.meta;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.type.DataType;
import io.weir.sql.statement.PreparedPlan;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.avatica.util.ByteString;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ?} parameters of a prepared statement over the Avatica protocol: their types as the client
 * sees them ({@code ParameterMetaData}), and the values it binds, in Weir's representation of each
 * parameter's type. Avatica carries dates as days, times as milliseconds of the day and timestamps as
 * epoch milliseconds, which is Weir's representation too.
 */
final class AvaticaParameters {
    private AvaticaParameters() {
    }

    static List<AvaticaParameter> describe(PreparedPlan plan) {
        List<AvaticaParameter> parameters = new ArrayList<>();
        for (int i = 0; i < plan.parameterCount(); i++) {
            DataType type = plan.parameterTypes().isEmpty() ? DataType.varchar() : plan.parameterTypes().get(i);
            parameters.add(new AvaticaParameter(type.kind().isNumeric(), Math.max(0, type.precision()), Math.max(0, type.scale()),
                    type.kind().jdbcType(), type.withNullable(true).sqlString(), AvaticaTypes.javaClassName(type), "?" + (i + 1)));
        }
        return parameters;
    }

    /** {@code plan} with the client's values bound to its parameters. */
    static PreparedPlan bind(PreparedPlan plan, List<TypedValue> values) {
        List<TypedValue> given = values == null ? List.of() : values;
        if (given.size() != plan.parameterCount()) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, "The statement has " + plan.parameterCount()
                    + " parameters (?) but " + given.size() + " values were bound; bind a value to each");
        }
        if (plan.parameterTypes().isEmpty() && plan.parameterCount() > 0) {
            throw new WeirException(ErrorCode.NOT_SUPPORTED, "Parameters (?) are supported in plain queries, where their types"
                    + " can be inferred (or given with CAST(? AS type)); write the values into this statement");
        }
        List<Object> bound = new ArrayList<>(given.size());
        for (int i = 0; i < given.size(); i++) {
            bound.add(value(plan.parameterTypes().get(i), given.get(i), i + 1));
        }
        return plan.bind(bound);
    }

    private static Object value(DataType type, TypedValue typed, int number) {
        Object value = typed == null ? null : typed.value;
        if (value == null) {
            return null;
        }
        try {
            return switch (type.kind()) {
                case BOOLEAN -> value instanceof Boolean b ? b : Boolean.parseBoolean(value.toString().trim());
                case TINYINT, SMALLINT, INTEGER, BIGINT, DATE, TIME, TIMESTAMP -> value instanceof Number n ? n.longValue()
                        : Long.parseLong(value.toString().trim());
                case REAL, DOUBLE -> value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString().trim());
                case DECIMAL -> value instanceof BigDecimal d ? d : new BigDecimal(value.toString().trim());
                case CHAR, VARCHAR -> value.toString();
                case VARBINARY -> value instanceof ByteString bytes ? bytes.getBytes() : value instanceof byte[] bytes ? bytes
                        : value.toString().getBytes(StandardCharsets.UTF_8);
                default -> throw new WeirException(ErrorCode.NOT_SUPPORTED, "Parameters of type " + type.sqlString()
                        + " are not supported; write the value into the statement");
            };
        } catch (NumberFormatException e) {
            throw new WeirException(ErrorCode.INVALID_CAST, "Parameter " + number + " is not a valid " + type.sqlString() + ": "
                    + e.getMessage());
        }
    }
}

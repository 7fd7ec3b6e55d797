package io.weir.server.meta;

import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import io.weir.sql.parameter.StatementParameter;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.avatica.util.ByteString;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * How a prepared statement's parameters travel over the Avatica protocol: their types in the
 * statement's signature (what {@code PreparedStatement.getParameterMetaData()} reports), their values
 * as {@link TypedValue}s.
 *
 * <p>Avatica's client sends a {@code java.sql.Timestamp}, {@code Date} or {@code Time} as the number its
 * wall-clock reading has in UTC (days, milliseconds); Weir's TIMESTAMP has the same meaning, so they
 * arrive as {@code java.time} values of that wall-clock reading.
 */
final class AvaticaParameters {
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private AvaticaParameters() {
    }

    static List<AvaticaParameter> parameters(List<StatementParameter> parameters) {
        List<AvaticaParameter> result = new ArrayList<>(parameters.size());
        for (int i = 0; i < parameters.size(); i++) {
            DataType type = parameters.get(i).type();
            int precision = type.kind() == TypeKind.DECIMAL || type.precision() != DataType.UNSPECIFIED ? Math.max(0, type.precision()) : 0;
            int scale = type.kind() == TypeKind.DECIMAL ? type.scale() : 0;
            result.add(new AvaticaParameter(type.kind().isNumeric(), precision, scale, type.kind().jdbcType(),
                    type.withNullable(true).sqlString(), AvaticaTypes.javaClassName(type), "?" + (i + 1)));
        }
        return result;
    }

    /** The values a client bound, as Java values for the planner; none for null. */
    static List<Object> values(List<TypedValue> typed) {
        if (typed == null) {
            return List.of();
        }
        List<Object> values = new ArrayList<>(typed.size());
        for (TypedValue value : typed) {
            values.add(value(value));
        }
        return values;
    }

    private static Object value(TypedValue value) {
        if (value == null || value.value == null) {
            return null;
        }
        return switch (value.type) {
            case JAVA_SQL_TIMESTAMP, JAVA_UTIL_DATE -> {
                long millis = ((Number) value.value).longValue();
                yield LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000L), (int) Math.floorMod(millis, 1000L) * 1_000_000,
                        ZoneOffset.UTC);
            }
            case JAVA_SQL_DATE -> LocalDate.ofEpochDay(((Number) value.value).longValue());
            case JAVA_SQL_TIME -> LocalTime.ofNanoOfDay(Math.floorMod(((Number) value.value).longValue(), MILLIS_PER_DAY) * 1_000_000L);
            case BYTE_STRING -> value.toLocal() instanceof ByteString bytes ? bytes.getBytes() : value.toLocal();
            default -> value.toLocal();
        };
    }
}

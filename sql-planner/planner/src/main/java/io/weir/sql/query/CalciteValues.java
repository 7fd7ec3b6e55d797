package io.weir.sql.query;

import io.weir.spi.type.DataType;
import org.apache.calcite.avatica.util.ByteString;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts values between Weir's representation (see {@link io.weir.spi.type.TypeKind}) and the one
 * Calcite's generated code uses (Integer for INT and DATE, Short, Byte, Float, ByteString, ...).
 */
public final class CalciteValues {
    private CalciteValues() {
    }

    public static Object toCalcite(DataType type, Object value) {
        if (value == null) {
            return null;
        }
        return switch (type.kind()) {
            case TINYINT -> ((Number) value).byteValue();
            case SMALLINT -> ((Number) value).shortValue();
            case INTEGER, DATE, TIME, INTERVAL_YEAR_MONTH -> ((Number) value).intValue();
            case BIGINT, TIMESTAMP, INTERVAL_DAY_TIME -> ((Number) value).longValue();
            case REAL -> ((Number) value).floatValue();
            case DOUBLE -> ((Number) value).doubleValue();
            case VARBINARY -> value instanceof byte[] bytes ? new ByteString(bytes) : value;
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (Object element : (List<?>) value) {
                    list.add(toCalcite(type.elementType(), element));
                }
                yield list;
            }
            case MAP -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                ((Map<?, ?>) value).forEach((k, v) -> map.put(toCalcite(type.keyType(), k), toCalcite(type.valueType(), v)));
                yield map;
            }
            case ROW -> {
                Object[] fields = value instanceof List<?> list ? list.toArray() : ((Object[]) value).clone();
                for (int i = 0; i < fields.length && i < type.children().size(); i++) {
                    fields[i] = toCalcite(type.children().get(i), fields[i]);
                }
                yield fields;
            }
            default -> value;
        };
    }

    public static Object toWeir(DataType type, Object value) {
        if (value == null) {
            return null;
        }
        return switch (type.kind()) {
            case TINYINT, SMALLINT, INTEGER, BIGINT, DATE, TIME, TIMESTAMP, INTERVAL_DAY_TIME, INTERVAL_YEAR_MONTH ->
                    value instanceof java.util.Date date
                    ? date.getTime() : ((Number) value).longValue();
            case REAL, DOUBLE -> ((Number) value).doubleValue();
            case VARBINARY -> value instanceof ByteString bytes ? bytes.getBytes() : value;
            case CHAR, VARCHAR -> value.toString();
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                Iterable<?> elements = value instanceof Object[] array ? List.of(array) : (Iterable<?>) value;
                for (Object element : elements) {
                    list.add(toWeir(type.elementType(), element));
                }
                yield list;
            }
            case MAP -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                ((Map<?, ?>) value).forEach((k, v) -> map.put(toWeir(type.keyType(), k), toWeir(type.valueType(), v)));
                yield map;
            }
            case ROW -> {
                Object[] fields = value instanceof List<?> list ? list.toArray() : ((Object[]) value).clone();
                for (int i = 0; i < fields.length && i < type.children().size(); i++) {
                    fields[i] = toWeir(type.children().get(i), fields[i]);
                }
                yield fields;
            }
            default -> value;
        };
    }
}

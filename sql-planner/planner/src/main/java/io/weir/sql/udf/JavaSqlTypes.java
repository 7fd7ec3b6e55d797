package io.weir.sql.udf;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL type of each Java type an {@code eval} method may take or return: what a function's
 * signature infers. Primitives and their boxes are the same SQL type; a primitive parameter means
 * the function is not called for a NULL argument (its result is NULL).
 */
final class JavaSqlTypes {
    private static final Map<Class<?>, SqlTypeName> TYPES = Map.ofEntries(
            Map.entry(boolean.class, SqlTypeName.BOOLEAN), Map.entry(Boolean.class, SqlTypeName.BOOLEAN),
            Map.entry(byte.class, SqlTypeName.TINYINT), Map.entry(Byte.class, SqlTypeName.TINYINT),
            Map.entry(short.class, SqlTypeName.SMALLINT), Map.entry(Short.class, SqlTypeName.SMALLINT),
            Map.entry(int.class, SqlTypeName.INTEGER), Map.entry(Integer.class, SqlTypeName.INTEGER),
            Map.entry(long.class, SqlTypeName.BIGINT), Map.entry(Long.class, SqlTypeName.BIGINT),
            Map.entry(float.class, SqlTypeName.REAL), Map.entry(Float.class, SqlTypeName.REAL),
            Map.entry(double.class, SqlTypeName.DOUBLE), Map.entry(Double.class, SqlTypeName.DOUBLE),
            Map.entry(String.class, SqlTypeName.VARCHAR),
            Map.entry(BigDecimal.class, SqlTypeName.DECIMAL));

    /** What the supported types are, for messages. */
    static final String SUPPORTED = "boolean, byte, short, int, long, float, double (or their boxes), String and BigDecimal";

    private JavaSqlTypes() {
    }

    static Optional<SqlTypeName> sqlType(Class<?> javaType) {
        return Optional.ofNullable(TYPES.get(javaType));
    }

    /** The nullable SQL type of {@code javaType}, which {@link #sqlType} knows. */
    static RelDataType relType(RelDataTypeFactory typeFactory, Class<?> javaType) {
        SqlTypeName name = TYPES.get(javaType);
        RelDataType type = switch (name) {
            case VARCHAR -> typeFactory.createSqlType(SqlTypeName.VARCHAR);
            case DECIMAL -> typeFactory.createSqlType(SqlTypeName.DECIMAL, typeFactory.getTypeSystem().getMaxNumericPrecision(),
                    typeFactory.getTypeSystem().getMaxNumericScale() / 2);
            default -> typeFactory.createSqlType(name);
        };
        return typeFactory.createTypeWithNullability(type, true);
    }

    /** The SQL name of {@code javaType}, for signatures: {@code BIGINT}. */
    static String sqlName(Class<?> javaType) {
        return TYPES.get(javaType).getName();
    }
}

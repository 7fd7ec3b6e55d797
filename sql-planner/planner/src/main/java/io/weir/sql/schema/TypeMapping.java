package io.weir.sql.schema;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.ArrayList;
import java.util.List;

/** Converts between Weir's {@link DataType} and Calcite's {@link RelDataType}. */
public final class TypeMapping {
    /**
     * The widest day-time interval: DAY(9) TO SECOND(3), milliseconds as Calcite holds every day-time
     * interval, with room for any number of days a long of milliseconds holds in practice.
     */
    public static final SqlIntervalQualifier DAY_TO_SECOND = new SqlIntervalQualifier(TimeUnit.DAY, 9, TimeUnit.SECOND, 3,
            SqlParserPos.ZERO);
    /** The widest year-month interval: YEAR(9) TO MONTH. */
    public static final SqlIntervalQualifier YEAR_TO_MONTH = new SqlIntervalQualifier(TimeUnit.YEAR, 9, TimeUnit.MONTH,
            RelDataType.PRECISION_NOT_SPECIFIED, SqlParserPos.ZERO);

    private TypeMapping() {
    }

    public static RelDataType toRelDataType(RelDataTypeFactory factory, DataType type) {
        RelDataType relType = switch (type.kind()) {
            case BOOLEAN -> factory.createSqlType(SqlTypeName.BOOLEAN);
            case TINYINT -> factory.createSqlType(SqlTypeName.TINYINT);
            case SMALLINT -> factory.createSqlType(SqlTypeName.SMALLINT);
            case INTEGER -> factory.createSqlType(SqlTypeName.INTEGER);
            case BIGINT -> factory.createSqlType(SqlTypeName.BIGINT);
            case REAL -> factory.createSqlType(SqlTypeName.REAL);
            case DOUBLE -> factory.createSqlType(SqlTypeName.DOUBLE);
            case DECIMAL -> factory.createSqlType(SqlTypeName.DECIMAL, type.precision(), type.scale());
            case CHAR -> sized(factory, SqlTypeName.CHAR, type.precision());
            case VARCHAR -> sized(factory, SqlTypeName.VARCHAR, type.precision());
            case VARBINARY -> sized(factory, SqlTypeName.VARBINARY, type.precision());
            case DATE -> factory.createSqlType(SqlTypeName.DATE);
            case TIME -> factory.createSqlType(SqlTypeName.TIME, type.precision());
            case TIMESTAMP -> factory.createSqlType(SqlTypeName.TIMESTAMP, type.precision());
            case INTERVAL_DAY_TIME -> factory.createSqlIntervalType(DAY_TO_SECOND);
            case INTERVAL_YEAR_MONTH -> factory.createSqlIntervalType(YEAR_TO_MONTH);
            case ARRAY -> factory.createArrayType(toRelDataType(factory, type.elementType()), -1);
            case MAP -> factory.createMapType(toRelDataType(factory, type.keyType()), toRelDataType(factory, type.valueType()));
            case ROW -> {
                List<RelDataType> types = new ArrayList<>();
                for (DataType child : type.children()) {
                    types.add(toRelDataType(factory, child));
                }
                yield factory.createStructType(types, type.fieldNames());
            }
        };
        return factory.createTypeWithNullability(relType, type.nullable());
    }

    private static RelDataType sized(RelDataTypeFactory factory, SqlTypeName name, int precision) {
        return precision == DataType.UNSPECIFIED
                ? factory.createSqlType(name)
                : factory.createSqlType(name, precision);
    }

    /** The Weir type of a Calcite type; types Weir cannot store raise NOT_SUPPORTED naming {@code what}. */
    public static DataType toDataType(RelDataType type, String what) {
        DataType result = switch (type.getSqlTypeName()) {
            case BOOLEAN -> DataType.of(TypeKind.BOOLEAN);
            case TINYINT -> DataType.of(TypeKind.TINYINT);
            case SMALLINT -> DataType.of(TypeKind.SMALLINT);
            case INTEGER -> DataType.of(TypeKind.INTEGER);
            case BIGINT -> DataType.of(TypeKind.BIGINT);
            case REAL -> DataType.of(TypeKind.REAL);
            case FLOAT, DOUBLE -> DataType.of(TypeKind.DOUBLE);
            case DECIMAL -> DataType.decimal(type.getPrecision(), Math.max(0, type.getScale()));
            case CHAR -> DataType.charType(length(type));
            case VARCHAR -> varchar(type);
            case BINARY, VARBINARY -> new DataType(TypeKind.VARBINARY, true, length(type), 0, List.of(), List.of());
            case DATE -> DataType.of(TypeKind.DATE);
            // an expression that is NULL whatever the row (SELECT NULL AS x): clients get a text column
            case NULL -> DataType.varchar();
            case TIME -> DataType.time(Math.max(0, type.getPrecision()));
            case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> DataType.timestamp(Math.max(0, type.getPrecision()));
            // every qualifier of a kind has the same value (milliseconds, months): one type each, as PostgreSQL has one
            case INTERVAL_DAY, INTERVAL_DAY_HOUR, INTERVAL_DAY_MINUTE, INTERVAL_DAY_SECOND, INTERVAL_HOUR,
                 INTERVAL_HOUR_MINUTE, INTERVAL_HOUR_SECOND, INTERVAL_MINUTE, INTERVAL_MINUTE_SECOND, INTERVAL_SECOND ->
                    DataType.intervalDayTime();
            case INTERVAL_YEAR, INTERVAL_YEAR_MONTH, INTERVAL_MONTH -> DataType.intervalYearMonth();
            case ARRAY -> DataType.array(toDataType(type.getComponentType(), what));
            case MAP -> DataType.map(toDataType(type.getKeyType(), what), toDataType(type.getValueType(), what));
            case ROW -> {
                List<DataType.Field> fields = new ArrayList<>();
                for (RelDataTypeField field : type.getFieldList()) {
                    fields.add(new DataType.Field(field.getName(), toDataType(field.getType(), what)));
                }
                yield DataType.row(fields);
            }
            default -> throw new WeirException(ErrorCode.NOT_SUPPORTED, "Type " + type.getFullTypeString() + " of " + what
                    + " is not supported. Supported types: BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, REAL, DOUBLE, DECIMAL(p, s),"
                    + " CHAR(n), VARCHAR(n), DATE, TIME, TIMESTAMP(p), VARBINARY, ARRAY<T>, MAP<K, V>, ROW<name T, ...>"
                    + " (and, for query results, INTERVAL DAY TO SECOND and INTERVAL YEAR TO MONTH)");
        };
        return result.withNullable(type.isNullable());
    }

    private static DataType varchar(RelDataType type) {
        int length = length(type);
        return length == DataType.UNSPECIFIED ? DataType.varchar() : DataType.varchar(length);
    }

    private static int length(RelDataType type) {
        int precision = type.getPrecision();
        // Calcite reports an unbounded VARCHAR as the type system's maximum (or -1).
        return precision <= 0 || precision == Integer.MAX_VALUE || precision >= 65536 ? DataType.UNSPECIFIED : precision;
    }
}

package io.weir.formats.parquet;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.type.DataType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

import java.util.ArrayList;
import java.util.List;

/**
 * Weir's column types as Parquet types: integers with their bit width, DECIMAL as INT32/INT64/BINARY
 * with its precision and scale, strings as UTF-8 BINARY, DATE, TIME (millis), TIMESTAMP as INT64
 * milliseconds not adjusted to UTC (a SQL TIMESTAMP without time zone), ARRAY as the three-level LIST,
 * MAP as the MAP of key_value groups, ROW as a group. Every column is optional (NULL-able).
 */
final class ParquetSchemas {
    static final String SCHEMA_NAME = "weir";

    private ParquetSchemas() {
    }

    static MessageType messageType(List<DataType.Field> schema) {
        List<Type> fields = new ArrayList<>();
        for (DataType.Field field : schema) {
            fields.add(type(field.name(), field.type(), Type.Repetition.OPTIONAL));
        }
        return new MessageType(SCHEMA_NAME, fields);
    }

    static Type type(String name, DataType type, Type.Repetition repetition) {
        return switch (type.kind()) {
            case BOOLEAN -> Types.primitive(PrimitiveTypeName.BOOLEAN, repetition).named(name);
            case TINYINT -> Types.primitive(PrimitiveTypeName.INT32, repetition).as(LogicalTypeAnnotation.intType(8, true)).named(name);
            case SMALLINT -> Types.primitive(PrimitiveTypeName.INT32, repetition).as(LogicalTypeAnnotation.intType(16, true)).named(name);
            case INTEGER -> Types.primitive(PrimitiveTypeName.INT32, repetition).named(name);
            case BIGINT -> Types.primitive(PrimitiveTypeName.INT64, repetition).named(name);
            case REAL -> Types.primitive(PrimitiveTypeName.FLOAT, repetition).named(name);
            case DOUBLE -> Types.primitive(PrimitiveTypeName.DOUBLE, repetition).named(name);
            case DECIMAL -> Types.primitive(decimalStorage(type.precision()), repetition)
                    .as(LogicalTypeAnnotation.decimalType(type.scale(), type.precision())).named(name);
            case CHAR, VARCHAR -> Types.primitive(PrimitiveTypeName.BINARY, repetition).as(LogicalTypeAnnotation.stringType()).named(name);
            case VARBINARY -> Types.primitive(PrimitiveTypeName.BINARY, repetition).named(name);
            case DATE -> Types.primitive(PrimitiveTypeName.INT32, repetition).as(LogicalTypeAnnotation.dateType()).named(name);
            case TIME -> Types.primitive(PrimitiveTypeName.INT32, repetition)
                    .as(LogicalTypeAnnotation.timeType(false, TimeUnit.MILLIS)).named(name);
            case TIMESTAMP -> Types.primitive(PrimitiveTypeName.INT64, repetition)
                    .as(LogicalTypeAnnotation.timestampType(false, TimeUnit.MILLIS)).named(name);
            // streams and tables have no interval columns (DDL refuses them), so files never hold one
            case INTERVAL_DAY_TIME, INTERVAL_YEAR_MONTH -> throw new WeirException(ErrorCode.NOT_SUPPORTED, "Column '" + name
                    + "' of type " + type.sqlString() + " cannot be written to Parquet");
            case ARRAY -> Types.buildGroup(repetition).as(LogicalTypeAnnotation.listType())
                    .addField(Types.repeatedGroup().addField(type("element", type.elementType(), Type.Repetition.OPTIONAL)).named("list"))
                    .named(name);
            case MAP -> Types.buildGroup(repetition).as(LogicalTypeAnnotation.mapType())
                    .addField(Types.repeatedGroup()
                            .addField(type("key", type.keyType(), Type.Repetition.REQUIRED))
                            .addField(type("value", type.valueType(), Type.Repetition.OPTIONAL))
                            .named("key_value"))
                    .named(name);
            case ROW -> {
                Types.GroupBuilder<org.apache.parquet.schema.GroupType> group = Types.buildGroup(repetition);
                for (DataType.Field child : rowFields(type)) {
                    group.addField(type(child.name(), child.type(), Type.Repetition.OPTIONAL));
                }
                yield group.named(name);
            }
        };
    }

    static List<DataType.Field> rowFields(DataType row) {
        List<DataType.Field> fields = new ArrayList<>();
        for (int i = 0; i < row.children().size(); i++) {
            fields.add(new DataType.Field(row.fieldNames().get(i), row.children().get(i)));
        }
        return fields;
    }

    /** The smallest physical type the Parquet spec allows for a DECIMAL of this precision. */
    static PrimitiveTypeName decimalStorage(int precision) {
        if (precision <= 9) {
            return PrimitiveTypeName.INT32;
        }
        return precision <= 18 ? PrimitiveTypeName.INT64 : PrimitiveTypeName.BINARY;
    }

    static WeirException unreadable(String column, Type fileType, DataType declared) {
        return new WeirException(ErrorCode.VALIDATION_ERROR, "Parquet column '" + column + "' is " + fileType
                + " in the file, which cannot be read as " + declared.sqlString()
                + "; declare the column with a matching type");
    }
}

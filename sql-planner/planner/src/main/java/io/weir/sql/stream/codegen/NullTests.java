package io.weir.sql.stream.codegen;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

/**
 * {@code IS NULL} and {@code IS NOT NULL} as functions of the boxed value. Calcite 1.42's code
 * generator unboxes the operand of IS [NOT] NULL before comparing it with null when the operand has
 * a primitive Java type (e.g. a nullable DOUBLE), which does not compile; calling these methods, which
 * take the boxed value, avoids that.
 */
public final class NullTests {
    private NullTests() {
    }

    public static boolean isNull(Object value) {
        return value == null;
    }

    public static boolean isNotNull(Object value) {
        return value != null;
    }

    static SqlUserDefinedFunction function(RelDataTypeFactory typeFactory, String method) {
        RelDataType booleanType = typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.BOOLEAN), false);
        return new SqlUserDefinedFunction(new SqlIdentifier("$" + method, SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
                ReturnTypes.explicit(booleanType), null, null, ScalarFunctionImpl.create(NullTests.class, method));
    }
}

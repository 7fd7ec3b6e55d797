package io.weir.sql.function;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.sql2rel.StandardConvertletTable;

import java.util.List;
import java.util.Map;

/**
 * Converts the character-string functions that count characters into calls of
 * {@link CodePointStrings} (which counts code points) instead of Calcite's library (which counts UTF-16
 * units); every other call is converted as Calcite's {@link StandardConvertletTable} does. The call
 * keeps the type the validator gave it, so only the implementation changes, for plain and
 * continuous queries and computed columns alike. Weir's {@link DatetimeMinus} converts to Calcite's operators.
 */
public final class CodePointConvertlets implements SqlRexConvertletTable {
    public static final CodePointConvertlets INSTANCE = new CodePointConvertlets();

    /** By operator and number of operands: the implementing method of {@link CodePointStrings}. */
    private static final Map<SqlOperator, Map<Integer, SqlOperator>> REPLACEMENTS = Map.of(
            SqlStdOperatorTable.CHAR_LENGTH, Map.of(1, function("charLength")),
            SqlStdOperatorTable.CHARACTER_LENGTH, Map.of(1, function("charLength")),
            SqlStdOperatorTable.SUBSTRING, Map.of(2, function("substringFrom"), 3, function("substringFromFor")),
            SqlStdOperatorTable.POSITION, Map.of(2, function("position"), 3, function("positionFrom")),
            SqlStdOperatorTable.OVERLAY, Map.of(3, function("overlay"), 4, function("overlayFor")),
            SqlLibraryOperators.LEFT, Map.of(2, function("left")),
            SqlLibraryOperators.RIGHT, Map.of(2, function("right")));

    private CodePointConvertlets() {
    }

    private static SqlOperator function(String method) {
        // the return type and operand inference are not used: calls are made with the validated call's type
        return new SqlUserDefinedFunction(new SqlIdentifier("WEIR_" + method.toUpperCase(java.util.Locale.ROOT), SqlParserPos.ZERO),
                SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0_NULLABLE, InferTypes.FIRST_KNOWN, null,
                ScalarFunctionImpl.create(CodePointStrings.class, method));
    }

    @Override
    public SqlRexConvertlet get(SqlCall call) {
        if (call.getOperator() == DatetimeMinus.INSTANCE) {
            return DatetimeMinus::convert;
        }
        Map<Integer, SqlOperator> byArity = REPLACEMENTS.get(call.getOperator());
        SqlOperator replacement = byArity == null ? null : byArity.get(call.operandCount());
        if (replacement == null) {
            return StandardConvertletTable.INSTANCE.get(call);
        }
        return (context, sqlCall) -> {
            List<RexNode> operands = sqlCall.getOperandList().stream().map(context::convertExpression).toList();
            RelDataType type = context.getValidator().getValidatedNodeType(sqlCall);
            return context.getRexBuilder().makeCall(type, replacement, operands);
        };
    }
}

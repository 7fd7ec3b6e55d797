package io.weir.sql.function;

import io.weir.sql.schema.TypeMapping;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.fun.SqlMonotonicBinaryOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.type.SqlOperandTypeChecker;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql2rel.SqlRexContext;
import org.apache.calcite.sql2rel.StandardConvertletTable;

import java.util.List;

/**
 * Binary minus with PostgreSQL's difference of two timestamps (or two times): {@code window_end - window_start},
 * {@code CURRENT_TIMESTAMP - ts} are day-time intervals, where Calcite's standard minus takes only numbers,
 * intervals and datetime minus interval (and the SQL standard wants {@code (a - b) DAY TO SECOND}). Every other
 * minus is Calcite's, and converts to Calcite's operators (see {@link #convert}). A parameter's type is inferred
 * by Calcite's minus (the parser's operator), from the other operand as in PostgreSQL: in
 * {@code CURRENT_TIMESTAMP - ?} it is a timestamp, unless written {@code CAST(? AS INTERVAL ...)}.
 */
public final class DatetimeMinus extends SqlMonotonicBinaryOperator {
    public static final DatetimeMinus INSTANCE = new DatetimeMinus();

    private static final SqlMonotonicBinaryOperator STANDARD = (SqlMonotonicBinaryOperator) SqlStdOperatorTable.MINUS;

    private DatetimeMinus() {
        super("-", SqlKind.MINUS, 40, true, DatetimeMinus::returnType, InferTypes.FIRST_KNOWN, new Checker());
    }

    /** Whether both operands are timestamps, or both times: the difference is a day-time interval. */
    private static boolean datetimeDifference(RelDataType left, RelDataType right) {
        SqlTypeName a = left.getSqlTypeName();
        SqlTypeName b = right.getSqlTypeName();
        return (a == SqlTypeName.TIMESTAMP || a == SqlTypeName.TIME) && a == b;
    }

    private static RelDataType returnType(SqlOperatorBinding binding) {
        RelDataType left = binding.getOperandType(0);
        RelDataType right = binding.getOperandType(1);
        if (datetimeDifference(left, right)) {
            RelDataTypeFactory factory = binding.getTypeFactory();
            return factory.createTypeWithNullability(factory.createSqlIntervalType(TypeMapping.DAY_TO_SECOND),
                    left.isNullable() || right.isNullable());
        }
        return STANDARD.getReturnTypeInference().inferReturnType(binding);
    }

    /** Calcite's operand types for minus, and two timestamps or two times. */
    private static final class Checker implements SqlOperandTypeChecker {
        @Override
        public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
            if (datetimeDifference(binding.getOperandType(0), binding.getOperandType(1))) {
                return true;
            }
            return STANDARD.getOperandTypeChecker().checkOperandTypes(binding, throwOnFailure);
        }

        @Override
        public SqlOperandCountRange getOperandCountRange() {
            return SqlOperandCountRanges.of(2);
        }

        @Override
        public String getAllowedSignatures(SqlOperator op, String opName) {
            return STANDARD.getOperandTypeChecker().getAllowedSignatures(op, opName) + "\n'<TIMESTAMP> - <TIMESTAMP>'"
                    + "\n'<TIME> - <TIME>'";
        }
    }

    /**
     * The call as Calcite's operators: a difference of datetimes is Calcite's datetime minus, whose
     * result is the validated interval type; anything else is converted as Calcite's minus.
     */
    static RexNode convert(SqlRexContext context, SqlCall call) {
        RelDataType left = context.getValidator().getValidatedNodeType(call.operand(0));
        RelDataType right = context.getValidator().getValidatedNodeType(call.operand(1));
        if (datetimeDifference(left, right)) {
            List<RexNode> operands = call.getOperandList().stream().map(context::convertExpression).toList();
            RelDataType type = context.getValidator().getValidatedNodeType(call);
            return context.getRexBuilder().makeCall(type, SqlStdOperatorTable.MINUS_DATE, operands);
        }
        // the validated call, keyed by identity in the validator's types, now of Calcite's minus
        ((SqlBasicCall) call).setOperator(SqlStdOperatorTable.MINUS);
        return StandardConvertletTable.INSTANCE.get(call).convertCall(context, call);
    }
}

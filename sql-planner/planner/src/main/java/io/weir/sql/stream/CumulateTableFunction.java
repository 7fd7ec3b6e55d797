package io.weir.sql.stream;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWindowTableFunction;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.type.SqlOperandMetadata;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

import java.util.Collections;
import java.util.List;

/**
 * {@code CUMULATE(TABLE s, DESCRIPTOR(ts), step, size [, offset])}: Flink's cumulating windows, which
 * Calcite lacks. Like Calcite's HOP it adds {@code window_start} and {@code window_end} to its input's
 * columns; the windows are {@code [k*size, k*size + n*step)} for n = 1 .. size/step.
 */
final class CumulateTableFunction extends SqlWindowTableFunction {
    static final String NAME = "CUMULATE";
    private static final String SIGNATURE = "CUMULATE(TABLE table_name, DESCRIPTOR(timecol), step interval, size interval"
            + "[, offset interval])";

    CumulateTableFunction() {
        super(NAME, new OperandMetadata());
    }

    private static final class OperandMetadata implements SqlOperandMetadata {
        private static final List<String> PARAMETERS = List.of(PARAM_DATA, PARAM_TIMECOL, "STEP", PARAM_SIZE, PARAM_OFFSET);

        @Override
        public List<RelDataType> paramTypes(RelDataTypeFactory typeFactory) {
            return Collections.nCopies(PARAMETERS.size(), typeFactory.createSqlType(SqlTypeName.ANY));
        }

        @Override
        public List<String> paramNames() {
            return PARAMETERS;
        }

        @Override
        public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
            boolean ok = binding.operand(1).getKind() == SqlKind.DESCRIPTOR;
            for (int i = 2; ok && i < binding.getOperandCount(); i++) {
                ok = SqlTypeUtil.isInterval(binding.getOperandType(i));
            }
            if (!ok && throwOnFailure) {
                throw binding.newValidationSignatureError();
            }
            return ok;
        }

        @Override
        public SqlOperandCountRange getOperandCountRange() {
            return SqlOperandCountRanges.between(4, 5);
        }

        @Override
        public String getAllowedSignatures(SqlOperator op, String opName) {
            return SIGNATURE;
        }

        @Override
        public boolean isOptional(int i) {
            return i > 3;
        }
    }
}

package io.weir.sql.statement;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;

import java.math.BigDecimal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Checks on a parsed statement before it is validated and planned. Limits on its size: planning a
 * statement of tens of thousands of terms took minutes and gigabytes before failing, and held a
 * request thread all that time (the limits are far above what a person or a BI tool writes). And
 * forms Calcite's validator or planner fails on with an internal error instead of naming the mistake
 * (found by HostileInputTest): a LIMIT or OFFSET that is not a whole number, an empty DESCRIPTOR().
 */
final class StatementShape {
    /** Parse-tree nodes (names, literals, operators) in one statement. */
    static final int MAX_NODES = 20_000;
    /** Items in one SELECT list, as PostgreSQL's limit on a target list. */
    static final int MAX_SELECT_ITEMS = 1664;

    private StatementShape() {
    }

    /**
     * Throws {@link ErrorCode#PROGRAM_LIMIT_EXCEEDED} when {@code statement} is past a limit, and
     * {@link ErrorCode#VALIDATION_ERROR} for a form that cannot be planned.
     */
    static void check(SqlNode statement) {
        // iteratively: a deeply nested statement must not overflow the stack here
        Deque<SqlNode> pending = new ArrayDeque<>();
        pending.push(statement);
        int nodes = 0;
        while (!pending.isEmpty()) {
            SqlNode node = pending.pop();
            if (++nodes > MAX_NODES) {
                throw new WeirException(ErrorCode.PROGRAM_LIMIT_EXCEEDED, SqlErrors.position(statement.getParserPosition()),
                        "The statement has more than " + MAX_NODES + " terms (names, values and operators); split it into"
                                + " several, or put long lists of values into a table and join with it");
            }
            if (node instanceof SqlSelect select && select.getSelectList() != null
                    && select.getSelectList().size() > MAX_SELECT_ITEMS) {
                throw new WeirException(ErrorCode.PROGRAM_LIMIT_EXCEEDED, SqlErrors.position(select.getParserPosition()),
                        "A SELECT list has at most " + MAX_SELECT_ITEMS + " columns; this one has " + select.getSelectList().size());
            }
            if (node instanceof SqlSelect select) {
                checkRowCount(select.getOffset(), "OFFSET");
                checkRowCount(select.getFetch(), "LIMIT");
            } else if (node instanceof SqlOrderBy orderBy) {
                checkRowCount(orderBy.offset, "OFFSET");
                checkRowCount(orderBy.fetch, "LIMIT");
            } else if (node instanceof SqlCall call && call.operandCount() == 0
                    && (call.getKind() == SqlKind.DESCRIPTOR || "DESCRIPTOR".equalsIgnoreCase(call.getOperator().getName()))) {
                // without operands the parser leaves DESCRIPTOR() an unresolved function
                throw new WeirException(ErrorCode.VALIDATION_ERROR, SqlErrors.position(node.getParserPosition()),
                        "DESCRIPTOR() names the time column a window is over, e.g. DESCRIPTOR(ts)");
            }
            if (node instanceof SqlNodeList list) {
                for (SqlNode item : list) {
                    if (item != null) {
                        pending.push(item);
                    }
                }
            } else if (node instanceof SqlCall call) {
                for (SqlNode operand : call.getOperandList()) {
                    if (operand != null) {
                        pending.push(operand);
                    }
                }
            }
        }
    }

    /** A LIMIT or OFFSET literal must be a whole number of rows (1e999 and 1.5 reached Calcite's planner as a double). */
    private static void checkRowCount(SqlNode count, String clause) {
        if (count instanceof SqlNumericLiteral literal) {
            BigDecimal value = literal.getValueAs(BigDecimal.class);
            if (!literal.isExact() || value.signum() < 0 || value.stripTrailingZeros().scale() > 0) {
                throw new WeirException(ErrorCode.VALIDATION_ERROR, SqlErrors.position(literal.getParserPosition()),
                        clause + " takes a whole number of rows, such as " + clause + " 10, not " + literal.toValue());
            }
        }
    }
}

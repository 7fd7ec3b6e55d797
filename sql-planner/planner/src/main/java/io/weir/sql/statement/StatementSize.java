package io.weir.sql.statement;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Limits on a parsed statement, checked before it is validated and planned: planning a statement of
 * tens of thousands of terms took minutes and gigabytes before failing, and held a request thread all
 * that time. The limits are far above what a person or a BI tool writes.
 */
final class StatementSize {
    /** Parse-tree nodes (names, literals, operators) in one statement. */
    static final int MAX_NODES = 20_000;
    /** Items in one SELECT list, as PostgreSQL's limit on a target list. */
    static final int MAX_SELECT_ITEMS = 1664;

    private StatementSize() {
    }

    /** Throws {@link ErrorCode#PROGRAM_LIMIT_EXCEEDED} when {@code statement} is past a limit. */
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
}

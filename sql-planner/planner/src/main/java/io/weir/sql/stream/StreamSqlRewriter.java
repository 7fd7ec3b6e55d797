package io.weir.sql.stream;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.sql.statement.SqlErrors;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSelectKeyword;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites a parsed continuous query, in place, into what Calcite's batch validator accepts and
 * Weir's physical planner understands:
 * <ul>
 *   <li>drops the {@code STREAM} keyword: the query is validated as a batch query over the streams'
 *       relations and the streaming rules (windows, no joins, no ORDER BY) are Weir's own, checked on
 *       the logical plan with messages that say what to write instead;</li>
 *   <li>{@code SESSION(TABLE s PARTITION BY k, DESCRIPTOR(ts), gap)} (Flink's form, which Calcite refuses
 *       because a row-semantics table cannot be partitioned) becomes Calcite's
 *       {@code SESSION(TABLE s, DESCRIPTOR(ts), DESCRIPTOR(k), gap)};</li>
 *   <li>{@code SESSION_END(ts, gap)} becomes {@code $SESSION_END_OF(SESSION_START(ts, gap))}, see
 *       {@link StreamOperators#SESSION_END_OF}.</li>
 * </ul>
 */
final class StreamSqlRewriter {
    private StreamSqlRewriter() {
    }

    /** Whether {@code node} is a continuous query: any of its SELECTs has the STREAM keyword. */
    static boolean isContinuous(SqlNode node) {
        if (node instanceof SqlSelect select) {
            return select.getModifierNode(SqlSelectKeyword.STREAM) != null;
        }
        if (node instanceof SqlOrderBy orderBy) {
            return isContinuous(orderBy.query);
        }
        if (node instanceof SqlCall call && (call.getKind() == SqlKind.UNION || call.getKind() == SqlKind.WITH
                || call.getKind() == SqlKind.INTERSECT || call.getKind() == SqlKind.EXCEPT)) {
            for (SqlNode operand : call.getOperandList()) {
                if (operand != null && isContinuous(operand)) {
                    return true;
                }
            }
        }
        return false;
    }

    static SqlNode rewrite(SqlNode node) {
        return visit(node, true);
    }

    /**
     * The rewrites a view's query gets before Calcite expands it where the view is used: all but
     * SESSION_END's, which is only valid in the query that groups by the session (and is rejected in
     * views, see {@link #containsSessionEnd}).
     */
    static SqlNode rewriteView(SqlNode node) {
        return visit(node, false);
    }

    static boolean containsSessionEnd(SqlNode node) {
        if (node instanceof SqlNodeList list) {
            return list.getList().stream().anyMatch(item -> item != null && containsSessionEnd(item));
        }
        if (node instanceof SqlCall call) {
            return isFunction(call, "SESSION_END")
                    || call.getOperandList().stream().anyMatch(operand -> operand != null && containsSessionEnd(operand));
        }
        return false;
    }

    private static SqlNode visit(SqlNode node, boolean sessionEnd) {
        if (node instanceof SqlNodeList list) {
            for (int i = 0; i < list.size(); i++) {
                SqlNode item = list.get(i);
                if (item != null) {
                    list.set(i, visit(item, sessionEnd));
                }
            }
            return list;
        }
        if (!(node instanceof SqlCall call)) {
            return node;
        }
        if (call instanceof SqlSelect select) {
            dropStreamKeyword(select);
        }
        List<SqlNode> operands = call.getOperandList();
        for (int i = 0; i < operands.size(); i++) {
            SqlNode operand = operands.get(i);
            if (operand == null) {
                continue;
            }
            SqlNode rewritten = visit(operand, sessionEnd);
            if (rewritten != operand) {
                call.setOperand(i, rewritten);
            }
        }
        if (sessionEnd && isFunction(call, "SESSION_END")) {
            SqlParserPos pos = call.getParserPosition();
            SqlCall start = SqlStdOperatorTable.SESSION_START.createCall(pos, call.getOperandList());
            return StreamOperators.SESSION_END_OF.createCall(pos, start);
        }
        if (isFunction(call, "SESSION") && call.operandCount() > 0
                && call.operand(0) instanceof SqlCall table && table.getKind() == SqlKind.SET_SEMANTICS_TABLE) {
            return partitionedSession(call, table);
        }
        return call;
    }

    /** Function calls are resolved during validation: after parsing they are known by name only. */
    private static boolean isFunction(SqlCall call, String name) {
        return call.getOperator() instanceof SqlFunction && call.getOperator().getName().equalsIgnoreCase(name);
    }

    private static void dropStreamKeyword(SqlSelect select) {
        SqlNodeList keywords = (SqlNodeList) select.getOperandList().get(0);
        if (keywords == null || select.getModifierNode(SqlSelectKeyword.STREAM) == null) {
            return;
        }
        List<SqlNode> kept = new ArrayList<>();
        for (SqlNode keyword : keywords) {
            if (keyword != select.getModifierNode(SqlSelectKeyword.STREAM)) {
                kept.add(keyword);
            }
        }
        select.setOperand(0, new SqlNodeList(kept, keywords.getParserPosition()));
    }

    /** {@code SESSION(TABLE s PARTITION BY k, DESCRIPTOR(ts), gap)} to the DESCRIPTOR(k) form. */
    private static SqlNode partitionedSession(SqlCall session, SqlCall table) {
        SqlNodeList partitionBy = (SqlNodeList) table.operand(1);
        SqlNodeList orderBy = (SqlNodeList) table.operand(2);
        if (orderBy != null && !orderBy.isEmpty()) {
            throw new WeirException(ErrorCode.NOT_SUPPORTED, SqlErrors.position(orderBy.getParserPosition()),
                    "SESSION windows order rows by their time column: remove ORDER BY from the table argument");
        }
        if (session.operandCount() != 3) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, SqlErrors.position(session.getParserPosition()),
                    "Write SESSION(TABLE s PARTITION BY key, DESCRIPTOR(time_column), gap_interval)");
        }
        SqlParserPos pos = session.getParserPosition();
        SqlCall keys = SqlStdOperatorTable.DESCRIPTOR.createCall(partitionBy.getParserPosition(), partitionBy.getList());
        return new SqlBasicCall(SqlStdOperatorTable.SESSION,
                List.<SqlNode>of(table.<SqlNode>operand(0), session.<SqlNode>operand(1), keys, session.<SqlNode>operand(2)), pos);
    }
}

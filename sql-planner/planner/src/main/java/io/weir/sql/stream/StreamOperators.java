package io.weir.sql.stream;

import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.util.SqlOperatorTables;

/** The operators continuous queries add to Calcite's standard ones. */
public final class StreamOperators {
    /** The CUMULATE window table function. */
    public static final SqlOperator CUMULATE = new CumulateTableFunction();

    /**
     * Marks the end of a group-window session: {@code SESSION_END(ts, gap)} is rewritten to
     * {@code $SESSION_END_OF(SESSION_START(ts, gap))} before validation, because Calcite plans
     * SESSION_END as the session's start (it cannot compute session bounds); the physical planner
     * replaces the marker with the window end the engine computes.
     */
    public static final SqlFunction SESSION_END_OF = new SqlFunction("$SESSION_END_OF", SqlKind.OTHER_FUNCTION,
            ReturnTypes.ARG0, null, OperandTypes.DATETIME, SqlFunctionCategory.SYSTEM);

    private static final SqlOperatorTable TABLE = SqlOperatorTables.chain(SqlStdOperatorTable.instance(),
            SqlOperatorTables.of(CUMULATE, SESSION_END_OF));

    private StreamOperators() {
    }

    /** Calcite's standard operators plus Weir's streaming ones. */
    public static SqlOperatorTable table() {
        return TABLE;
    }
}

package io.weir.sql.parser.ddl;

import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code EXPLAIN ANALYZE QUERY 'id'} (also without quotes): a running query's micro-batch DAG with each
 * operator's rows in and out, time spent and state.
 */
public final class SqlExplainAnalyzeQuery extends SqlQueryCommand {
    private static final SqlOperator OPERATOR =
            new DdlOperator("EXPLAIN ANALYZE QUERY", SqlKind.OTHER,
            (pos, o) -> new SqlExplainAnalyzeQuery(pos, o.string(0)));

    public SqlExplainAnalyzeQuery(SqlParserPos pos, SqlCharStringLiteral queryId) {
        super(pos, queryId);
    }

    @Override
    protected String keywords() {
        return "EXPLAIN ANALYZE QUERY";
    }

    @Override
    public SqlOperator getOperator() {
        return OPERATOR;
    }
}

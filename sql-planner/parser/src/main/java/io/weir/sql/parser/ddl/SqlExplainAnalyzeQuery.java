package io.weir.sql.parser.ddl;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import static java.util.Objects.requireNonNull;

/**
 * {@code EXPLAIN ANALYZE QUERY 'id'} (also without quotes): a running query's micro-batch DAG with each
 * operator's rows in and out, time spent and state.
 */
public final class SqlExplainAnalyzeQuery extends SqlCall {
    private static final SqlOperator OPERATOR =
            new DdlOperator("EXPLAIN ANALYZE QUERY", SqlKind.OTHER,
            (pos, o) -> new SqlExplainAnalyzeQuery(pos, o.string(0)));

    private final SqlCharStringLiteral queryId;

    public SqlExplainAnalyzeQuery(SqlParserPos pos, SqlCharStringLiteral queryId) {
        super(pos);
        this.queryId = requireNonNull(queryId, "queryId is null");
    }

    public String queryId() {
        return SqlStrings.value(queryId);
    }

    public SqlParserPos queryIdPosition() {
        return queryId.getParserPosition();
    }

    @Override
    public SqlOperator getOperator() {
        return OPERATOR;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return List.of(queryId);
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword("EXPLAIN ANALYZE QUERY");
        SqlStrings.unparse(writer, queryId);
    }
}

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
 * {@code STOP QUERY 'id'} (also {@code STOP QUERY id} or a number): stops a running continuous
 * query. The id is kept exactly as written.
 */
public final class SqlStopQuery extends SqlCall {
    private static final SqlOperator OPERATOR =
            new DdlOperator("STOP QUERY", SqlKind.OTHER,
            (pos, o) -> new SqlStopQuery(pos, o.string(0)));

    private final SqlCharStringLiteral queryId;

    public SqlStopQuery(SqlParserPos pos, SqlCharStringLiteral queryId) {
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
        writer.keyword("STOP QUERY");
        SqlStrings.unparse(writer, queryId);
    }
}

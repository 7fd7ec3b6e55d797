package io.weir.sql.parser.ddl;

import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code STOP QUERY 'id'} (also {@code STOP QUERY id} or a number): stops a running continuous
 * query. The id is kept exactly as written.
 */
public final class SqlStopQuery extends SqlQueryCommand {
    private static final SqlOperator OPERATOR =
            new DdlOperator("STOP QUERY", SqlKind.OTHER,
            (pos, o) -> new SqlStopQuery(pos, o.string(0)));

    public SqlStopQuery(SqlParserPos pos, SqlCharStringLiteral queryId) {
        super(pos, queryId);
    }

    @Override
    protected String keywords() {
        return "STOP QUERY";
    }

    @Override
    public SqlOperator getOperator() {
        return OPERATOR;
    }
}

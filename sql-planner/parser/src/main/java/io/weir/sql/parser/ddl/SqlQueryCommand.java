package io.weir.sql.parser.ddl;

import java.util.List;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import static java.util.Objects.requireNonNull;

/** A statement about one running query, named by its id as written: {@code <keywords> 'id'}. */
public abstract class SqlQueryCommand extends SqlCall {
    private final SqlCharStringLiteral queryId;

    protected SqlQueryCommand(SqlParserPos pos, SqlCharStringLiteral queryId) {
        super(pos);
        this.queryId = requireNonNull(queryId, "queryId is null");
    }

    /** The keywords before the id, as unparsed: {@code STOP QUERY}. */
    protected abstract String keywords();

    public String queryId() {
        return SqlStrings.value(queryId);
    }

    public SqlParserPos queryIdPosition() {
        return queryId.getParserPosition();
    }

    @Override
    public List<SqlNode> getOperandList() {
        return List.of(queryId);
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword(keywords());
        SqlStrings.unparse(writer, queryId);
    }
}

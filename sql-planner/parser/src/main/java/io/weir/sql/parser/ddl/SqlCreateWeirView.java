package io.weir.sql.parser.ddl;

import java.util.List;

import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

import static java.util.Objects.requireNonNull;

/**
 * {@code CREATE [OR REPLACE] VIEW [IF NOT EXISTS] name [(column, ...)] AS query}: a named query,
 * expanded where it is used.
 */
public final class SqlCreateWeirView extends SqlCreate {
    private static final SqlOperator OPERATOR =
            new DdlOperator("CREATE VIEW", SqlKind.OTHER_DDL,
            (pos, o) -> new SqlCreateWeirView(pos, o.bool(3), o.bool(4), o.identifier(0),
                    o.list(1), o.node(2)));

    private final SqlIdentifier name;
    private final SqlNodeList columnNames;
    private final SqlNode query;

    /** {@code columnNames} is null when the view takes its column names from the query. */
    public SqlCreateWeirView(SqlParserPos pos, boolean replace, boolean ifNotExists,
            SqlIdentifier name, SqlNodeList columnNames, SqlNode query) {
        super(OPERATOR, pos, replace, ifNotExists);
        this.name = requireNonNull(name, "name is null");
        this.columnNames = columnNames;
        this.query = requireNonNull(query, "query is null");
    }

    public SqlIdentifier name() {
        return name;
    }

    public boolean replace() {
        return getReplace();
    }

    public boolean ifNotExists() {
        return ifNotExists;
    }

    /** The column names given after the view name; empty when the query's names are used. */
    public List<SqlIdentifier> columnNames() {
        return columnNames == null
                ? List.of()
                : columnNames.stream().map(SqlIdentifier.class::cast).toList();
    }

    public SqlNode query() {
        return query;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return ImmutableNullableList.of(name, columnNames, query,
                DdlOperator.bool(getReplace()),
                DdlOperator.bool(ifNotExists));
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword(getReplace() ? "CREATE OR REPLACE" : "CREATE");
        writer.keyword("VIEW");
        if (ifNotExists) {
            writer.keyword("IF NOT EXISTS");
        }
        name.unparse(writer, 0, 0);
        if (columnNames != null) {
            DdlUnparse.list(writer, columnNames);
        }
        writer.keyword("AS");
        writer.newlineAndIndent();
        query.unparse(writer, 0, 0);
    }
}

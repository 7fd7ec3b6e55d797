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

import static java.util.Objects.requireNonNull;

/**
 * {@code CREATE [OR REPLACE] MATERIALIZED VIEW [IF NOT EXISTS] name [WITH (...)] AS query}: a query
 * that runs continuously and keeps its result queryable.
 */
public final class SqlCreateMaterializedView extends SqlCreate {
    private static final SqlOperator OPERATOR =
            new DdlOperator("CREATE MATERIALIZED VIEW", SqlKind.OTHER_DDL,
            (pos, o) -> new SqlCreateMaterializedView(pos, o.bool(3), o.bool(4), o.identifier(0),
                    o.list(1), o.node(2)));

    private final SqlIdentifier name;
    private final SqlNodeList options;
    private final SqlNode query;

    public SqlCreateMaterializedView(SqlParserPos pos, boolean replace, boolean ifNotExists,
            SqlIdentifier name, SqlNodeList options, SqlNode query) {
        super(OPERATOR, pos, replace, ifNotExists);
        this.name = requireNonNull(name, "name is null");
        this.options = requireNonNull(options, "options is null");
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

    /** The WITH options in the order written; empty without WITH. Keys are distinct. */
    public List<SqlOption> options() {
        return options.stream().map(SqlOption.class::cast).toList();
    }

    public SqlNode query() {
        return query;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return List.of(name, options, query,
                DdlOperator.bool(getReplace()),
                DdlOperator.bool(ifNotExists));
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword(getReplace() ? "CREATE OR REPLACE" : "CREATE");
        writer.keyword("MATERIALIZED VIEW");
        if (ifNotExists) {
            writer.keyword("IF NOT EXISTS");
        }
        name.unparse(writer, 0, 0);
        DdlUnparse.options(writer, options);
        writer.keyword("AS");
        writer.newlineAndIndent();
        query.unparse(writer, 0, 0);
    }
}

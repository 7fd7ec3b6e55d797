package io.weir.sql.parser.ddl;

import java.util.List;

import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

import static java.util.Objects.requireNonNull;

/**
 * A computed column: {@code name AS expression [COMMENT 'text']}, e.g. {@code pt AS PROCTIME()} or
 * {@code total AS price * qty}. The expression is not validated by the parser.
 */
public final class SqlComputedColumn extends SqlTableColumn {
    private static final SqlOperator OPERATOR = new DdlOperator("COMPUTED COLUMN", SqlKind.OTHER,
            (pos, o) -> new SqlComputedColumn(pos, o.identifier(0), o.node(1), o.string(2)));

    private final SqlNode expression;

    public SqlComputedColumn(SqlParserPos pos, SqlIdentifier name, SqlNode expression,
            SqlCharStringLiteral comment) {
        super(pos, name, comment);
        this.expression = requireNonNull(expression, "expression is null");
    }

    public SqlNode expression() {
        return expression;
    }

    @Override
    public SqlOperator getOperator() {
        return OPERATOR;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return ImmutableNullableList.of(name(), expression, commentLiteral());
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        name().unparse(writer, 0, 0);
        writer.keyword("AS");
        expression.unparse(writer, 0, 0);
        unparseComment(writer);
    }
}

package io.weir.sql.parser.ddl;

import java.util.List;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import static java.util.Objects.requireNonNull;

/**
 * {@code WATERMARK FOR column AS expression}: the event-time column of a stream and how far the
 * watermark trails it, typically {@code ts - INTERVAL '5' SECOND}. At most one per statement.
 */
public final class SqlWatermark extends SqlTableElement {
    private static final SqlOperator OPERATOR = new DdlOperator("WATERMARK", SqlKind.OTHER,
            (pos, o) -> new SqlWatermark(pos, o.identifier(0), o.node(1)));

    private final SqlIdentifier column;
    private final SqlNode expression;

    public SqlWatermark(SqlParserPos pos, SqlIdentifier column, SqlNode expression) {
        super(pos);
        this.column = requireNonNull(column, "column is null");
        this.expression = requireNonNull(expression, "expression is null");
    }

    /** The event-time column. */
    public SqlIdentifier column() {
        return column;
    }

    /** The watermark expression over the row's columns. */
    public SqlNode expression() {
        return expression;
    }

    @Override
    public SqlOperator getOperator() {
        return OPERATOR;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return List.of(column, expression);
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword("WATERMARK FOR");
        column.unparse(writer, 0, 0);
        writer.keyword("AS");
        expression.unparse(writer, 0, 0);
    }
}

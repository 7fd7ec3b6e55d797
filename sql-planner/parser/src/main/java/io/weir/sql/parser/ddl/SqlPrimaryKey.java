package io.weir.sql.parser.ddl;

import java.util.List;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import static java.util.Objects.requireNonNull;

/**
 * {@code PRIMARY KEY (column, ...) [NOT ENFORCED]}. Whether an enforced key is accepted is the
 * planner's decision. At most one per statement.
 */
public final class SqlPrimaryKey extends SqlTableElement {
    private static final SqlOperator OPERATOR = new DdlOperator("PRIMARY KEY", SqlKind.OTHER,
            (pos, o) -> new SqlPrimaryKey(pos, o.list(0), o.bool(1)));

    private final SqlNodeList columns;
    private final boolean enforced;

    public SqlPrimaryKey(SqlParserPos pos, SqlNodeList columns, boolean enforced) {
        super(pos);
        this.columns = requireNonNull(columns, "columns is null");
        this.enforced = enforced;
    }

    public List<SqlIdentifier> columns() {
        return columns.stream().map(SqlIdentifier.class::cast).toList();
    }

    /** False when NOT ENFORCED was written. */
    public boolean enforced() {
        return enforced;
    }

    @Override
    public SqlOperator getOperator() {
        return OPERATOR;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return List.of(columns, DdlOperator.bool(enforced));
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword("PRIMARY KEY");
        DdlUnparse.list(writer, columns);
        if (!enforced) {
            writer.keyword("NOT ENFORCED");
        }
    }
}

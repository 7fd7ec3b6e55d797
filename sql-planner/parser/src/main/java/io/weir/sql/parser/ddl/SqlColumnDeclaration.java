package io.weir.sql.parser.ddl;

import java.util.List;

import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

import static java.util.Objects.requireNonNull;

/**
 * A physical column: {@code name type [NOT NULL] [COMMENT 'text']}. The type's own nullability is
 * left unset; {@link #notNull()} carries the constraint.
 */
public final class SqlColumnDeclaration extends SqlTableColumn {
    private static final SqlOperator OPERATOR = new DdlOperator("COLUMN", SqlKind.OTHER,
            (pos, o) -> new SqlColumnDeclaration(pos, o.identifier(0), o.type(1), o.bool(2),
                    o.string(3)));

    private final SqlDataTypeSpec type;
    private final boolean notNull;

    public SqlColumnDeclaration(SqlParserPos pos, SqlIdentifier name, SqlDataTypeSpec type,
            boolean notNull, SqlCharStringLiteral comment) {
        super(pos, name, comment);
        this.type = requireNonNull(type, "type is null");
        this.notNull = notNull;
    }

    public SqlDataTypeSpec type() {
        return type;
    }

    public boolean notNull() {
        return notNull;
    }

    @Override
    public SqlOperator getOperator() {
        return OPERATOR;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return ImmutableNullableList.of(name(), type,
                DdlOperator.bool(notNull), commentLiteral());
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        name().unparse(writer, 0, 0);
        type.unparse(writer, 0, 0);
        if (notNull) {
            writer.keyword("NOT NULL");
        }
        unparseComment(writer);
    }
}

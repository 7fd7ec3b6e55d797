package io.weir.sql.parser.ddl;

import java.util.List;
import java.util.Optional;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

import static java.util.Objects.requireNonNull;

/**
 * {@code DESCRIBE [STREAM | TABLE | VIEW | MATERIALIZED VIEW] name}, also spelled {@code DESC}.
 * Without a kind, the planner looks the name up among all kinds.
 */
public final class SqlDescribeObject extends SqlCall {
    private static final SqlOperator OPERATOR = new DdlOperator("DESCRIBE", SqlKind.OTHER,
            (pos, o) -> new SqlDescribeObject(pos, o.symbol(0, ObjectKind.class), o.identifier(1)));

    private final ObjectKind kind;
    private final SqlIdentifier name;

    /** {@code kind} is null when the statement names no kind. */
    public SqlDescribeObject(SqlParserPos pos, ObjectKind kind, SqlIdentifier name) {
        super(pos);
        this.kind = kind;
        this.name = requireNonNull(name, "name is null");
    }

    public Optional<ObjectKind> kind() {
        return Optional.ofNullable(kind);
    }

    public SqlIdentifier name() {
        return name;
    }

    @Override
    public SqlOperator getOperator() {
        return OPERATOR;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return ImmutableNullableList.of(
                DdlOperator.symbol(kind), name);
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword("DESCRIBE");
        if (kind != null) {
            writer.keyword(kind.sql());
        }
        name.unparse(writer, 0, 0);
    }
}

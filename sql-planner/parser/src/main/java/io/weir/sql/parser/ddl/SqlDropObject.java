package io.weir.sql.parser.ddl;

import java.util.List;

import org.apache.calcite.sql.SqlDrop;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import static java.util.Objects.requireNonNull;

/**
 * {@code DROP STREAM | TABLE | VIEW | MATERIALIZED VIEW [IF EXISTS] name [CASCADE | RESTRICT]}: with
 * {@code CASCADE}, what depends on the object is stopped and dropped with it; {@code RESTRICT} (the
 * default) refuses to drop an object that something depends on.
 */
public final class SqlDropObject extends SqlDrop {
    private static final SqlOperator OPERATOR = new DdlOperator("DROP", SqlKind.OTHER_DDL,
            (pos, o) -> new SqlDropObject(pos, o.symbol(0, ObjectKind.class), o.bool(2),
                    o.identifier(1), o.bool(3)));

    private final ObjectKind kind;
    private final SqlIdentifier name;
    private final boolean cascade;

    public SqlDropObject(SqlParserPos pos, ObjectKind kind, boolean ifExists, SqlIdentifier name, boolean cascade) {
        super(OPERATOR, pos, ifExists);
        this.kind = requireNonNull(kind, "kind is null");
        this.name = requireNonNull(name, "name is null");
        this.cascade = cascade;
    }

    public ObjectKind kind() {
        return kind;
    }

    public boolean ifExists() {
        return ifExists;
    }

    public SqlIdentifier name() {
        return name;
    }

    /** Whether {@code CASCADE} was given. */
    public boolean cascade() {
        return cascade;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return List.of(DdlOperator.symbol(kind), name,
                DdlOperator.bool(ifExists), DdlOperator.bool(cascade));
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword("DROP");
        writer.keyword(kind.sql());
        if (ifExists) {
            writer.keyword("IF EXISTS");
        }
        name.unparse(writer, 0, 0);
        if (cascade) {
            writer.keyword("CASCADE");
        }
    }
}

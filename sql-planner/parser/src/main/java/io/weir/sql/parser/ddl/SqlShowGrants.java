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

/** {@code SHOW GRANTS [FOR user]}: the privileges granted (to one user). */
public final class SqlShowGrants extends SqlCall {
    private static final SqlOperator OPERATOR = new DdlOperator("SHOW GRANTS", SqlKind.OTHER,
            (pos, o) -> new SqlShowGrants(pos, (SqlIdentifier) o.node(0)));

    private final SqlIdentifier user;

    /** @param user whose grants; null for everyone's */
    public SqlShowGrants(SqlParserPos pos, SqlIdentifier user) {
        super(pos);
        this.user = user;
    }

    public Optional<SqlIdentifier> user() {
        return Optional.ofNullable(user);
    }

    @Override
    public SqlOperator getOperator() {
        return OPERATOR;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return ImmutableNullableList.of(user);
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword("SHOW GRANTS");
        if (user != null) {
            writer.keyword("FOR");
            user.unparse(writer, 0, 0);
        }
    }
}

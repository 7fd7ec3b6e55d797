package io.weir.sql.parser.ddl;

import java.util.List;

import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import static java.util.Objects.requireNonNull;

/** {@code CREATE TOKEN name FOR USER user}: a bearer token that authenticates as {@code user}. */
public final class SqlCreateToken extends SqlCreate {
    private static final SqlOperator OPERATOR = new DdlOperator("CREATE TOKEN", SqlKind.OTHER_DDL,
            (pos, o) -> new SqlCreateToken(pos, o.identifier(0), o.identifier(1)));

    private final SqlIdentifier name;
    private final SqlIdentifier user;

    public SqlCreateToken(SqlParserPos pos, SqlIdentifier name, SqlIdentifier user) {
        super(OPERATOR, pos, false, false);
        this.name = requireNonNull(name, "name is null");
        this.user = requireNonNull(user, "user is null");
    }

    public SqlIdentifier name() {
        return name;
    }

    public SqlIdentifier user() {
        return user;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return List.of(name, user);
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword("CREATE TOKEN");
        name.unparse(writer, 0, 0);
        writer.keyword("FOR USER");
        user.unparse(writer, 0, 0);
    }
}

package io.weir.sql.parser.ddl;

import java.util.List;
import java.util.Optional;

import org.apache.calcite.sql.SqlCall;
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
 * {@code ALTER USER name [WITH] PASSWORD 'password' | ADMIN | NOADMIN ...}: changes a user's password or
 * admin attribute; unparsed with the password masked.
 */
public final class SqlAlterUser extends SqlCall {
    private static final SqlOperator OPERATOR = new DdlOperator("ALTER USER", SqlKind.OTHER_DDL,
            (pos, o) -> new SqlAlterUser(pos, o.identifier(0), o.string(1), SqlCreateUser.UserOptions.admin(o.node(2))));

    private final SqlIdentifier name;
    private final SqlCharStringLiteral password;
    private final Boolean admin;

    /** {@code password} and {@code admin} are null when not changed. */
    public SqlAlterUser(SqlParserPos pos, SqlIdentifier name, SqlCharStringLiteral password, Boolean admin) {
        super(pos);
        this.name = requireNonNull(name, "name is null");
        this.password = password;
        this.admin = admin;
    }

    public SqlIdentifier name() {
        return name;
    }

    /** The new password, if one was given. */
    public Optional<String> password() {
        return Optional.ofNullable(password).map(SqlStrings::value);
    }

    /** The new admin attribute, if ADMIN or NOADMIN was given. */
    public Optional<Boolean> admin() {
        return Optional.ofNullable(admin);
    }

    @Override
    public SqlOperator getOperator() {
        return OPERATOR;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return ImmutableNullableList.of(name, password, SqlCreateUser.UserOptions.literal(admin));
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword("ALTER USER");
        name.unparse(writer, 0, 0);
        SqlCreateUser.UserOptions.unparse(writer, password, admin);
    }
}

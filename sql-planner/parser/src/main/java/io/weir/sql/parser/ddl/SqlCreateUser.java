package io.weir.sql.parser.ddl;

import java.util.List;
import java.util.Optional;

import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

import static java.util.Objects.requireNonNull;

/**
 * {@code CREATE USER [IF NOT EXISTS] name [WITH] PASSWORD 'password' [ADMIN | NOADMIN]}. Unparsed with
 * the password masked, so that the statement never shows it where it is printed.
 */
public final class SqlCreateUser extends SqlCreate {
    private static final SqlOperator OPERATOR = new DdlOperator("CREATE USER", SqlKind.OTHER_DDL,
            (pos, o) -> new SqlCreateUser(pos, o.bool(3), o.identifier(0), o.string(1), UserOptions.admin(o.node(2))));

    private final SqlIdentifier name;
    private final SqlCharStringLiteral password;
    private final Boolean admin;

    /** {@code password} is null when none was given; {@code admin} null when neither ADMIN nor NOADMIN was. */
    public SqlCreateUser(SqlParserPos pos, boolean ifNotExists, SqlIdentifier name, SqlCharStringLiteral password,
            Boolean admin) {
        super(OPERATOR, pos, false, ifNotExists);
        this.name = requireNonNull(name, "name is null");
        this.password = password;
        this.admin = admin;
    }

    public SqlIdentifier name() {
        return name;
    }

    public boolean ifNotExists() {
        return ifNotExists;
    }

    public Optional<String> password() {
        return Optional.ofNullable(password).map(SqlStrings::value);
    }

    /** Whether ADMIN was given (NOADMIN, or neither: false). */
    public boolean admin() {
        return Boolean.TRUE.equals(admin);
    }

    @Override
    public List<SqlNode> getOperandList() {
        return ImmutableNullableList.of(name, password, UserOptions.literal(admin), DdlOperator.bool(ifNotExists));
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword("CREATE USER");
        if (ifNotExists) {
            writer.keyword("IF NOT EXISTS");
        }
        name.unparse(writer, 0, 0);
        UserOptions.unparse(writer, password, admin);
    }

    /** What CREATE USER and ALTER USER share: the options and how they are written. */
    static final class UserOptions {
        private UserOptions() {
        }

        static Boolean admin(SqlNode literal) {
            return literal == null ? null : ((SqlLiteral) literal).booleanValue();
        }

        static SqlLiteral literal(Boolean admin) {
            return admin == null ? null : DdlOperator.bool(admin);
        }

        static void unparse(SqlWriter writer, SqlCharStringLiteral password, Boolean admin) {
            if (password != null) {
                writer.keyword("WITH PASSWORD");
                writer.literal("'********'");
            }
            if (admin != null) {
                writer.keyword(admin ? "ADMIN" : "NOADMIN");
            }
        }
    }
}

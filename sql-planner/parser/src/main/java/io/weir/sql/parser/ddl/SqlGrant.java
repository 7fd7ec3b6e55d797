package io.weir.sql.parser.ddl;

import java.util.ArrayList;
import java.util.List;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

import static java.util.Objects.requireNonNull;

/**
 * {@code GRANT privilege [, ...] ON STREAM | TABLE | MATERIALIZED VIEW | CONNECTOR name TO user},
 * {@code GRANT CREATE TO user}, and the same with {@code REVOKE ... FROM user}.
 */
public final class SqlGrant extends SqlCall {
    private static final SqlOperator OPERATOR = new DdlOperator("GRANT", SqlKind.OTHER_DDL,
            (pos, o) -> new SqlGrant(pos, o.bool(0), privileges(o.list(1)), o.symbol(2, GrantTarget.class),
                    (SqlIdentifier) o.node(3), o.identifier(4)));

    private final boolean revoke;
    private final List<GrantPrivilege> privileges;
    private final GrantTarget target;
    private final SqlIdentifier object;
    private final SqlIdentifier user;

    /** @param object the stream, table, view or connector; null for {@link GrantTarget#SERVER} */
    public SqlGrant(SqlParserPos pos, boolean revoke, List<GrantPrivilege> privileges, GrantTarget target,
                    SqlIdentifier object, SqlIdentifier user) {
        super(pos);
        this.revoke = revoke;
        this.privileges = List.copyOf(privileges);
        this.target = requireNonNull(target, "target is null");
        this.object = target == GrantTarget.SERVER ? null : requireNonNull(object, "object is null");
        this.user = requireNonNull(user, "user is null");
    }

    private static List<GrantPrivilege> privileges(SqlNodeList list) {
        List<GrantPrivilege> privileges = new ArrayList<>();
        for (SqlNode node : list) {
            privileges.add(((SqlLiteral) node).getValueAs(GrantPrivilege.class));
        }
        return privileges;
    }

    /** Whether this is a REVOKE. */
    public boolean revoke() {
        return revoke;
    }

    public List<GrantPrivilege> privileges() {
        return privileges;
    }

    public GrantTarget target() {
        return target;
    }

    /** The object or connector; null for {@link GrantTarget#SERVER}. */
    public SqlIdentifier object() {
        return object;
    }

    public SqlIdentifier user() {
        return user;
    }

    @Override
    public SqlOperator getOperator() {
        return OPERATOR;
    }

    @Override
    public List<SqlNode> getOperandList() {
        List<SqlNode> list = new ArrayList<>();
        for (GrantPrivilege privilege : privileges) {
            list.add(DdlOperator.symbol(privilege));
        }
        return ImmutableNullableList.of(DdlOperator.bool(revoke), new SqlNodeList(list, SqlParserPos.ZERO),
                DdlOperator.symbol(target), object, user);
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword(revoke ? "REVOKE" : "GRANT");
        writer.keyword(String.join(", ", privileges.stream().map(Enum::name).toList()));
        if (object != null) {
            writer.keyword("ON");
            writer.keyword(target.sql());
            object.unparse(writer, 0, 0);
        }
        writer.keyword(revoke ? "FROM" : "TO");
        user.unparse(writer, 0, 0);
    }
}

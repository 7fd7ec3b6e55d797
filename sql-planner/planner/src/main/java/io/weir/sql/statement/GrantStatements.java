package io.weir.sql.statement;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.Connectors;
import io.weir.spi.type.DataType;
import io.weir.sql.auth.Authorizer;
import io.weir.sql.auth.Grant;
import io.weir.sql.auth.Privilege;
import io.weir.sql.auth.Securable;
import io.weir.sql.auth.SessionUser;
import io.weir.sql.auth.User;
import io.weir.sql.auth.UserDirectory;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.ddl.DdlExecutor;
import io.weir.sql.parser.ddl.GrantPrivilege;
import io.weir.sql.parser.ddl.GrantTarget;
import io.weir.sql.parser.ddl.SqlGrant;
import io.weir.sql.parser.ddl.SqlShowGrants;
import org.apache.calcite.sql.SqlIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * GRANT, REVOKE and SHOW GRANTS. Grants are kept with the users ({@link UserDirectory}); only admins change
 * them (the {@link Authorizer} checks that first), and a user who is not an admin sees its own.
 */
final class GrantStatements {
    private static final Logger LOG = LoggerFactory.getLogger(GrantStatements.class);
    private static final DataType TEXT = DataType.varchar().withNullable(false);
    static final List<ResultColumn> GRANT_COLUMNS = List.of(new ResultColumn("user_name", TEXT),
            new ResultColumn("privilege", TEXT), new ResultColumn("object_kind", TEXT), new ResultColumn("object_name", TEXT),
            new ResultColumn("granted", DataType.timestamp(3).withNullable(false)), new ResultColumn("grantor", TEXT));

    private final Catalog catalog;
    private final UserDirectory users;
    private final Authorizer authorizer;

    GrantStatements(Catalog catalog, Authorizer authorizer) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.users = catalog.users();
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
    }

    StatementResult execute(SessionUser user, SqlGrant grant) {
        try {
            return change(user, grant);
        } catch (WeirException e) {
            throw e.position().isPresent() ? e
                    : new WeirException(e.errorCode(), SqlErrors.position(grant.getParserPosition()), e.rawMessage(), e);
        }
    }

    private StatementResult change(SessionUser user, SqlGrant grant) {
        String grantee = name(grant.user());
        User target = users.user(grantee).orElseThrow(() -> new WeirException(ErrorCode.UNKNOWN_OBJECT,
                SqlErrors.position(grant.user().getParserPosition()), "User '" + grantee + "' does not exist. SHOW USERS lists them"));
        Securable on = securable(grant);
        Set<Privilege> privileges = privileges(grant, on);
        List<String> warnings = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (Privilege privilege : privileges) {
            boolean done = grant.revoke() ? users.revoke(target.name(), privilege, on)
                    : users.grant(target.name(), privilege, on, user.anonymous() ? "anonymous" : user.name());
            if (done) {
                changed.add(privilege.name());
            } else {
                warnings.add("User '" + target.name() + "' " + (grant.revoke() ? "did not have " : "already had ") + privilege
                        + (on.kind() == Securable.Kind.SERVER ? "" : " on " + on.describe()));
            }
        }
        if (!grant.revoke() && target.admin()) {
            warnings.add("User '" + target.name() + "' is an admin, who may do everything whatever is granted");
        }
        if (on.kind() == Securable.Kind.CONNECTOR && !Authorizer.needsUsage(on.name())) {
            warnings.add("Connector '" + on.name() + "' needs no USAGE grant: CREATE alone lets a user create streams with it;"
                    + " USAGE is for " + String.join(", ", Authorizer.CONNECTORS_NEEDING_USAGE));
        }
        String what = String.join(", ", privileges.stream().map(Enum::name).toList())
                + (on.kind() == Securable.Kind.SERVER ? "" : " on " + on.describe());
        if (!changed.isEmpty()) {
            LOG.info("{} {} {} {} user '{}'", user, grant.revoke() ? "revoked" : "granted", String.join(", ", changed)
                    + (on.kind() == Securable.Kind.SERVER ? "" : " on " + on.describe()), grant.revoke() ? "from" : "to",
                    target.name());
        }
        return new StatementResult.UpdateCount(0, (grant.revoke() ? "Revoked " + what + " from" : "Granted " + what + " to")
                + " user '" + target.name() + "'", warnings);
    }

    /** What the grant is on, which must exist with the kind named. */
    private Securable securable(SqlGrant grant) {
        if (grant.target() == GrantTarget.SERVER) {
            return Securable.SERVER;
        }
        SqlIdentifier identifier = grant.object();
        if (grant.target() == GrantTarget.CONNECTOR) {
            String connector = name(identifier).toLowerCase(Locale.ROOT);
            try {
                return Securable.connector(Connectors.find(connector).name());
            } catch (WeirException e) {
                throw new WeirException(e.errorCode(), SqlErrors.position(identifier.getParserPosition()), e.rawMessage(), e);
            }
        }
        String name = DdlExecutor.objectName(identifier);
        Securable.Kind kind = switch (grant.target()) {
            case STREAM -> Securable.Kind.STREAM;
            case TABLE -> Securable.Kind.TABLE;
            default -> Securable.Kind.MATERIALIZED_VIEW;
        };
        CatalogObject object = catalog.get(name).orElseThrow(() -> new WeirException(ErrorCode.UNKNOWN_OBJECT,
                SqlErrors.position(identifier.getParserPosition()), kind.displayName().substring(0, 1).toUpperCase(Locale.ROOT)
                + kind.displayName().substring(1) + " '" + name + "' does not exist. SHOW " + kind.sql() + "S lists them"));
        Securable on = Catalog.securable(object).orElseThrow(() -> new WeirException(ErrorCode.VALIDATION_ERROR,
                SqlErrors.position(identifier.getParserPosition()), "'" + object.name() + "' is a view, which has no privileges"
                + " of its own: a user may read it who may read what it reads (GRANT SELECT on those)"));
        if (on.kind() != kind) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, SqlErrors.position(identifier.getParserPosition()),
                    "'" + object.name() + "' is a " + on.kind().displayName() + ": GRANT ... ON " + on.kind().sql() + " "
                            + object.name());
        }
        return on;
    }

    /** The privileges named, ALL expanded: SELECT and INSERT (SELECT alone on a materialized view). */
    private static Set<Privilege> privileges(SqlGrant grant, Securable on) {
        Set<Privilege> privileges = new LinkedHashSet<>();
        for (GrantPrivilege privilege : grant.privileges()) {
            switch (privilege) {
                case ALL -> {
                    privileges.add(Privilege.SELECT);
                    if (on.kind() != Securable.Kind.MATERIALIZED_VIEW) {
                        privileges.add(Privilege.INSERT);
                    }
                }
                case INSERT -> {
                    if (on.kind() == Securable.Kind.MATERIALIZED_VIEW) {
                        throw new WeirException(ErrorCode.VALIDATION_ERROR, SqlErrors.position(grant.getParserPosition()),
                                "Only its query writes materialized view '" + on.name() + "'; grant SELECT on it");
                    }
                    privileges.add(Privilege.INSERT);
                }
                default -> privileges.add(Privilege.valueOf(privilege.name()));
            }
        }
        return privileges;
    }

    /** SHOW GRANTS [FOR user]: an admin sees anyone's, a user its own. */
    StatementResult.Rows show(SessionUser viewer, SqlShowGrants show) {
        boolean admin = authorizer.isAdmin(viewer);
        String of = show.user().map(GrantStatements::name).orElse(null);
        if (of != null && !admin && (viewer.anonymous() || !viewer.name().equalsIgnoreCase(of))) {
            throw new WeirException(ErrorCode.INSUFFICIENT_PRIVILEGE, SqlErrors.position(show.getParserPosition()),
                    "Only admins may see other users' grants; SHOW GRANTS shows yours");
        }
        if (of != null && users.user(of).isEmpty()) {
            throw new WeirException(ErrorCode.UNKNOWN_OBJECT, SqlErrors.position(show.getParserPosition()),
                    "User '" + of + "' does not exist. SHOW USERS lists them");
        }
        List<Object[]> rows = new ArrayList<>();
        for (Grant grant : users.grants()) {
            boolean shown = of != null ? grant.user().equalsIgnoreCase(of)
                    : admin || !viewer.anonymous() && grant.user().equalsIgnoreCase(viewer.name());
            if (shown) {
                rows.add(new Object[] {grant.user(), grant.privilege().name(),
                        grant.on().kind() == Securable.Kind.SERVER ? "SERVER" : grant.on().kind().sql(),
                        grant.on().name(), grant.granted().toEpochMilli(), grant.grantor()});
            }
        }
        return StatementResult.Rows.of(GRANT_COLUMNS, rows);
    }

    private static String name(SqlIdentifier identifier) {
        if (!identifier.isSimple()) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, SqlErrors.position(identifier.getParserPosition()),
                    "Invalid name '" + identifier + "': users and connectors have simple names");
        }
        return identifier.getSimple();
    }
}

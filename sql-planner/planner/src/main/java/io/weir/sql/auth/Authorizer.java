package io.weir.sql.auth;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ObjectReference;
import io.weir.sql.catalog.ObjectType;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Decides what a session's user may do and see. Admins may do everything; other users what they were
 * granted ({@link UserDirectory#grant}); on a server without users (authentication off) everyone is
 * treated as an admin, as before users existed. Grants are looked up at each check, so GRANT and REVOKE
 * take effect at once, for open sessions too.
 *
 * <p>A view has no privileges of its own: whoever may read everything it reads may read it. Streams,
 * tables and materialized views are read with {@link Privilege#SELECT}; a materialized view's own
 * sources are not checked (it is a table of its own).
 */
public final class Authorizer {
    /** The connectors that reach outside the server (files, hosts), whose use needs {@link Privilege#USAGE}. */
    public static final List<String> CONNECTORS_NEEDING_USAGE = List.of("file", "jdbc", "webhook", "socket", "zeromq", "flume", "kinesis");

    private final Catalog catalog;
    private final UserDirectory users;

    public Authorizer(Catalog catalog) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.users = catalog.users();
    }

    /** Whether {@code user} may do everything: an admin, or anyone on a server without users. */
    public boolean isAdmin(SessionUser user) {
        return users.isAdmin(user);
    }

    /**
     * Checks every requirement.
     *
     * @throws WeirException {@link ErrorCode#INSUFFICIENT_PRIVILEGE} (42501) naming the first one missing, and
     *         the GRANT that would give it
     */
    public void check(SessionUser user, List<Requirement> requirements) {
        if (requirements.isEmpty() || isAdmin(user)) {
            return;
        }
        for (Requirement requirement : requirements) {
            if (requirement instanceof Requirement.Admin admin) {
                throw notAdmin(user, admin.action());
            } else if (requirement instanceof Requirement.SelfOrAdmin self) {
                if (user.anonymous() || !user.name().equalsIgnoreCase(self.user())) {
                    throw notAdmin(user, self.action());
                }
            } else if (requirement instanceof Requirement.OnObject on) {
                checkObject(user, on.privilege(), on.object(), null);
            } else if (requirement instanceof Requirement.Create) {
                if (!holds(user, Privilege.CREATE, Securable.SERVER)) {
                    throw denied(user, Privilege.CREATE, Securable.SERVER, "");
                }
            } else if (requirement instanceof Requirement.ConnectorUsage usage) {
                Securable connector = Securable.connector(usage.connector());
                if (needsUsage(usage.connector()) && !holds(user, Privilege.USAGE, connector)) {
                    throw denied(user, Privilege.USAGE, connector, "");
                }
            }
        }
    }

    /** Whether creating an object with this connector needs {@link Privilege#USAGE} on it. */
    public static boolean needsUsage(String connector) {
        return CONNECTORS_NEEDING_USAGE.contains(connector.trim().toLowerCase(Locale.ROOT));
    }

    /** Whether {@code user} may read {@code object} (for a view: everything it reads), so see it in metadata. */
    /** Whether {@code user} may read the server's metrics: admins and users granted METRICS. */
    public boolean mayReadMetrics(SessionUser user) {
        return isAdmin(user) || holds(user, Privilege.METRICS, Securable.SERVER);
    }

    public boolean maySelect(SessionUser user, CatalogObject object) {
        return isAdmin(user) || unreadable(user, object, new HashSet<>()).isEmpty();
    }

    /**
     * Whether {@code user} sees (SHOW QUERIES, sys.queries) and may stop a query started by {@code owner}: its
     * own, or any for an admin. A query without a recorded owner is an admin's.
     */
    public boolean seesQuery(SessionUser user, Optional<String> owner) {
        return isAdmin(user) || !user.anonymous() && owner.filter(name -> name.equalsIgnoreCase(user.name())).isPresent();
    }

    private boolean holds(SessionUser user, Privilege privilege, Securable on) {
        return !user.anonymous() && users.granted(user.name(), privilege, on);
    }

    private void checkObject(SessionUser user, Privilege privilege, CatalogObject object, CatalogObject through) {
        if (object.type() == ObjectType.VIEW) {
            Optional<CatalogObject> missing = unreadable(user, object, new HashSet<>());
            if (missing.isPresent()) {
                CatalogObject base = missing.get();
                Securable on = Catalog.securable(base).orElseThrow();
                throw denied(user, Privilege.SELECT, on, ", which " + object.type().displayName() + " '" + object.name()
                        + "' reads");
            }
            return;
        }
        Securable on = Catalog.securable(object).orElseThrow();
        if (!holds(user, privilege, on)) {
            throw denied(user, privilege, on, "");
        }
    }

    /** The first object {@code object} reads (itself, unless a view) that {@code user} may not select. */
    private Optional<CatalogObject> unreadable(SessionUser user, CatalogObject object, Set<String> seen) {
        if (!seen.add(object.id())) {
            return Optional.empty();
        }
        if (object.type() != ObjectType.VIEW) {
            Securable on = Catalog.securable(object).orElseThrow();
            return holds(user, Privilege.SELECT, on) ? Optional.empty() : Optional.of(object);
        }
        if (object.dependencies() == null) {
            // what a view of an old catalog reads is recorded at start; one that could not be planned then
            // cannot be queried either, and a query of it is checked on what it reads when planned
            return Optional.empty();
        }
        for (ObjectReference reference : object.dependencies()) {
            Optional<CatalogObject> read = catalog.resolve(reference);
            if (read.isPresent()) {
                Optional<CatalogObject> missing = unreadable(user, read.get(), seen);
                if (missing.isPresent()) {
                    return missing;
                }
            }
        }
        return Optional.empty();
    }

    private static WeirException notAdmin(SessionUser user, String action) {
        return new WeirException(ErrorCode.INSUFFICIENT_PRIVILEGE, "Only admins may " + action + "; "
                + (user.anonymous() ? "log in as an admin (user and password)" : user + " is not an admin"));
    }

    private static WeirException denied(SessionUser user, Privilege privilege, Securable on, String detail) {
        String grantee = user.anonymous() ? "<user>" : user.name();
        return new WeirException(ErrorCode.INSUFFICIENT_PRIVILEGE, (user.anonymous() ? "An anonymous session" : user.toString())
                + " lacks " + privilege + (on.kind() == Securable.Kind.SERVER ? "" : " on " + on.describe()) + detail
                + "; an admin can run GRANT " + privilege + on.grantSql() + " TO " + grantee);
    }
}

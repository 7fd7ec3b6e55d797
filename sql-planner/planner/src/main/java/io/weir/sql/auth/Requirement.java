package io.weir.sql.auth;

import io.weir.sql.catalog.CatalogObject;

import static java.util.Objects.requireNonNull;

/** One thing a statement needs its user to hold; checked by the {@link Authorizer} before it runs. */
public sealed interface Requirement {
    /** Only an admin may do this; {@code action} completes "Only admins may ...". */
    record Admin(String action) implements Requirement {
        public Admin {
            requireNonNull(action, "action is null");
        }
    }

    /** The user named {@code user} itself, or an admin; {@code action} completes "Only admins may ...". */
    record SelfOrAdmin(String user, String action) implements Requirement {
        public SelfOrAdmin {
            requireNonNull(user, "user is null");
            requireNonNull(action, "action is null");
        }
    }

    /** A privilege on a stream, table or materialized view; on a view, SELECT on everything it reads. */
    record OnObject(Privilege privilege, CatalogObject object) implements Requirement {
        public OnObject {
            requireNonNull(privilege, "privilege is null");
            requireNonNull(object, "object is null");
        }
    }

    /** {@link Privilege#CREATE}: DDL and persistent queries. */
    record Create() implements Requirement {
    }

    /** {@link Privilege#USAGE} of a connector, for those that reach outside the server. */
    record ConnectorUsage(String connector) implements Requirement {
        public ConnectorUsage {
            requireNonNull(connector, "connector is null");
        }
    }
}

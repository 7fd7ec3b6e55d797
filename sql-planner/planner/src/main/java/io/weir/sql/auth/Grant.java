package io.weir.sql.auth;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * A privilege granted to a user, as {@code SHOW GRANTS} lists it.
 *
 * @param user    the user holding it, as registered
 * @param granted when it was granted
 * @param grantor who granted it (a user's name; {@code anonymous} on a server that had no users then)
 */
public record Grant(String user, Privilege privilege, Securable on, Instant granted, String grantor) {
    public Grant {
        requireNonNull(user, "user is null");
        requireNonNull(privilege, "privilege is null");
        requireNonNull(on, "on is null");
        requireNonNull(granted, "granted is null");
        requireNonNull(grantor, "grantor is null");
    }

    /** Whether this grant gives {@code user} the {@code privilege} on {@code on}. */
    boolean gives(String userName, Privilege wanted, Securable target) {
        return user.equalsIgnoreCase(userName) && privilege == wanted && on.sameAs(target);
    }
}

package io.weir.sql.auth;

import static java.util.Objects.requireNonNull;

/**
 * Who runs a session's statements: a user authenticated by the server, or {@link #ANONYMOUS} on a server
 * without users (authentication off), where anyone who reaches the port may do anything. What a user may
 * do is looked up in the {@link UserDirectory} when it matters, so that ALTER USER and DROP USER take
 * effect at once.
 *
 * @param name      the user's name as registered; {@code "anonymous"} for {@link #ANONYMOUS}
 * @param anonymous whether no user was authenticated
 */
public record SessionUser(String name, boolean anonymous) {
    /** The session of a client on a server without users. */
    public static final SessionUser ANONYMOUS = new SessionUser("anonymous", true);

    public SessionUser {
        requireNonNull(name, "name is null");
    }

    /** The session of the registered user {@code name}. */
    public static SessionUser of(String name) {
        return new SessionUser(name, false);
    }

    @Override
    public String toString() {
        return anonymous ? "anonymous" : "user '" + name + "'";
    }
}

package io.weir.sql.auth;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * A user of the server: the name it logs in with, its password as a verifier (never the password), and
 * whether it is an admin (may manage users and tokens).
 */
public record User(String name, ScramVerifier verifier, boolean admin, Instant created) {
    public User {
        requireNonNull(name, "name is null");
        requireNonNull(verifier, "verifier is null");
        requireNonNull(created, "created is null");
    }

    User withVerifier(ScramVerifier newVerifier) {
        return new User(name, newVerifier, admin, created);
    }

    User withAdmin(boolean newAdmin) {
        return new User(name, verifier, newAdmin, created);
    }
}

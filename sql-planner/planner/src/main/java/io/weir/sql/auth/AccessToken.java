package io.weir.sql.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

import static java.util.Objects.requireNonNull;

/**
 * A bearer token of a user, for clients that cannot keep a password (HTTP ingest from devices and
 * scripts): {@code Authorization: Bearer <token>} authenticates as {@link #user}. The token is shown once,
 * when it is created; only its SHA-256 hash is kept. A token has 256 random bits, so a plain hash suffices
 * (nothing to guess from it, unlike a password).
 *
 * @param name    the token's name, for SHOW TOKENS and DROP TOKEN
 * @param user    the user it authenticates as
 * @param sha256  SHA-256 of the token text, Base64
 * @param created when it was created
 */
public record AccessToken(String name, String user, String sha256, Instant created) {
    /** Every token starts so, which tells it from a password in a log or a leak scanner's eyes. */
    static final String PREFIX = "weir_";
    private static final SecureRandom RANDOM = new SecureRandom();

    public AccessToken {
        requireNonNull(name, "name is null");
        requireNonNull(user, "user is null");
        requireNonNull(sha256, "sha256 is null");
        requireNonNull(created, "created is null");
    }

    /** A new random token text: {@code weir_} and 43 characters (32 bytes, Base64url). */
    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String secret) {
        return Base64.getEncoder().encodeToString(ScramVerifier.sha256(secret.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether {@code secretHash} (see {@link #hash}) is this token's; in constant time. */
    boolean matches(byte[] secretHash) {
        return MessageDigest.isEqual(Base64.getDecoder().decode(sha256), secretHash);
    }
}

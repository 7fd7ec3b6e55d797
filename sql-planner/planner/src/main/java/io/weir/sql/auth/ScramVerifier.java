package io.weir.sql.auth;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A salted SCRAM-SHA-256 password verifier (RFC 5802, RFC 7677), in PostgreSQL's text form
 * {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>} (Base64): what is stored instead of a
 * password. It checks a password given in clear (HTTP Basic), and holds what a SCRAM exchange needs
 * (salt, iteration count, StoredKey, ServerKey), so a PostgreSQL-protocol endpoint can authenticate the
 * same users with SCRAM, and verifiers can be moved between Weir and PostgreSQL ({@code pg_authid.rolpassword}).
 *
 * <p>{@code SaltedPassword = PBKDF2-HMAC-SHA-256(SASLprep(password), salt, iterations)},
 * {@code StoredKey = SHA-256(HMAC(SaltedPassword, "Client Key"))},
 * {@code ServerKey = HMAC(SaltedPassword, "Server Key")}.
 */
public final class ScramVerifier {
    /** PostgreSQL's default ({@code scram_iterations}), and RFC 7677's minimum. */
    public static final int DEFAULT_ITERATIONS = 4096;
    /** PostgreSQL's salt length. */
    static final int SALT_BYTES = 16;
    private static final String MECHANISM = "SCRAM-SHA-256";
    private static final Pattern FORMAT = Pattern.compile(
            "SCRAM-SHA-256\\$(\\d{1,9}):([A-Za-z0-9+/=]+)\\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)");
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;
    private final byte[] salt;
    private final byte[] storedKey;
    private final byte[] serverKey;

    private ScramVerifier(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive: " + iterations);
        }
        if (salt.length == 0 || storedKey.length != KEY_BYTES || serverKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("a SCRAM-SHA-256 verifier has a salt and two keys of " + KEY_BYTES + " bytes");
        }
        this.iterations = iterations;
        this.salt = salt.clone();
        this.storedKey = storedKey.clone();
        this.serverKey = serverKey.clone();
    }

    /** A verifier of {@code password} with a new random salt and {@link #DEFAULT_ITERATIONS}. */
    public static ScramVerifier create(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return create(password, salt, DEFAULT_ITERATIONS);
    }

    /** A verifier of {@code password} with this salt and iteration count. */
    public static ScramVerifier create(String password, byte[] salt, int iterations) {
        requireNonNull(password, "password is null");
        byte[] saltedPassword = saltedPassword(SaslPrep.passwordBytes(password), salt, iterations);
        return new ScramVerifier(iterations, salt, sha256(hmac(saltedPassword, "Client Key")), hmac(saltedPassword, "Server Key"));
    }

    /**
     * Reads PostgreSQL's text form.
     *
     * @throws IllegalArgumentException when {@code text} is not a SCRAM-SHA-256 verifier
     */
    public static ScramVerifier parse(String text) {
        Matcher matcher = FORMAT.matcher(requireNonNull(text, "text is null"));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a SCRAM-SHA-256 verifier (" + MECHANISM + "$<iterations>:<salt>$<StoredKey>:<ServerKey>)");
        }
        Base64.Decoder base64 = Base64.getDecoder();
        return new ScramVerifier(Integer.parseInt(matcher.group(1)), base64.decode(matcher.group(2)),
                base64.decode(matcher.group(3)), base64.decode(matcher.group(4)));
    }

    /** PostgreSQL's text form, {@code SCRAM-SHA-256$4096:<salt>$<StoredKey>:<ServerKey>}. */
    public String format() {
        Base64.Encoder base64 = Base64.getEncoder();
        return MECHANISM + "$" + iterations + ":" + base64.encodeToString(salt) + "$" + base64.encodeToString(storedKey)
                + ":" + base64.encodeToString(serverKey);
    }

    /**
     * Whether {@code password} is the one this verifies; its keys are compared in constant time
     * ({@link MessageDigest#isEqual}), both of them, whatever the first comparison said.
     */
    public boolean matches(String password) {
        requireNonNull(password, "password is null");
        byte[] saltedPassword = saltedPassword(SaslPrep.passwordBytes(password), salt, iterations);
        boolean storedKeyMatches = MessageDigest.isEqual(storedKey, sha256(hmac(saltedPassword, "Client Key")));
        boolean serverKeyMatches = MessageDigest.isEqual(serverKey, hmac(saltedPassword, "Server Key"));
        return storedKeyMatches & serverKeyMatches;
    }

    public int iterations() {
        return iterations;
    }

    public byte[] salt() {
        return salt.clone();
    }

    public byte[] storedKey() {
        return storedKey.clone();
    }

    public byte[] serverKey() {
        return serverKey.clone();
    }

    static byte[] saltedPassword(byte[] password, byte[] salt, int iterations) {
        // PBKDF2 over the password's bytes (PBEKeySpec would take chars and leave their encoding to the JDK).
        // The JDK refuses an empty HMAC key; HMAC pads keys with zero bytes, so one zero byte is the same key.
        try {
            Mac prf = Mac.getInstance("HmacSHA256");
            prf.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, "HmacSHA256"));
            return pbkdf2(prf, salt, iterations);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }

    /** PBKDF2 (RFC 8018) with one block of output, as SCRAM's Hi(). */
    private static byte[] pbkdf2(Mac prf, byte[] salt, int iterations) {
        prf.update(salt);
        prf.update(new byte[] {0, 0, 0, 1});
        byte[] u = prf.doFinal();
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = prf.doFinal(u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    private static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScramVerifier that && iterations == that.iterations && Arrays.equals(salt, that.salt)
                && Arrays.equals(storedKey, that.storedKey) && Arrays.equals(serverKey, that.serverKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(storedKey);
    }

    /** Not the verifier itself: it lets an attacker who has it guess passwords offline, so it stays out of logs. */
    @Override
    public String toString() {
        return MECHANISM + " verifier (" + iterations + " iterations)";
    }
}

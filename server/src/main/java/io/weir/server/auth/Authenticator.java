package io.weir.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.sql.auth.ScramVerifier;
import io.weir.sql.auth.SessionUser;
import io.weir.sql.auth.User;
import io.weir.sql.auth.UserDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Checks the credentials of HTTP requests against the server's users: a user's password (HTTP Basic) or
 * a bearer token. A wrong password and an unknown user get the same answer, after about the same time
 * (SQLSTATE 28P01, "password authentication failed for user ..."); each failure is one log line naming the
 * user and the client's address; after repeated failures from one address the answers are held back longer
 * and longer ({@link FailedLogins}).
 *
 * <p>Checking a password costs a PBKDF2 of 4096 rounds (a few milliseconds), and JDBC clients send it with
 * every request: a password that was right is remembered for {@link #REMEMBERED} as a keyed hash (HMAC
 * with a key of this server's, never the password) together with the verifier it matched, so that a new
 * password or a dropped user takes effect at once. One per server; thread-safe.
 */
public final class Authenticator {
    /** The realm of the {@code WWW-Authenticate} challenges. */
    public static final String REALM = "Weir";
    static final Duration REMEMBERED = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
    private static final int MAX_REMEMBERED = 10_000;
    private static final int MAX_LOGGED_NAME = 64;

    private final UserDirectory users;
    private final FailedLogins failures;
    private final Cache<ByteBuffer, ScramVerifier> checked = Caffeine.newBuilder()
            .expireAfterAccess(REMEMBERED).maximumSize(MAX_REMEMBERED).build();
    private final byte[] hashKey = new byte[32];

    public Authenticator(UserDirectory users) {
        this(users, new FailedLogins());
    }

    Authenticator(UserDirectory users, FailedLogins failures) {
        this.users = requireNonNull(users, "users is null");
        this.failures = requireNonNull(failures, "failures is null");
        new SecureRandom().nextBytes(hashKey);
    }

    /** Whether requests must authenticate: once the server has a user. */
    public boolean required() {
        return users.authenticationRequired();
    }

    /** What checking a request's credentials came to. */
    public sealed interface Outcome {
        /**
         * @param key a keyed hash of the credentials, to tell later requests that send the same ones (a
         *            connection remembers those it was opened with)
         */
        record Authenticated(SessionUser user, byte[] key) implements Outcome {
            public Authenticated {
                requireNonNull(user, "user is null");
                requireNonNull(key, "key is null");
            }
        }

        /** The request had no credentials: answer with a challenge ({@code WWW-Authenticate}). */
        record Missing() implements Outcome {
        }

        /** The credentials are wrong: answer with {@code error} after {@code delay}. */
        record Failed(WeirException error, Duration delay, boolean bearer) implements Outcome {
            public Failed {
                requireNonNull(error, "error is null");
                requireNonNull(delay, "delay is null");
            }
        }
    }

    /** Checks {@code credentials} sent from {@code from}. */
    public Outcome authenticate(Credentials credentials, InetSocketAddress from) {
        requireNonNull(credentials, "credentials is null");
        requireNonNull(from, "from is null");
        if (credentials instanceof Credentials.None) {
            return new Outcome.Missing();
        }
        if (credentials instanceof Credentials.Malformed malformed) {
            LOG.warn("Authentication failed from {}: {}", address(from), malformed.problem());
            return new Outcome.Failed(new WeirException(ErrorCode.INVALID_AUTHORIZATION, "Cannot read the Authorization"
                    + " header: " + malformed.problem() + ". Send a user and password (HTTP Basic) or a token (Bearer)"),
                    Duration.ZERO, false);
        }
        if (credentials instanceof Credentials.Bearer bearer) {
            Optional<User> user = users.checkToken(bearer.token());
            if (user.isPresent()) {
                return new Outcome.Authenticated(SessionUser.of(user.get().name()), keyOf(bearer));
            }
            return failed(from, null, "unknown or dropped token", new WeirException(ErrorCode.AUTHENTICATION_FAILED,
                    "Token authentication failed: the token is not one of this server's, or it was dropped"), true);
        }
        Credentials.Password password = (Credentials.Password) credentials;
        byte[] key = keyOf(password);
        Optional<User> user = users.user(password.user());
        ScramVerifier remembered = checked.getIfPresent(ByteBuffer.wrap(key));
        if (user.isPresent() && remembered != null && remembered.equals(user.get().verifier())) {
            return new Outcome.Authenticated(SessionUser.of(user.get().name()), key);
        }
        Optional<User> matched = users.checkPassword(password.user(), password.password());
        if (matched.isPresent()) {
            checked.put(ByteBuffer.wrap(key), matched.get().verifier());
            return new Outcome.Authenticated(SessionUser.of(matched.get().name()), key);
        }
        // the same answer for an unknown user as for a wrong password; only the log tells them apart
        return failed(from, password.user(), user.isPresent() ? "wrong password" : "no such user",
                new WeirException(ErrorCode.AUTHENTICATION_FAILED, "Password authentication failed for user '"
                        + printable(password.user()) + "': check the user name and password"), false);
    }

    /**
     * Records a failed password check made by another protocol (PostgreSQL's SCRAM exchange): one log line,
     * and the time to hold the answer back, longer after repeated failures from {@code from}.
     */
    public Duration passwordFailed(InetSocketAddress from, String user, boolean knownUser) {
        Outcome.Failed failed = (Outcome.Failed) failed(from, user, knownUser ? "wrong password" : "no such user",
                new WeirException(ErrorCode.AUTHENTICATION_FAILED, "Password authentication failed for user '"
                        + printable(user) + "'"), false);
        return failed.delay();
    }

    /** The server's users, for protocols that check credentials themselves (SCRAM). */
    public UserDirectory users() {
        return users;
    }

    private Outcome failed(InetSocketAddress from, String user, String reason, WeirException error, boolean bearer) {
        int failed = failures.record(from);
        Duration delay = FailedLogins.delay(failed);
        LOG.warn("Authentication failed{} from {}: {} (failure {} from this address{})",
                user == null ? "" : " for user '" + printable(user) + "'", address(from), reason, failed,
                delay.isZero() ? "" : "; answer held back " + delay.toMillis() + " ms");
        return new Outcome.Failed(error, delay, bearer);
    }

    /** Failed logins remembered for {@code address}, for tests. */
    int failures(InetSocketAddress address) {
        return failures.failures(address);
    }

    /**
     * A keyed hash (HMAC with a random key of this server's) of a user's password or token: it tells
     * credentials sent again from others without keeping them, and tells nothing about them to anyone who
     * sees it. Names ignore case, as users' do.
     */
    byte[] keyOf(Credentials credentials) {
        if (credentials instanceof Credentials.Password password) {
            return key("basic", password.user().toLowerCase(Locale.ROOT) + '\0' + password.password());
        }
        if (credentials instanceof Credentials.Bearer bearer) {
            return key("bearer", bearer.token());
        }
        throw new IllegalArgumentException("no key for " + credentials.getClass().getSimpleName());
    }

    private byte[] key(String scheme, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hashKey, "HmacSHA256"));
            mac.update(scheme.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) 0);
            return mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }

    private static String address(InetSocketAddress address) {
        return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    }

    /** A user name as sent, safe to log and to answer: no control characters (no forged log lines), cut. */
    static String printable(String name) {
        StringBuilder text = new StringBuilder();
        name.codePoints().limit(MAX_LOGGED_NAME).forEach(c -> {
            if (Character.isISOControl(c)) {
                text.append('?');
            } else {
                text.appendCodePoint(c);
            }
        });
        return name.codePointCount(0, name.length()) > MAX_LOGGED_NAME ? text + "..." : text.toString();
    }
}

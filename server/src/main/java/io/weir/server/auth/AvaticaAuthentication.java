package io.weir.server.auth;

import io.netty.handler.codec.http.HttpHeaders;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.sql.auth.SessionUser;
import io.weir.sql.auth.UserDirectory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Who may make an Avatica request: on a server with users, every request carries the user's credentials
 * (both JDBC drivers send HTTP Basic with each request once challenged), which must be right and, for a
 * request on a connection, those of the connection's user. On a server without users everyone is
 * {@link SessionUser#ANONYMOUS}.
 */
public final class AvaticaAuthentication {
    private final Authenticator authenticator;
    private final ConnectionOwners owners;

    public AvaticaAuthentication(Authenticator authenticator, ConnectionOwners owners) {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.owners = requireNonNull(owners, "owners is null");
    }

    /** For a server without users, ever (tests' scripted Metas). */
    public static AvaticaAuthentication none() {
        return new AvaticaAuthentication(new Authenticator(UserDirectory.inMemory()), ConnectionOwners.NONE);
    }

    /** Whether a request may run. */
    public sealed interface Decision {
        record Allowed(SessionUser user) implements Decision {
        }

        /** No credentials: answer 401 with a challenge, which makes clients that have credentials send them. */
        record Challenge(WeirException error) implements Decision {
        }

        /** Wrong credentials, or another user's connection: answer {@code error} after {@code delay}. */
        record Refused(WeirException error, Duration delay) implements Decision {
        }
    }

    /**
     * Decides on a request.
     *
     * @param connectionId the connection the request is on; null when it names none
     * @param opening      whether it opens the connection
     * @param closing      whether it closes the connection
     */
    public Decision check(HttpHeaders headers, InetSocketAddress from, String connectionId, boolean opening, boolean closing) {
        if (closing && connectionId != null && !owners.isOpen(connectionId)) {
            // nothing to close (a dropped user's, or closed when idle): no need to tell who asks
            return new Decision.Allowed(SessionUser.ANONYMOUS);
        }
        if (!authenticator.required()) {
            if (connectionId != null) {
                owners.admit(connectionId, SessionUser.ANONYMOUS, new byte[0], opening);
            }
            return new Decision.Allowed(SessionUser.ANONYMOUS);
        }
        Credentials credentials = Credentials.of(headers);
        if (credentials instanceof Credentials.None) {
            return new Decision.Challenge(new WeirException(ErrorCode.INVALID_AUTHORIZATION, "This server needs a user"
                    + " and password: with Weir's driver, give properties user and password (jdbc:weir://host:port?user=..."
                    + "&password=...); with Avatica's, authentication=BASIC;avatica_user=...;avatica_password=..."));
        }
        Authenticator.Outcome outcome = null;
        SessionUser user = null;
        byte[] key = null;
        if (connectionId != null && !opening && credentials instanceof Credentials.Password) {
            // the password the connection was opened with needs no second check (nor a PBKDF2); a token is
            // checked each time (cheap), so that dropping it takes effect at once
            byte[] sent = authenticator.keyOf(credentials);
            Optional<SessionUser> owner = owners.openedWith(connectionId, sent);
            if (owner.isPresent()) {
                user = owner.get();
                key = sent;
            }
        }
        if (user == null) {
            outcome = authenticator.authenticate(credentials, from);
            if (outcome instanceof Authenticator.Outcome.Failed failed) {
                return new Decision.Refused(failed.error(), failed.delay());
            }
            if (outcome instanceof Authenticator.Outcome.Missing) {
                throw new IllegalStateException("credentials were sent");
            }
            Authenticator.Outcome.Authenticated authenticated = (Authenticator.Outcome.Authenticated) outcome;
            user = authenticated.user();
            key = authenticated.key();
        }
        if (connectionId != null) {
            try {
                owners.admit(connectionId, user, key, opening);
            } catch (WeirException e) {
                return new Decision.Refused(e, Duration.ZERO);
            }
        }
        return new Decision.Allowed(user);
    }
}

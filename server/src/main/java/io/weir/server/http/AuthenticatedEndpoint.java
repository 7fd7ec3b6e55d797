package io.weir.server.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.weir.server.auth.Authenticator;
import io.weir.server.auth.Credentials;
import io.weir.sql.auth.SessionUser;

import static java.util.Objects.requireNonNull;

/**
 * An endpoint for authenticated users only (on a server with users): a request without credentials, or with
 * wrong ones, gets HTTP 401 with a {@code WWW-Authenticate} challenge for HTTP Basic and bearer tokens, and a
 * JSON body {@code {"error": "..."}} saying what to send; answers to repeated failures are held back.
 */
public final class AuthenticatedEndpoint implements HttpEndpoint {
    static final String CHALLENGE = "Basic realm=\"" + Authenticator.REALM + "\", charset=\"UTF-8\", Bearer realm=\""
            + Authenticator.REALM + "\"";

    private final UserEndpoint endpoint;
    private final Authenticator authenticator;

    /** {@code endpoint} answers the requests that authenticated, knowing whose they are. */
    public AuthenticatedEndpoint(UserEndpoint endpoint, Authenticator authenticator) {
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
    }

    @Override
    public HttpReply handle(HttpCall call) throws Exception {
        if (!authenticator.required()) {
            return endpoint.handle(call, SessionUser.ANONYMOUS);
        }
        Authenticator.Outcome outcome = authenticator.authenticate(Credentials.of(call.headers()), call.remoteAddress());
        if (outcome instanceof Authenticator.Outcome.Missing) {
            return unauthorized("This server needs credentials: send a user's password (HTTP Basic, curl -u user:password)"
                    + " or a token from CREATE TOKEN (Authorization: Bearer <token>)", CHALLENGE);
        }
        if (outcome instanceof Authenticator.Outcome.Failed failed) {
            String challenge = failed.bearer()
                    ? "Bearer realm=\"" + Authenticator.REALM + "\", error=\"invalid_token\"" : CHALLENGE;
            return unauthorized(failed.error().getMessage(), challenge).delayedBy(failed.delay());
        }
        return endpoint.handle(call, ((Authenticator.Outcome.Authenticated) outcome).user());
    }

    private static HttpReply unauthorized(String message, String challenge) {
        String json = "{\"error\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(message)) + "\"}\n";
        return HttpReply.json(HttpResponseStatus.UNAUTHORIZED, json)
                .withHeader(HttpHeaderNames.WWW_AUTHENTICATE.toString(), challenge);
    }
}

package io.weir.server.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.weir.server.auth.Authenticator;
import io.weir.server.auth.Credentials;
import io.weir.sql.auth.SessionUser;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static java.util.Objects.requireNonNull;

/**
 * An endpoint for authenticated users only (on a server with users): a request without credentials, or with
 * wrong ones, gets HTTP 401 with a {@code WWW-Authenticate} challenge for HTTP Basic and bearer tokens, and a
 * JSON body {@code {"error": "..."}} saying what to send; answers to repeated failures are held back.
 */
public final class AuthenticatedEndpoint implements HttpEndpoint {
    static final String CHALLENGE = "Basic realm=\"" + Authenticator.REALM + "\", charset=\"UTF-8\", Bearer realm=\""
            + Authenticator.REALM + "\"";

    /**
     * The challenge for the web console's own requests: a Basic challenge would make the browser ask for a
     * password in its own dialog, over the console's sign-in form.
     */
    static final String SCRIPT_CHALLENGE = "Bearer realm=\"" + Authenticator.REALM + "\"";

    private final UserEndpoint endpoint;
    private final Authenticator authenticator;
    private final String challenge;

    /** {@code endpoint} answers the requests that authenticated, knowing whose they are. */
    public AuthenticatedEndpoint(UserEndpoint endpoint, Authenticator authenticator) {
        this(endpoint, authenticator, CHALLENGE);
    }

    private AuthenticatedEndpoint(UserEndpoint endpoint, Authenticator authenticator, String challenge) {
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.challenge = requireNonNull(challenge, "challenge is null");
    }

    /**
     * As the constructor, for requests a page's script makes (the web console): they accept HTTP Basic and
     * bearer tokens alike, but a 401 challenges for a bearer token only, so that browsers do not prompt.
     */
    public static AuthenticatedEndpoint forScripts(UserEndpoint endpoint, Authenticator authenticator) {
        return new AuthenticatedEndpoint(endpoint, authenticator, SCRIPT_CHALLENGE);
    }

    @Override
    public HttpReply handle(HttpCall call) throws Exception {
        return handleAsync(call).toCompletableFuture().get();
    }

    @Override
    public CompletionStage<HttpReply> handleAsync(HttpCall call) throws Exception {
        if (!authenticator.required()) {
            return endpoint.handleAsync(call, SessionUser.ANONYMOUS);
        }
        Authenticator.Outcome outcome = authenticator.authenticate(Credentials.of(call.headers()), call.remoteAddress());
        if (outcome instanceof Authenticator.Outcome.Missing) {
            return CompletableFuture.completedFuture(unauthorized("This server needs credentials: send a user's password"
                    + " (HTTP Basic, curl -u user:password) or a token from CREATE TOKEN (Authorization: Bearer <token>)",
                    challenge));
        }
        if (outcome instanceof Authenticator.Outcome.Failed failed) {
            String failedChallenge = failed.bearer()
                    ? "Bearer realm=\"" + Authenticator.REALM + "\", error=\"invalid_token\"" : challenge;
            return CompletableFuture.completedFuture(unauthorized(failed.error().getMessage(), failedChallenge)
                    .delayedBy(failed.delay()));
        }
        return endpoint.handleAsync(call, ((Authenticator.Outcome.Authenticated) outcome).user());
    }

    private static HttpReply unauthorized(String message, String challenge) {
        String json = "{\"error\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(message)) + "\"}\n";
        return HttpReply.json(HttpResponseStatus.UNAUTHORIZED, json)
                .withHeader(HttpHeaderNames.WWW_AUTHENTICATE.toString(), challenge);
    }
}

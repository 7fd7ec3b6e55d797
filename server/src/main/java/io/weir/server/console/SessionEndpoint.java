package io.weir.server.console;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.weir.server.auth.Authenticator;
import io.weir.server.http.AuthenticatedEndpoint;
import io.weir.server.http.HttpCall;
import io.weir.server.http.HttpEndpoint;
import io.weir.server.http.HttpReply;
import io.weir.sql.auth.SessionUser;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static java.util.Objects.requireNonNull;

/**
 * {@code GET /api/session}: who the request's credentials sign in as, {@code {"user": "alice", "authentication": true}}
 * ({@code "user": null} on a server without users). The console signs in with it: wrong credentials get HTTP 401.
 * A request without credentials on a server with users gets {@code {"user": null, "authentication": true}}, not a 401:
 * the page asks first whether it must sign in, and that is no failure.
 */
final class SessionEndpoint implements HttpEndpoint {
    private final Authenticator authenticator;
    private final HttpEndpoint authenticated;

    SessionEndpoint(Authenticator authenticator) {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.authenticated = AuthenticatedEndpoint.forScripts((call, user) -> reply(user), authenticator);
    }

    @Override
    public HttpReply handle(HttpCall call) throws Exception {
        return handleAsync(call).toCompletableFuture().get();
    }

    @Override
    public CompletionStage<HttpReply> handleAsync(HttpCall call) throws Exception {
        if (authenticator.required() && !call.headers().contains(HttpHeaderNames.AUTHORIZATION)) {
            return CompletableFuture.completedFuture(ConsoleReplies.json(HttpResponseStatus.OK, json -> {
                json.writeStartObject();
                json.writeNullField("user");
                json.writeBooleanField("authentication", true);
                json.writeEndObject();
            }));
        }
        return authenticated.handleAsync(call);
    }

    private HttpReply reply(SessionUser user) {
        return ConsoleReplies.json(HttpResponseStatus.OK, json -> {
            json.writeStartObject();
            json.writeStringField("user", user.anonymous() ? null : user.name());
            json.writeBooleanField("authentication", authenticator.required());
            json.writeEndObject();
        });
    }
}

package io.weir.server.http;

import io.weir.sql.auth.SessionUser;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Answers the requests of one route for the user that {@link AuthenticatedEndpoint} authenticated
 * ({@link SessionUser#ANONYMOUS} on a server without users), so that it can check what that user may do.
 */
@FunctionalInterface
public interface UserEndpoint {
    HttpReply handle(HttpCall call, SessionUser user) throws Exception;

    /**
     * Answers the call, possibly later (see {@link HttpEndpoint#handleAsync}); by default, {@link #handle}
     * on the calling thread.
     */
    default CompletionStage<HttpReply> handleAsync(HttpCall call, SessionUser user) throws Exception {
        return CompletableFuture.completedFuture(handle(call, user));
    }
}

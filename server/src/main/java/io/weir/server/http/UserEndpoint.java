package io.weir.server.http;

import io.weir.sql.auth.SessionUser;

/**
 * Answers the requests of one route for the user that {@link AuthenticatedEndpoint} authenticated
 * ({@link SessionUser#ANONYMOUS} on a server without users), so that it can check what that user may do.
 */
@FunctionalInterface
public interface UserEndpoint {
    HttpReply handle(HttpCall call, SessionUser user) throws Exception;
}

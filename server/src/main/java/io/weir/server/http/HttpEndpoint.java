package io.weir.server.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Answers the requests of one route. Runs on a request thread, never on a network thread, so it may
 * block. An exception that escapes is answered with HTTP 500 and a text message; endpoints whose
 * clients expect a particular error format (Avatica) catch everything themselves.
 */
@FunctionalInterface
public interface HttpEndpoint {
    HttpReply handle(HttpCall call) throws Exception;

    /**
     * Answers the call, possibly later: an endpoint that waits for something that comes on its own
     * (the rows of a continuous query) returns a stage completed when it comes, and frees the
     * request thread meanwhile. The next request of the same connection is handled once the stage
     * has completed. By default, {@link #handle} on the calling thread.
     */
    default CompletionStage<HttpReply> handleAsync(HttpCall call) throws Exception {
        return CompletableFuture.completedFuture(handle(call));
    }
}

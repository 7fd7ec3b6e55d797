package io.weir.server.console;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.weir.server.http.HttpCall;
import io.weir.server.http.HttpEndpoint;
import io.weir.server.http.HttpReply;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static java.util.Objects.requireNonNull;

/**
 * Keeps other web sites from using the console's API through a visitor's browser (cross-site request forgery): a
 * request that names another origin ({@code Origin} header) is refused, and a POST must be
 * {@code application/json}, which a page of another origin cannot send without the browser asking this server
 * first (a CORS preflight, which it does not allow). Scripts and curl, which send no {@code Origin}, are unaffected.
 */
final class SameOriginEndpoint implements HttpEndpoint {
    private final HttpEndpoint endpoint;

    SameOriginEndpoint(HttpEndpoint endpoint) {
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
    }

    @Override
    public HttpReply handle(HttpCall call) throws Exception {
        return handleAsync(call).toCompletableFuture().get();
    }

    @Override
    public CompletionStage<HttpReply> handleAsync(HttpCall call) throws Exception {
        String origin = call.headers().get(HttpHeaderNames.ORIGIN);
        String host = call.headers().get(HttpHeaderNames.HOST);
        if (origin != null && (host == null || !(origin.equalsIgnoreCase("http://" + host) || origin.equalsIgnoreCase("https://" + host)))) {
            return CompletableFuture.completedFuture(ConsoleReplies.error(HttpResponseStatus.FORBIDDEN,
                    "Requests from pages of other origins (" + origin + ") are refused: the console's API serves its own page"));
        }
        if (call.method().equals(HttpMethod.POST) && !json(call.headers().get(HttpHeaderNames.CONTENT_TYPE))) {
            return CompletableFuture.completedFuture(ConsoleReplies.error(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    "Send the statement as JSON, with Content-Type: application/json: {\"sql\": \"SHOW STREAMS\"}"));
        }
        return endpoint.handleAsync(call);
    }

    private static boolean json(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String mediaType = (parameters < 0 ? contentType : contentType.substring(0, parameters)).strip();
        return mediaType.toLowerCase(Locale.ROOT).equals("application/json");
    }
}

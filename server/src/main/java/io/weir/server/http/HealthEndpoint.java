package io.weir.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/** {@code GET /health}: answers {@code {"status":"UP"}} while the server accepts requests. */
public final class HealthEndpoint implements HttpEndpoint {
    @Override
    public HttpReply handle(HttpCall call) {
        return HttpReply.json(HttpResponseStatus.OK, "{\"status\":\"UP\"}");
    }
}

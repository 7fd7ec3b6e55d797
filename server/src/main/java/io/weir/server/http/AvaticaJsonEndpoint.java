package io.weir.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.apache.calcite.avatica.metrics.MetricsSystem;
import org.apache.calcite.avatica.remote.Handler;
import org.apache.calcite.avatica.remote.JsonHandler;
import org.apache.calcite.avatica.remote.JsonService;
import org.apache.calcite.avatica.remote.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/** The Avatica protocol in JSON ({@code serialization=json} clients), readable for debugging. */
final class AvaticaJsonEndpoint implements HttpEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(AvaticaJsonEndpoint.class);

    private final JsonHandler handler;

    AvaticaJsonEndpoint(Service service, MetricsSystem metrics) {
        this.handler = new JsonHandler(requireNonNull(service, "service is null"),
                requireNonNull(metrics, "metrics is null"));
    }

    @Override
    public HttpReply handle(HttpCall call) throws IOException {
        Handler.HandlerResponse<String> response;
        try {
            // Exceptions become Avatica error responses inside the handler; only Errors get here.
            response = handler.apply(call.bodyAsString());
        } catch (Throwable failure) {
            LOG.error("Avatica request failed", failure);
            return HttpReply.json(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    JsonService.MAPPER.writeValueAsString(AvaticaInternalErrors.internalError(failure)));
        }
        return HttpReply.json(HttpResponseStatus.valueOf(response.getStatusCode()), response.getResponse());
    }
}

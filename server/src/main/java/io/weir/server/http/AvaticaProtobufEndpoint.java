package io.weir.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.apache.calcite.avatica.metrics.MetricsSystem;
import org.apache.calcite.avatica.remote.Handler;
import org.apache.calcite.avatica.remote.ProtobufHandler;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/** The Avatica protocol in protobuf, as posted by {@code jdbc:weir://} and {@code serialization=PROTOBUF} clients. */
final class AvaticaProtobufEndpoint implements HttpEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(AvaticaProtobufEndpoint.class);

    private final ProtobufTranslation translation = new ProtobufTranslationImpl();
    private final ProtobufHandler handler;

    AvaticaProtobufEndpoint(Service service, MetricsSystem metrics) {
        this.handler = new ProtobufHandler(requireNonNull(service, "service is null"), translation,
                requireNonNull(metrics, "metrics is null"));
    }

    @Override
    public HttpReply handle(HttpCall call) throws IOException {
        Handler.HandlerResponse<byte[]> response;
        try {
            // Exceptions become Avatica error responses inside the handler; only Errors get here.
            response = handler.apply(call.body());
        } catch (Throwable failure) {
            LOG.error("Avatica request failed", failure);
            return HttpReply.binary(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    translation.serializeResponse(AvaticaInternalErrors.internalError(failure)));
        }
        return HttpReply.binary(HttpResponseStatus.valueOf(response.getStatusCode()), response.getResponse());
    }
}

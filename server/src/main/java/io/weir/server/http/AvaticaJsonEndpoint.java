package io.weir.server.http;

import org.apache.calcite.avatica.remote.JsonService;
import org.apache.calcite.avatica.remote.Service;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/** The Avatica protocol in JSON ({@code serialization=json} clients), readable for debugging. */
final class AvaticaJsonEndpoint implements HttpEndpoint {
    private final AvaticaExchange exchange;

    AvaticaJsonEndpoint(Service service) {
        this.exchange = new AvaticaExchange(requireNonNull(service, "service is null"));
    }

    @Override
    public HttpReply handle(HttpCall call) throws IOException {
        String body = call.bodyAsString();
        AvaticaExchange.Outcome outcome = exchange.run(() -> JsonService.MAPPER.readValue(body, Service.Request.class), "JSON");
        return HttpReply.json(outcome.status(), JsonService.MAPPER.writeValueAsString(outcome.response()));
    }
}

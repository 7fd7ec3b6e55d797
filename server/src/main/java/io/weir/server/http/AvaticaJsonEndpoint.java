package io.weir.server.http;

import io.weir.server.auth.AvaticaAuthentication;
import org.apache.calcite.avatica.remote.JsonService;
import org.apache.calcite.avatica.remote.Service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/** The Avatica protocol in JSON ({@code serialization=json} clients), readable for debugging. */
final class AvaticaJsonEndpoint implements HttpEndpoint {
    private final AvaticaExchange exchange;

    AvaticaJsonEndpoint(Service service, AvaticaAuthentication authentication) {
        this.exchange = new AvaticaExchange(requireNonNull(service, "service is null"), authentication);
    }

    @Override
    public HttpReply handle(HttpCall call) throws IOException {
        String body = call.bodyAsString();
        AvaticaExchange.Outcome outcome = exchange.run(() -> JsonService.MAPPER.readValue(body, Service.Request.class), "JSON", call);
        return outcome.reply(HttpReply.JSON, JsonService.MAPPER.writeValueAsString(outcome.response())
                .getBytes(StandardCharsets.UTF_8));
    }
}

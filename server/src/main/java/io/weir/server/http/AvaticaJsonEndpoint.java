package io.weir.server.http;

import io.weir.server.auth.AvaticaAuthentication;
import org.apache.calcite.avatica.remote.JsonService;
import org.apache.calcite.avatica.remote.Service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

import static java.util.Objects.requireNonNull;

/** The Avatica protocol in JSON ({@code serialization=json} clients), readable for debugging. */
final class AvaticaJsonEndpoint implements HttpEndpoint {
    private final AvaticaExchange exchange;

    AvaticaJsonEndpoint(Service service, AvaticaAuthentication authentication, AvaticaFetches fetches) {
        this.exchange = new AvaticaExchange(requireNonNull(service, "service is null"), authentication, fetches);
    }

    @Override
    public HttpReply handle(HttpCall call) throws Exception {
        return handleAsync(call).toCompletableFuture().get();
    }

    @Override
    public CompletionStage<HttpReply> handleAsync(HttpCall call) {
        String body = call.bodyAsString();
        return exchange.run(() -> JsonService.MAPPER.readValue(body, Service.Request.class), "JSON", call).thenApply(outcome -> {
            try {
                return outcome.reply(HttpReply.JSON, JsonService.MAPPER.writeValueAsString(outcome.response())
                        .getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}

package io.weir.server.http;

import io.weir.server.auth.AvaticaAuthentication;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionStage;

import static java.util.Objects.requireNonNull;

/** The Avatica protocol in protobuf, as posted by {@code jdbc:weir://} and {@code serialization=PROTOBUF} clients. */
final class AvaticaProtobufEndpoint implements HttpEndpoint {
    private final ProtobufTranslation translation = new ProtobufTranslationImpl();
    private final AvaticaExchange exchange;

    AvaticaProtobufEndpoint(Service service, AvaticaAuthentication authentication, AvaticaFetches fetches) {
        this.exchange = new AvaticaExchange(requireNonNull(service, "service is null"), authentication, fetches);
    }

    @Override
    public HttpReply handle(HttpCall call) throws Exception {
        return handleAsync(call).toCompletableFuture().get();
    }

    @Override
    public CompletionStage<HttpReply> handleAsync(HttpCall call) {
        byte[] body = call.body();
        return exchange.run(() -> translation.parseRequest(body), "protobuf", call).thenApply(outcome -> {
            try {
                return outcome.reply(HttpReply.BINARY, CompactFrames.serialize(translation, outcome.response()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}

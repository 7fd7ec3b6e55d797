package io.weir.server.http;

import io.weir.server.auth.AvaticaAuthentication;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/** The Avatica protocol in protobuf, as posted by {@code jdbc:weir://} and {@code serialization=PROTOBUF} clients. */
final class AvaticaProtobufEndpoint implements HttpEndpoint {
    private final ProtobufTranslation translation = new ProtobufTranslationImpl();
    private final AvaticaExchange exchange;

    AvaticaProtobufEndpoint(Service service, AvaticaAuthentication authentication) {
        this.exchange = new AvaticaExchange(requireNonNull(service, "service is null"), authentication);
    }

    @Override
    public HttpReply handle(HttpCall call) throws IOException {
        byte[] body = call.body();
        AvaticaExchange.Outcome outcome = exchange.run(() -> translation.parseRequest(body), "protobuf", call);
        return outcome.reply(HttpReply.BINARY, CompactFrames.serialize(translation, outcome.response()));
    }
}

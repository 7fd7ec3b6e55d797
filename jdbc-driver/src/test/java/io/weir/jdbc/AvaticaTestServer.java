package io.weir.jdbc;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.metrics.noop.NoopMetricsSystem;
import org.apache.calcite.avatica.remote.Handler;
import org.apache.calcite.avatica.remote.JsonHandler;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.remote.ProtobufHandler;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A minimal Avatica server (the JDK's HTTP server, unshaded Avatica) for testing the driver jar
 * without the Weir server module: protobuf at {@code /}, JSON at {@code /json}.
 */
final class AvaticaTestServer implements AutoCloseable {
    private final HttpServer server;

    AvaticaTestServer(Meta meta) throws IOException {
        Service service = new LocalService(meta);
        ProtobufHandler protobuf = new ProtobufHandler(service, new ProtobufTranslationImpl(),
                NoopMetricsSystem.getInstance());
        JsonHandler json = new JsonHandler(service, NoopMetricsSystem.getInstance());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> reply(exchange, protobuf.apply(exchange.getRequestBody().readAllBytes())));
        server.createContext("/json", exchange -> {
            Handler.HandlerResponse<String> response = json.apply(
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            reply(exchange, new Handler.HandlerResponse<>(response.getResponse().getBytes(StandardCharsets.UTF_8),
                    response.getStatusCode()));
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange exchange, Handler.HandlerResponse<byte[]> response) throws IOException {
        exchange.sendResponseHeaders(response.getStatusCode(), response.getResponse().length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(response.getResponse());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package io.weir.connector.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.Formats;
import io.weir.spi.format.RecordDecodeException;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.option.OptionValidator;
import io.weir.spi.type.DataType;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on 127.0.0.1 that records every request and answers with scripted responses
 * (200 once the script is used up), optionally holding requests until released.
 */
final class WebhookServer implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();

    /** A scripted answer. */
    record Response(int status, Map<String, String> headers, String body) {
        static Response status(int status) {
            return new Response(status, Map.of(), "");
        }
    }

    /** One received request. */
    record Request(String method, String path, Headers headers, String body) {
        /** The row objects of the JSON array body, each as compact JSON text. */
        List<String> rowObjects() {
            List<String> rows = new ArrayList<>();
            try (JsonParser parser = JSON.createParser(body)) {
                if (parser.nextToken() != JsonToken.START_ARRAY) {
                    throw new AssertionError("body is not a JSON array: " + body);
                }
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    StringWriter text = new StringWriter();
                    try (JsonGenerator generator = JSON.createGenerator(text)) {
                        generator.copyCurrentStructure(parser);
                    }
                    rows.add(text.toString());
                }
                if (parser.currentToken() != JsonToken.END_ARRAY || parser.nextToken() != null) {
                    throw new AssertionError("body is not a JSON array of objects: " + body);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return rows;
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedDeque<Response> script = new ConcurrentLinkedDeque<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Request> accepted = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    WebhookServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "webhook-test-server");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Answers the next requests with these statuses, in order. */
    WebhookServer answer(int... statuses) {
        for (int status : statuses) {
            script.addLast(Response.status(status));
        }
        return this;
    }

    WebhookServer answer(Response response) {
        script.addLast(response);
        return this;
    }

    /** Holds every request (after recording it) until {@link #release()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    /** Every request received so far, including failed ones. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests answered with 2xx, in order. */
    List<Request> accepted() {
        return List.copyOf(accepted);
    }

    /** The rows of the accepted requests, decoded with format 'json' for {@code schema}. */
    List<Object[]> acceptedRows(List<DataType.Field> schema) {
        FormatFactory json = Formats.find("json");
        RecordDecoder decoder = json.createDecoder(schema, OptionValidator.validate("format 'json'", json.options(), Map.of()));
        BatchBuilder builder = new BatchBuilder(schema, 16);
        for (Request request : accepted()) {
            for (String row : request.rowObjects()) {
                try {
                    if (decoder.decode(row, builder)) {
                        builder.commitRow();
                    }
                } catch (RecordDecodeException e) {
                    throw new AssertionError("cannot decode " + row + ": " + e.reason(), e);
                }
            }
        }
        return builder.build().rows();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders(), body);
            requests.add(request);
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("request held for 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Response response = script.pollFirst();
            if (response == null) {
                response = Response.status(200);
            }
            if (response.status() >= 200 && response.status() < 300) {
                accepted.add(request);
            }
            response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] answer = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(response.status(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        }
    }

    @Override
    public void close() {
        gate.countDown();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

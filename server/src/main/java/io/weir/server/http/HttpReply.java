package io.weir.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The response an {@link HttpEndpoint} gives to one {@link HttpCall}. The server adds
 * Content-Type, Content-Length and the keep-alive headers.
 *
 * @param status      the HTTP status
 * @param contentType the Content-Type header
 * @param body        the body, owned by this reply from now on
 * @param headers     further response headers
 * @param delay       how long to hold the reply back (after repeated failed logins); zero for none. A delayed
 *                    reply holds no thread while it waits, and closes its connection
 */
public record HttpReply(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers,
                        Duration delay) {
    public static final String TEXT = "text/plain; charset=utf-8";
    public static final String JSON = "application/json; charset=utf-8";
    public static final String BINARY = "application/octet-stream";

    public HttpReply {
        requireNonNull(status, "status is null");
        requireNonNull(contentType, "contentType is null");
        requireNonNull(body, "body is null");
        headers = Map.copyOf(requireNonNull(headers, "headers is null"));
        requireNonNull(delay, "delay is null");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay is negative: " + delay);
        }
    }

    public HttpReply(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
        this(status, contentType, body, headers, Duration.ZERO);
    }

    public HttpReply(HttpResponseStatus status, String contentType, byte[] body) {
        this(status, contentType, body, Map.of());
    }

    /** A plain-text reply; a line break is added. */
    public static HttpReply text(HttpResponseStatus status, String message) {
        return new HttpReply(status, TEXT, (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON reply. */
    public static HttpReply json(HttpResponseStatus status, String json) {
        return new HttpReply(status, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    /** An {@code application/octet-stream} reply. */
    public static HttpReply binary(HttpResponseStatus status, byte[] body) {
        return new HttpReply(status, BINARY, body);
    }

    /** This reply with one more header. */
    public HttpReply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(requireNonNull(name, "name is null"), requireNonNull(value, "value is null"));
        return new HttpReply(status, contentType, body, more, delay);
    }

    /** This reply, held back for {@code delay}. */
    public HttpReply delayedBy(Duration delay) {
        return new HttpReply(status, contentType, body, headers, delay);
    }
}

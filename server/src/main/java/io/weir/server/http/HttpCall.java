package io.weir.server.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One HTTP request, fully read, as an {@link HttpEndpoint} sees it. The body is this call's own copy.
 *
 * @param method          the request method
 * @param path            the decoded path, without the query string, e.g. {@code /ingest/orders}
 * @param queryParameters the decoded query parameters
 * @param headers         the request headers
 * @param body            the request body (empty when there is none)
 * @param remoteAddress   the client's address, for logs and for slowing down repeated failed logins
 */
public record HttpCall(HttpMethod method, String path, Map<String, List<String>> queryParameters,
        HttpHeaders headers, byte[] body, InetSocketAddress remoteAddress) {
    public HttpCall {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        queryParameters = Map.copyOf(requireNonNull(queryParameters, "queryParameters is null"));
        requireNonNull(headers, "headers is null");
        requireNonNull(body, "body is null");
        requireNonNull(remoteAddress, "remoteAddress is null");
    }

    /** The body decoded as UTF-8. */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }
}

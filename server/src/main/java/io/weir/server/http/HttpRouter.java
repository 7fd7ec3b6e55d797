package io.weir.server.http;

import io.netty.handler.codec.http.HttpMethod;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * Maps a method and a path to an {@link HttpEndpoint}: exact paths first ({@code POST /json}),
 * then the longest matching prefix ({@code POST /ingest/} for {@code /ingest/orders}). Immutable;
 * build one with {@link #builder()}.
 */
public final class HttpRouter {
    private final Map<RouteKey, HttpEndpoint> exact;
    private final List<PrefixRoute> prefixes;

    private HttpRouter(Map<RouteKey, HttpEndpoint> exact, List<PrefixRoute> prefixes) {
        this.exact = Map.copyOf(exact);
        List<PrefixRoute> sorted = new ArrayList<>(prefixes);
        sorted.sort(Comparator.comparingInt((PrefixRoute route) -> route.prefix().length()).reversed());
        this.prefixes = List.copyOf(sorted);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Finds the endpoint for a request, or says why there is none. */
    public Match route(HttpMethod method, String path) {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        HttpEndpoint endpoint = exact.get(new RouteKey(method, path));
        if (endpoint != null) {
            return new Match.Found(endpoint, path);
        }
        for (PrefixRoute route : prefixes) {
            if (route.method().equals(method) && path.startsWith(route.prefix())) {
                return new Match.Found(route.endpoint(), route.prefix() + "*");
            }
        }
        Set<String> allowed = new TreeSet<>();
        exact.keySet().stream().filter(key -> key.path().equals(path)).forEach(key -> allowed.add(key.method().name()));
        prefixes.stream().filter(route -> path.startsWith(route.prefix()))
                .forEach(route -> allowed.add(route.method().name()));
        return allowed.isEmpty() ? new Match.NotFound() : new Match.MethodNotAllowed(Set.copyOf(allowed));
    }

    /** The outcome of {@link #route}. */
    public sealed interface Match {
        /** @param route the route's path, a prefix route's ending in {@code *} (e.g. {@code /ingest/*}): a label for metrics */
        record Found(HttpEndpoint endpoint, String route) implements Match {
            public Found {
                requireNonNull(endpoint, "endpoint is null");
                requireNonNull(route, "route is null");
            }
        }

        /** The path exists, for other methods (HTTP 405 with an Allow header). */
        record MethodNotAllowed(Set<String> allowedMethods) implements Match {
            public MethodNotAllowed {
                allowedMethods = Set.copyOf(allowedMethods);
            }
        }

        /** No route has this path (HTTP 404). */
        record NotFound() implements Match {
        }
    }

    private record RouteKey(HttpMethod method, String path) {
    }

    private record PrefixRoute(HttpMethod method, String prefix, HttpEndpoint endpoint) {
    }

    public static final class Builder {
        private final Map<RouteKey, HttpEndpoint> exact = new LinkedHashMap<>();
        private final List<PrefixRoute> prefixes = new ArrayList<>();

        private Builder() {
        }

        /** Routes requests with exactly this method and path. */
        public Builder exact(HttpMethod method, String path, HttpEndpoint endpoint) {
            requireNonNull(method, "method is null");
            checkPath(path);
            requireNonNull(endpoint, "endpoint is null");
            if (exact.putIfAbsent(new RouteKey(method, path), endpoint) != null) {
                throw new IllegalArgumentException("Route " + method + " " + path + " is already defined");
            }
            return this;
        }

        /** Routes requests with this method whose path starts with {@code prefix} (e.g. {@code /ingest/}). */
        public Builder prefix(HttpMethod method, String prefix, HttpEndpoint endpoint) {
            requireNonNull(method, "method is null");
            checkPath(prefix);
            requireNonNull(endpoint, "endpoint is null");
            if (prefixes.stream().anyMatch(route -> route.method().equals(method) && route.prefix().equals(prefix))) {
                throw new IllegalArgumentException("Route " + method + " " + prefix + "* is already defined");
            }
            prefixes.add(new PrefixRoute(method, prefix, endpoint));
            return this;
        }

        public HttpRouter build() {
            return new HttpRouter(exact, prefixes);
        }

        private static void checkPath(String path) {
            requireNonNull(path, "path is null");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("Path must start with /: " + path);
            }
        }
    }
}

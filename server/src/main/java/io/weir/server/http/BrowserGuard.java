package io.weir.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Keeps web pages of other sites from using the server through a visitor's browser. Without users
 * (the default on loopback) anyone who reaches the port may do anything, and a browser on the same
 * machine reaches it: a page of another site may send it requests (a POST needs no permission when its
 * body is "text/plain", and Avatica's protobuf endpoint reads any body), and a site whose name is made
 * to resolve to 127.0.0.1 (DNS rebinding) may even read the answers. So a request is refused (403)
 * <ul>
 * <li>when its {@code Host} names a host the server does not answer to (rebinding names the attacker's
 *     host): loopback names always pass, {@code server.allowed-hosts} adds names, and without that setting a
 *     server on a loopback address answers to loopback names only (on other addresses to any name);</li>
 * <li>when it changes something (any method but GET, HEAD, OPTIONS) and its {@code Origin}, which browsers
 *     send with such requests, is not the server's own; clients that are not browsers send no Origin.</li>
 * </ul>
 * Jupyter and Vite guard their local servers the same way.
 */
final class BrowserGuard {
    private final List<String> allowedHosts;
    private final boolean anyHost;

    /**
     * @param allowedHosts   the names of {@code server.allowed-hosts}, lower case: exact names, {@code .example.com}
     *                       for it and its subdomains, {@code *} for any
     * @param loopbackServer whether the server listens on a loopback address only
     */
    BrowserGuard(List<String> allowedHosts, boolean loopbackServer) {
        this.allowedHosts = List.copyOf(requireNonNull(allowedHosts, "allowedHosts is null"));
        this.anyHost = allowedHosts.contains("*") || (allowedHosts.isEmpty() && !loopbackServer);
    }

    static BrowserGuard of(List<String> allowedHosts, InetAddress bindAddress) {
        return new BrowserGuard(allowedHosts, bindAddress.isLoopbackAddress());
    }

    /** The reply refusing {@code call}, if it must be refused. */
    Optional<HttpReply> refusal(HttpCall call) {
        String hostHeader = call.headers().get(HttpHeaderNames.HOST);
        if (hostHeader != null && !anyHost) {
            String host = hostName(hostHeader);
            if (!loopback(host) && !listed(host)) {
                return Optional.of(HttpReply.text(HttpResponseStatus.FORBIDDEN, "This server does not answer to host '" + host
                        + "' (Host header). If that is its name, add it to server.allowed-hosts (--allowed-hosts); requests "
                        + "naming other hosts are refused so that web pages cannot reach the server through DNS rebinding"));
            }
        }
        String origin = call.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && changes(call.method()) && !sameOrigin(origin, hostHeader)) {
            return Optional.of(HttpReply.text(HttpResponseStatus.FORBIDDEN, "Requests from web pages of other sites (Origin "
                    + origin + ") are refused: a page cannot use this server through its visitors' browsers. Programs send "
                    + "no Origin header; the web console is served by this server itself"));
        }
        return Optional.empty();
    }

    private static boolean changes(HttpMethod method) {
        return !(method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD) || method.equals(HttpMethod.OPTIONS));
    }

    /** Whether {@code origin} ({@code scheme://host[:port]}) is the server as the request names it ({@code Host}). */
    private static boolean sameOrigin(String origin, String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        try {
            URI uri = new URI(origin.trim());
            if (uri.getHost() == null || uri.getScheme() == null) {
                return false; // "null": sandboxed frames, file: pages
            }
            int defaultPort = uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
            String originAuthority = uri.getHost().toLowerCase(Locale.ROOT) + ":" + (uri.getPort() < 0 ? defaultPort : uri.getPort());
            String host = hostName(hostHeader);
            int colon = hostHeader.lastIndexOf(':');
            int port = colon > hostHeader.lastIndexOf(']') && colon >= 0 ? parsePort(hostHeader.substring(colon + 1)) : defaultPort;
            String hostAuthority = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
            return originAuthority.equals(hostAuthority);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The host of a Host header, lower case, without its port or an IPv6 address's brackets. */
    static String hostName(String hostHeader) {
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host.substring(1) : host.substring(1, end);
        }
        int colon = host.indexOf(':');
        String name = colon < 0 ? host : host.substring(0, colon);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static boolean loopback(String host) {
        return host.equals("localhost") || host.endsWith(".localhost") || host.equals("::1") || host.matches("127(\\.\\d{1,3}){3}");
    }

    private boolean listed(String host) {
        for (String allowed : allowedHosts) {
            if (allowed.equals(host) || (allowed.startsWith(".") && (host.endsWith(allowed) || host.equals(allowed.substring(1))))) {
                return true;
            }
        }
        return false;
    }
}

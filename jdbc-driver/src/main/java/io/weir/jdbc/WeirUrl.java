package io.weir.jdbc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A parsed {@code jdbc:weir://host[:port][/][?property=value&property=value...]} URL.
 *
 * <p>The host may be a name, an IPv4 address or a bracketed IPv6 address ({@code [::1]}); the port
 * defaults to {@value #DEFAULT_PORT}. Property names and values are URL-decoded (UTF-8).
 */
public record WeirUrl(String host, int port, Map<String, String> properties) {
    public static final String PREFIX = "jdbc:weir:";
    public static final int DEFAULT_PORT = 8765;

    static final String SYNTAX = "jdbc:weir://host[:port][/][?property=value&...]";
    /** SQLSTATE for a URL the driver cannot use: "SQL client unable to establish SQL connection". */
    static final String SQLSTATE_BAD_URL = "08001";

    public WeirUrl {
        requireNonNull(host, "host is null");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(properties, "properties is null")));
    }

    /** Whether {@code url} is meant for this driver (it may still be malformed). */
    public static boolean accepts(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    /**
     * Parses a Weir JDBC URL.
     *
     * @throws SQLException (SQLSTATE 08001) naming what is wrong with the URL
     */
    public static WeirUrl parse(String url) throws SQLException {
        if (!accepts(url)) {
            throw badUrl(url, "it does not start with " + PREFIX);
        }
        String rest = url.substring(PREFIX.length());
        if (!rest.startsWith("//")) {
            throw badUrl(url, "expected // after " + PREFIX);
        }
        rest = rest.substring(2);

        String query = "";
        int questionMark = rest.indexOf('?');
        if (questionMark >= 0) {
            query = rest.substring(questionMark + 1);
            rest = rest.substring(0, questionMark);
        }
        String authority = rest;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            authority = rest.substring(0, slash);
            String path = rest.substring(slash);
            if (!path.equals("/")) {
                throw badUrl(url, "unexpected path '" + path + "' (a Weir URL names only the server)");
            }
        }

        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw badUrl(url, "missing ] after IPv6 address");
            }
            host = authority.substring(1, close);
            String afterHost = authority.substring(close + 1);
            if (!afterHost.isEmpty()) {
                if (!afterHost.startsWith(":")) {
                    throw badUrl(url, "expected :port after ]");
                }
                portText = afterHost.substring(1);
            }
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            if (colon >= 0) {
                portText = authority.substring(colon + 1);
            }
        }
        if (host.isEmpty()) {
            throw badUrl(url, "the host is missing");
        }
        int port = portText == null ? DEFAULT_PORT : parsePort(url, portText);
        return new WeirUrl(host, port, parseQuery(url, query));
    }

    /** The server's base HTTP URL for a serialization: protobuf is served at {@code /}, JSON at {@code /json}. */
    public String httpUrl(Serialization serialization) {
        return httpUrl(serialization, false);
    }

    /** As {@link #httpUrl(Serialization)}, {@code https://} when {@code tls}. */
    public String httpUrl(Serialization serialization, boolean tls) {
        String authority = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (tls ? "https://" : "http://") + authority + ":" + port + serialization.path();
    }

    private static int parsePort(String url, String text) throws SQLException {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw badUrl(url, "port '" + text + "' is not a number between 1 and 65535");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw badUrl(url, "port " + port + " is not between 1 and 65535");
        }
        return port;
    }

    private static Map<String, String> parseQuery(String url, String query) throws SQLException {
        Map<String, String> properties = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return properties;
        }
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw badUrl(url, "expected property=value, got '" + pair + "'");
            }
            String name = decode(url, pair.substring(0, equals));
            String value = decode(url, pair.substring(equals + 1));
            if (properties.put(name, value) != null) {
                throw badUrl(url, "property '" + name + "' is given twice");
            }
        }
        return properties;
    }

    private static String decode(String url, String text) throws SQLException {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw badUrl(url, "bad %-escape in '" + text + "'");
        }
    }

    static SQLException badUrl(String url, String problem) {
        return new SQLException("Invalid Weir JDBC URL '" + url + "': " + problem + ". Expected " + SYNTAX,
                SQLSTATE_BAD_URL);
    }

    /** How requests and responses are encoded on the wire. */
    public enum Serialization {
        PROTOBUF("/"),
        JSON("/json");

        private final String path;

        Serialization(String path) {
            this.path = path;
        }

        String path() {
            return path;
        }

        /** Parses {@code protobuf} or {@code json}, ignoring case. */
        public static Serialization of(String text) throws SQLException {
            for (Serialization serialization : values()) {
                if (serialization.name().equalsIgnoreCase(text.trim())) {
                    return serialization;
                }
            }
            throw new SQLException("Unknown serialization '" + text + "': use "
                    + PROTOBUF.name().toLowerCase(Locale.ROOT) + " (the default) or "
                    + JSON.name().toLowerCase(Locale.ROOT), SQLSTATE_BAD_URL);
        }
    }
}

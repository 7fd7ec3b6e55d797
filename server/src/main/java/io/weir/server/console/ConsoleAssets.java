package io.weir.server.console;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.weir.server.http.HttpCall;
import io.weir.server.http.HttpEndpoint;
import io.weir.server.http.HttpReply;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's page and its script, style sheet and icon, from the server's jar: {@code GET /} is the page,
 * {@code GET /console/<file>} the others. Read once, when the server starts; open to everyone (they hold no
 * data: what the page shows it asks for with the user's credentials).
 */
final class ConsoleAssets implements HttpEndpoint {
    static final String PATH_PREFIX = "/console/";
    private static final String RESOURCES = "/io/weir/server/console/";
    private static final List<String> FILES = List.of("index.html", "console.js", "console.css", "favicon.svg");

    private final Map<String, HttpReply> replies = new HashMap<>();

    ConsoleAssets() {
        for (String file : FILES) {
            try (InputStream in = ConsoleAssets.class.getResourceAsStream(RESOURCES + file)) {
                if (in == null) {
                    throw new IllegalStateException("The console's " + file + " is missing from the server's jar");
                }
                HttpReply reply = SecurityHeaders.apply(new HttpReply(HttpResponseStatus.OK, contentType(file), in.readAllBytes()))
                        .withHeader("Cache-Control", "no-cache"); // a new server version's files are taken at once
                replies.put(file.equals("index.html") ? "/" : PATH_PREFIX + file, reply);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the console's " + file, e);
            }
        }
    }

    @Override
    public HttpReply handle(HttpCall call) {
        HttpReply reply = replies.get(call.path());
        return reply != null ? reply : SecurityHeaders.apply(HttpReply.text(HttpResponseStatus.NOT_FOUND, "No such file: " + call.path()));
    }

    private static String contentType(String file) {
        if (file.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (file.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (file.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        return "image/svg+xml";
    }
}

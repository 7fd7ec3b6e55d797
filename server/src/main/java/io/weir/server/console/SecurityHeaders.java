package io.weir.server.console;

import io.weir.server.http.HttpReply;

/**
 * The headers of everything the console serves: its scripts come from this server only (no inline script, so
 * that text injected into the page cannot run), it cannot be framed, and browsers take content types as sent.
 */
final class SecurityHeaders {
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    static HttpReply apply(HttpReply reply) {
        return reply.withHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("X-Frame-Options", "DENY")
                .withHeader("Referrer-Policy", "no-referrer");
    }
}

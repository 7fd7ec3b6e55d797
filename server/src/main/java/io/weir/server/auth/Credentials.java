package io.weir.server.auth;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/** What an HTTP request's {@code Authorization} header offers (RFC 7617 Basic, RFC 6750 Bearer). */
public sealed interface Credentials {
    /** No {@code Authorization} header. */
    record None() implements Credentials {
    }

    /** {@code Basic base64(user:password)}, the password as sent (never logged). */
    record Password(String user, String password) implements Credentials {
        public Password {
            requireNonNull(user, "user is null");
            requireNonNull(password, "password is null");
        }

        @Override
        public String toString() {
            return "Password[user=" + user + "]";
        }
    }

    /** {@code Bearer <token>} (never logged). */
    record Bearer(String token) implements Credentials {
        public Bearer {
            requireNonNull(token, "token is null");
        }

        @Override
        public String toString() {
            return "Bearer[...]";
        }
    }

    /** A header that cannot be read, or of another scheme. */
    record Malformed(String problem) implements Credentials {
        public Malformed {
            requireNonNull(problem, "problem is null");
        }
    }

    /** The credentials of a request, from its {@code Authorization} header. */
    static Credentials of(HttpHeaders headers) {
        String header = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            return new None();
        }
        String value = header.strip();
        int space = value.indexOf(' ');
        String scheme = (space < 0 ? value : value.substring(0, space)).toLowerCase(Locale.ROOT);
        String parameter = space < 0 ? "" : value.substring(space + 1).strip();
        if (scheme.equals("basic")) {
            return basic(parameter);
        }
        if (scheme.equals("bearer")) {
            return parameter.isEmpty() ? new Malformed("the Bearer token is empty") : new Bearer(parameter);
        }
        return new Malformed("the Authorization scheme is not Basic or Bearer");
    }

    private static Credentials basic(String encoded) {
        String decoded;
        try {
            // RFC 7617: UTF-8 (what the server announces with charset="UTF-8" and clients send)
            decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Base64.getDecoder().decode(encoded))).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return new Malformed("the Basic credentials are not Base64 of UTF-8 text");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return new Malformed("the Basic credentials are not user:password");
        }
        return new Password(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
}

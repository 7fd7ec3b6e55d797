package io.weir.server.ingest;

import io.netty.handler.codec.http.HttpResponseStatus;

import static java.util.Objects.requireNonNull;

/** A request to {@code POST /ingest/<stream>} that is refused as a whole, with the status to answer. */
final class IngestException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient HttpResponseStatus status;

    IngestException(HttpResponseStatus status, String message) {
        super(requireNonNull(message, "message is null"));
        this.status = requireNonNull(status, "status is null");
    }

    HttpResponseStatus status() {
        return status;
    }
}

package io.weir.server.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.weir.server.http.HttpReply;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON bodies of {@code POST /ingest/<stream>} replies: {@code {"accepted": n, "rejected": m,
 * "errors": [{"record": i, "reason": "..."}]}}, plus {@code "error"} when the request was refused.
 */
final class IngestReplies {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private IngestReplies() {
    }

    static HttpReply outcome(HttpResponseStatus status, IngestOutcome outcome, String error) {
        return write(status, generator -> {
            if (error != null) {
                generator.writeStringField("error", error);
            }
            generator.writeNumberField("accepted", outcome.accepted());
            generator.writeNumberField("rejected", outcome.rejected());
            generator.writeArrayFieldStart("errors");
            for (IngestOutcome.Rejection rejection : outcome.errors()) {
                generator.writeStartObject();
                generator.writeNumberField("record", rejection.record());
                generator.writeStringField("reason", rejection.reason());
                generator.writeEndObject();
            }
            generator.writeEndArray();
        });
    }

    static HttpReply error(HttpResponseStatus status, String message) {
        return write(status, generator -> generator.writeStringField("error", message));
    }

    private static HttpReply write(HttpResponseStatus status, Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            generator.writeStartObject();
            fields.write(generator);
            generator.writeEndObject();
        } catch (IOException e) {
            // Writing to memory does not fail; a failure here is a bug.
            throw new UncheckedIOException("Cannot write an ingest reply", e);
        }
        out.write('\n');
        return new HttpReply(status, HttpReply.JSON, out.toByteArray());
    }

    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator generator) throws IOException;
    }
}

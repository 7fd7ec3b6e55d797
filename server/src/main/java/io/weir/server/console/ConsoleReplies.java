package io.weir.server.console;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.weir.server.http.HttpReply;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

/** Replies of the console API: JSON, with the headers that keep a browser from reading them as anything else. */
final class ConsoleReplies {
    private ConsoleReplies() {
    }

    static HttpReply json(HttpResponseStatus status, ConsoleJson.Body body) {
        return SecurityHeaders.apply(new HttpReply(status, HttpReply.JSON, ConsoleJson.write(body)))
                .withHeader("Cache-Control", "no-store");
    }

    /** {@code {"error": message}}. */
    static HttpReply error(HttpResponseStatus status, String message) {
        return json(status, json -> {
            json.writeStartObject();
            json.writeStringField("error", message);
            json.writeEndObject();
        });
    }

    /**
     * A statement's failure: {@code {"error", "sqlstate", "line", "column"}}, HTTP 403 when the user may not do it,
     * otherwise {@code status}.
     */
    static HttpReply failure(HttpResponseStatus status, WeirException failure) {
        HttpResponseStatus answered = failure.errorCode() == ErrorCode.INSUFFICIENT_PRIVILEGE ? HttpResponseStatus.FORBIDDEN : status;
        return json(answered, json -> {
            json.writeStartObject();
            json.writeStringField("error", failure.getMessage());
            json.writeStringField("sqlstate", failure.errorCode().sqlState());
            if (failure.position().isPresent()) {
                json.writeNumberField("line", failure.position().get().line());
                json.writeNumberField("column", failure.position().get().column());
            }
            json.writeEndObject();
        });
    }
}

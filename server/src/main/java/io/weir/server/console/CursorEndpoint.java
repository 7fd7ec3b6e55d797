package io.weir.server.console;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.weir.server.http.HttpCall;
import io.weir.server.http.HttpReply;
import io.weir.server.http.UserEndpoint;
import io.weir.spi.WeirException;
import io.weir.sql.auth.SessionUser;
import org.apache.calcite.avatica.Meta;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The rows of a continuous query the console started ({@link SqlEndpoint}), by long polling:
 * {@code GET /api/cursors/<id>?offset=<rows read so far>} answers {@code {"rows", "offset", "done"}} as soon as there
 * are rows, or with none after {@link #MAX_WAIT}, holding no thread meanwhile; asking again for the same offset
 * answers the same rows (a retry after a lost reply). {@code DELETE /api/cursors/<id>} closes it and stops the query.
 * A query that failed or was stopped (STOP QUERY) answers HTTP 409 with its error.
 */
final class CursorEndpoint implements UserEndpoint {
    static final String PATH_PREFIX = "/api/cursors/";
    static final Duration MAX_WAIT = Duration.ofSeconds(1);
    private static final int FETCH_ROWS = 500;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final ConsoleCursors cursors;

    CursorEndpoint(ConsoleCursors cursors) {
        this.cursors = requireNonNull(cursors, "cursors is null");
    }

    @Override
    public HttpReply handle(HttpCall call, SessionUser user) throws Exception {
        return handleAsync(call, user).toCompletableFuture().get();
    }

    @Override
    public CompletionStage<HttpReply> handleAsync(HttpCall call, SessionUser user) {
        String id = call.path().substring(PATH_PREFIX.length());
        Optional<ConsoleCursors.OpenCursor> found = ID.matcher(id).matches() ? cursors.get(id, user) : Optional.empty();
        if (found.isEmpty()) {
            return CompletableFuture.completedFuture(ConsoleReplies.error(HttpResponseStatus.NOT_FOUND,
                    "No such query result: it ended, was closed, or was not read for " + ConsoleCursors.IDLE.toSeconds()
                            + " s. Run the query again"));
        }
        if (call.method().equals(HttpMethod.DELETE)) {
            cursors.close(id, user);
            return CompletableFuture.completedFuture(ConsoleReplies.json(HttpResponseStatus.OK, json -> {
                json.writeStartObject();
                json.writeBooleanField("closed", true);
                json.writeEndObject();
            }));
        }
        long offset;
        try {
            List<String> given = call.queryParameters().getOrDefault("offset", List.of("0"));
            offset = Long.parseLong(given.get(0));
        } catch (NumberFormatException e) {
            return CompletableFuture.completedFuture(ConsoleReplies.error(HttpResponseStatus.BAD_REQUEST,
                    "offset must be the number of rows read so far, e.g. ?offset=0"));
        }
        ConsoleCursors.OpenCursor cursor = found.get();
        return cursor.cursor().fetch(offset, FETCH_ROWS, MAX_WAIT).handle((frame, failure) -> {
            if (failure != null) {
                cursors.close(id, user);
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                if (cause instanceof WeirException weir) {
                    return ConsoleReplies.failure(HttpResponseStatus.CONFLICT, weir);
                }
                throw new CompletionException(cause);
            }
            if (frame.done) {
                cursors.close(id, user);
            }
            return rows(cursor, frame);
        });
    }

    private static HttpReply rows(ConsoleCursors.OpenCursor cursor, Meta.Frame frame) {
        return ConsoleReplies.json(HttpResponseStatus.OK, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("rows");
            long count = 0;
            for (Object row : frame.rows) {
                ConsoleJson.row(json, cursor.columns(), row);
                count++;
            }
            json.writeEndArray();
            json.writeNumberField("offset", frame.offset + count);
            json.writeBooleanField("done", frame.done);
            json.writeEndObject();
        });
    }
}

package io.weir.server.console;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.weir.server.http.HttpCall;
import io.weir.server.http.HttpReply;
import io.weir.server.http.UserEndpoint;
import io.weir.server.meta.ResultCursor;
import io.weir.server.meta.StatementRunner;
import io.weir.spi.WeirException;
import io.weir.sql.auth.SessionUser;
import io.weir.sql.session.SessionOptions;
import io.weir.sql.session.SessionProperties;
import io.weir.sql.statement.PreparedPlan;
import io.weir.sql.statement.StatementCancel;
import org.apache.calcite.avatica.Meta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * {@code POST /api/sql} with {@code {"sql": "<one statement>"}}: runs the statement as the signed-in user through
 * the server's {@link StatementRunner} (the same planning, privileges and limits as JDBC and PostgreSQL clients),
 * in a new session with the server's defaults. Answers
 * <ul>
 *   <li>{@code {"kind": "count", "count", "message", "warnings"}} for a statement without rows,</li>
 *   <li>{@code {"kind": "rows", "columns", "rows", "truncated"}} for a bounded result (at most {@link #MAX_ROWS} rows),</li>
 *   <li>{@code {"kind": "continuous", "columns", "cursor", "queryId"}} for a continuous query, whose rows are read
 *       from {@code /api/cursors/<cursor>} ({@link CursorEndpoint}),</li>
 *   <li>{@code {"error", "sqlstate", "line", "column"}} with HTTP 400 (403 without the privilege) when it fails.</li>
 * </ul>
 */
final class SqlEndpoint implements UserEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(SqlEndpoint.class);
    static final int MAX_ROWS = 1_000;
    private static final int FETCH_ROWS = 500;

    private final StatementRunner runner;
    private final ConsoleCursors cursors;
    private final Consumer<String> statementFailed;

    /** @param statementFailed told the SQLSTATE of each statement that fails (the server's metrics) */
    SqlEndpoint(StatementRunner runner, ConsoleCursors cursors, Consumer<String> statementFailed) {
        this.runner = requireNonNull(runner, "runner is null");
        this.cursors = requireNonNull(cursors, "cursors is null");
        this.statementFailed = requireNonNull(statementFailed, "statementFailed is null");
    }

    @Override
    public HttpReply handle(HttpCall call, SessionUser user) {
        Optional<String> sql;
        try {
            sql = ConsoleJson.stringField(call.body(), "sql");
        } catch (IOException e) {
            sql = Optional.empty();
        }
        if (sql.isEmpty() || sql.get().isBlank()) {
            return ConsoleReplies.error(HttpResponseStatus.BAD_REQUEST,
                    "Send a JSON object with the statement to run: {\"sql\": \"SHOW STREAMS\"}");
        }
        SessionProperties session = runner.context().newSessionProperties();
        // the console reads its queries continuously: one it stopped reading was abandoned (a closed tab)
        if (session.duration(SessionOptions.CLIENT_TIMEOUT).compareTo(ConsoleCursors.IDLE) > 0) {
            session.set(SessionOptions.CLIENT_TIMEOUT.key(), ConsoleCursors.IDLE.toSeconds() + " s");
        }
        StatementCancel cancel = new StatementCancel();
        try {
            PreparedPlan plan = runner.prepare(session, sql.get(), cancel);
            StatementRunner.Outcome outcome = runner.execute(session, user, plan, cancel, 0);
            if (outcome instanceof StatementRunner.Outcome.Count count) {
                return ConsoleReplies.json(HttpResponseStatus.OK, json -> {
                    json.writeStartObject();
                    json.writeStringField("kind", "count");
                    json.writeNumberField("count", count.count());
                    json.writeStringField("message", count.message());
                    json.writeArrayFieldStart("warnings");
                    for (String warning : count.warnings()) {
                        json.writeString(warning);
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                });
            }
            StatementRunner.Outcome.Rows rows = (StatementRunner.Outcome.Rows) outcome;
            if (rows.continuous()) {
                ConsoleCursors.OpenCursor open = cursors.open(user, rows.columns(), rows.cursor());
                return ConsoleReplies.json(HttpResponseStatus.OK, json -> {
                    json.writeStartObject();
                    json.writeStringField("kind", "continuous");
                    ConsoleJson.columns(json, rows.columns());
                    json.writeStringField("cursor", open.id());
                    json.writeStringField("queryId", rows.cursor().queryId().orElse(null));
                    json.writeEndObject();
                });
            }
            return bounded(session, cancel, rows);
        } catch (WeirException e) {
            statementFailed.accept(e.errorCode().sqlState());
            return ConsoleReplies.failure(HttpResponseStatus.BAD_REQUEST, e);
        } catch (RuntimeException e) {
            statementFailed.accept(io.weir.spi.ErrorCode.INTERNAL_ERROR.sqlState());
            LOG.error("Running a statement for the console failed: {}", sql.get(), e);
            return ConsoleReplies.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "The server failed to run the statement ("
                    + e + "); the server log has the details");
        }
    }

    /** Reads up to {@link #MAX_ROWS} rows of a bounded result, within the statement's time limit, and closes it. */
    private HttpReply bounded(SessionProperties session, StatementCancel cancel, StatementRunner.Outcome.Rows rows) {
        ResultCursor cursor = rows.cursor();
        List<Object> read = new ArrayList<>();
        boolean truncated;
        try {
            boolean done = false;
            while (!done && read.size() < MAX_ROWS) {
                long offset = read.size();
                int want = Math.min(FETCH_ROWS, MAX_ROWS - read.size());
                Meta.Frame frame = runner.timed(session, cancel, () -> cursor.fetch(offset, want, Duration.ZERO).join());
                frame.rows.forEach(read::add);
                done = frame.done;
            }
            truncated = !done && cursor.fetch(read.size(), 1, Duration.ZERO).join().rows.iterator().hasNext();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        } finally {
            cursor.close();
        }
        boolean more = truncated;
        return ConsoleReplies.json(HttpResponseStatus.OK, json -> {
            json.writeStartObject();
            json.writeStringField("kind", "rows");
            ConsoleJson.columns(json, rows.columns());
            json.writeArrayFieldStart("rows");
            for (Object row : read) {
                ConsoleJson.row(json, rows.columns(), row);
            }
            json.writeEndArray();
            json.writeBooleanField("truncated", more);
            json.writeEndObject();
        });
    }
}

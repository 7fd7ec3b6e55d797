package io.weir.server.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Posts each step of the input to {@code POST /ingest/<stream>} as one JSON-lines body, each record
 * with its input index as {@code id}, and retries the same body until the server answers that it
 * accepted every record — as a client of an at-least-once endpoint does. A request that fails after
 * it reached the server (the server killed before it answered) may or may not have been appended:
 * this writer counts, per record, those <em>unanswered</em> attempts, so that the test knows how many
 * copies of a record the server may hold: exactly one when none of its attempts went unanswered,
 * else between one and one more than the unanswered attempts. A refused connection (server down)
 * reached nothing and does not count.
 */
final class IngestStepWriter implements RetryingStepWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** Between attempts while the server is down or restarting: a back-off, not a synchronization. */
    private static final long RETRY_PAUSE_MILLIS = 100;

    private final IntSupplier port;
    private final String stream;
    private final UnansweredAttempts unanswered;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * @param port the server's current port (it changes at every restart)
     * @param records how many records the input has (ids are below it)
     */
    IngestStepWriter(IntSupplier port, String stream, int records) {
        this.port = requireNonNull(port, "port is null");
        this.stream = requireNonNull(stream, "stream is null");
        this.unanswered = new UnansweredAttempts(records);
    }

    @Override
    public void write(int firstIndex, List<InputRecord> step) throws InterruptedException {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < step.size(); i++) {
            body.append(step.get(i).jsonWithIdAndEventTime(firstIndex + i)).append('\n');
        }
        while (true) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port.getAsInt() + "/ingest/" + stream))
                        .timeout(REQUEST_TIMEOUT)
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    JsonNode reply = JSON.readTree(response.body());
                    if (reply.path("accepted").asInt(-1) != step.size()) {
                        throw new AssertionError("POST /ingest/" + stream + " accepted only part of " + step.size()
                                + " records: " + response.body());
                    }
                    return;
                }
                if (response.statusCode() != 503) {
                    throw new AssertionError("POST /ingest/" + stream + " answered " + response.statusCode() + ": "
                            + response.body());
                }
                // 503: the log is full or the stream not ready; nothing of the request was accepted
            } catch (ConnectException e) {
                // the server is down or not listening yet: the request reached nothing
            } catch (IOException e) {
                // the connection broke after the request was sent: the records may have been appended
                unanswered.add(firstIndex, step.size());
            }
            Thread.sleep(RETRY_PAUSE_MILLIS);
        }
    }

    /** Read after the feeder finished. */
    @Override
    public UnansweredAttempts unanswered() {
        return unanswered;
    }
}

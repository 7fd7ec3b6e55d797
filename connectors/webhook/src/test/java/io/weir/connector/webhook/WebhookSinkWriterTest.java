package io.weir.connector.webhook;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ConnectorResolver;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.ResolvedConnector;
import io.weir.spi.error.ErrorPolicy;
import io.weir.spi.error.InMemoryDeadLetterSink;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.error.SourceCounters;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Batching, retries, failures, headers and back-pressure against a real HTTP server. */
class WebhookSinkWriterTest {
    private static final List<DataType.Field> SCHEMA = List.of(
            new DataType.Field("id", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("message", DataType.varchar()));
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path tempDir;

    private WebhookServer server;
    private final List<WebhookSinkWriter> writers = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = new WebhookServer();
    }

    @AfterEach
    void stop() {
        writers.forEach(WebhookSinkWriter::close);
        server.close();
    }

    private Map<String, String> options(String... keyValues) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("connector", "webhook");
        options.put("url", server.url());
        // Small back-off keeps the retry tests fast.
        options.put("retry.initial-backoff", "10 ms");
        options.put("retry.max-backoff", "40 ms");
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put(keyValues[i], keyValues[i + 1]);
        }
        return options;
    }

    private ConnectorContext context(Map<String, String> options) {
        ResolvedConnector resolved = ConnectorResolver.resolve(options, getClass().getClassLoader());
        RecordErrorHandler handler = new RecordErrorHandler("alerts", ObjectKind.STREAM, ErrorPolicy.FAIL,
                new InMemoryDeadLetterSink(), new SourceCounters(), InstantSource.system());
        ConnectorContext context = resolved.context("alerts", ObjectKind.STREAM, SCHEMA, handler, tempDir, InstantSource.system());
        resolved.validate(context);
        return context;
    }

    private WebhookSinkWriter writer(Map<String, String> options) {
        ConnectorContext context = context(options);
        WebhookSinkWriter writer = (WebhookSinkWriter) new WebhookConnectorFactory().createSink(context).createWriter();
        writers.add(writer);
        return writer;
    }

    private static List<Object[]> rows(int first, int count) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            rows.add(new Object[] {(long) i, "alert " + i});
        }
        return rows;
    }

    private static Batch batch(List<Object[]> rows) {
        return Batch.of(SCHEMA, rows);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void rowsAreSentInRequestsOfAtMostBatchMaxRows() {
        WebhookSinkWriter writer = writer(options("batch.max-rows", "500"));
        List<Object[]> rows = rows(0, 1200);
        writer.write(batch(rows));
        writer.flush();

        assertThat(server.accepted()).extracting(request -> request.rowObjects().size()).containsExactly(500, 500, 200);
        assertThat(server.acceptedRows(SCHEMA)).containsExactlyElementsOf(rows);
        assertThat(server.accepted().get(0).rowObjects().get(0)).isEqualTo("{\"id\":0,\"message\":\"alert 0\"}");
        assertThat(writer.stats()).isEqualTo(new WebhookStats(3, 0, 0, 1200));
    }

    @Test
    void serverErrorsAreRetriedAndTheRowsDeliveredOnce() {
        Logger logger = (Logger) LoggerFactory.getLogger(RequestSender.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            server.answer(500, 500);
            WebhookSinkWriter writer = writer(options("headers.Authorization", "Bearer s3cret-token"));
            List<Object[]> rows = rows(0, 3);
            writer.write(batch(rows));
            writer.flush();

            assertThat(server.requests()).hasSize(3)
                    .allSatisfy(request -> assertThat(request.body()).isEqualTo(server.requests().get(0).body()));
            assertThat(server.acceptedRows(SCHEMA)).containsExactlyElementsOf(rows);
            assertThat(writer.stats()).isEqualTo(new WebhookStats(1, 0, 2, 3));
            List<ILoggingEvent> warnings = logged.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
            assertThat(warnings).hasSize(2).allSatisfy(event -> assertThat(event.getFormattedMessage())
                    .contains(server.url()).contains("HTTP 500").doesNotContain("s3cret"));
        } finally {
            logger.detachAppender(logged);
        }
    }

    @Test
    void tooManyRequestsIsRetriedAfterRetryAfter() {
        server.answer(new WebhookServer.Response(429, Map.of("Retry-After", "0"), "slow down"));
        WebhookSinkWriter writer = writer(options());
        writer.write(batch(rows(0, 2)));
        writer.flush();
        assertThat(server.requests()).hasSize(2);
        assertThat(writer.stats()).isEqualTo(new WebhookStats(1, 0, 1, 2));
    }

    @Test
    void retryAfterIsReadAsSecondsOrADate() {
        assertThat(RequestSender.parseRetryAfter(" 3 ")).contains(Duration.ofSeconds(3));
        String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusMinutes(1));
        assertThat(RequestSender.parseRetryAfter(inAMinute)).hasValueSatisfying(wait ->
                assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1)));
        assertThat(RequestSender.parseRetryAfter("soon")).isEmpty();
        assertThat(RequestSender.parseRetryAfter("-1")).isEmpty();
    }

    @Test
    void clientErrorFailsTheFlushWithoutRetrying() {
        server.answer(new WebhookServer.Response(400, Map.of(), "{\"error\": \"invalid payload\"}"));
        WebhookSinkWriter writer = writer(options("url", server.url() + "?token=s3cret"));
        writer.write(batch(rows(0, 2)));

        assertThatThrownBy(writer::flush)
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SINK_ERROR))
                .hasMessageContaining("Stream 'alerts'")
                .hasMessageContaining(server.url())
                .hasMessageContaining("HTTP 400")
                .hasMessageContaining("invalid payload")
                .hasMessageContaining("'headers.*'")
                .hasMessageNotContaining("s3cret");
        assertThat(server.requests()).hasSize(1);
        assertThat(writer.stats()).isEqualTo(new WebhookStats(0, 1, 0, 0));
        // The writer stays failed: the query must not go on as if the rows were delivered.
        assertThatThrownBy(() -> writer.write(batch(rows(2, 1))))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SINK_ERROR))
                .hasMessageContaining("HTTP 400");
        assertThatThrownBy(writer::flush).isInstanceOf(WeirException.class);
    }

    @Test
    void unreachableServerFailsTheFlushAfterEveryAttempt() {
        String url = server.url();
        server.close();
        WebhookSinkWriter writer = writer(options("url", url, "retry.max-attempts", "3"));
        writer.write(batch(rows(0, 2)));

        assertThatThrownBy(writer::flush)
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SINK_ERROR))
                .hasMessageContaining(url)
                .hasMessageContaining("failed 3 times")
                .hasMessageContaining("ConnectException")
                .hasMessageContaining("'retry.max-attempts'");
        assertThat(writer.stats()).isEqualTo(new WebhookStats(0, 1, 2, 0));
    }

    @Test
    void headersAndMethodAreSent() {
        WebhookSinkWriter writer = writer(options("method", "put", "headers.Authorization", "Bearer s3cret",
                "headers.X-Team", "ops"));
        writer.write(batch(rows(0, 1)));
        writer.flush();

        WebhookServer.Request request = server.accepted().get(0);
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.path()).isEqualTo("/hook");
        assertThat(request.headers().getFirst("Authorization")).isEqualTo("Bearer s3cret");
        assertThat(request.headers().getFirst("X-Team")).isEqualTo("ops");
        assertThat(request.headers().getFirst("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void aContentTypeHeaderReplacesTheDefault() {
        WebhookSinkWriter writer = writer(options("headers.Content-Type", "application/vnd.alerts+json"));
        writer.write(batch(rows(0, 1)));
        writer.flush();
        assertThat(server.accepted().get(0).headers().get("Content-Type")).containsExactly("application/vnd.alerts+json");
    }

    @Test
    void aFullQueueBlocksTheWriterUntilRowsAreSent() throws Exception {
        server.hold();
        WebhookSinkWriter writer = writer(options("batch.max-rows", "5", "queue.max-rows", "10"));
        List<Object[]> rows = rows(0, 30);
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread query = new Thread(() -> {
            try {
                writer.write(batch(rows));
                writer.flush();
            } catch (Throwable e) {
                error.set(e);
            }
        }, "test-query");
        query.start();

        // One request of 5 rows is held by the server, 10 rows fill the queue, the other 15 are not taken.
        await("the writer blocks on the full queue", () -> server.requests().size() == 1 && writer.queuedRows() == 10
                && (query.getState() == Thread.State.WAITING || query.getState() == Thread.State.TIMED_WAITING));
        assertThat(query.isAlive()).isTrue();
        assertThat(writer.queuedRows()).isEqualTo(10);

        server.release();
        query.join(TIMEOUT.toMillis());
        assertThat(query.isAlive()).isFalse();
        assertThat(error.get()).isNull();
        assertThat(server.acceptedRows(SCHEMA)).containsExactlyElementsOf(rows);
        assertThat(writer.stats().deliveredRequests()).isEqualTo(6);
    }

    @Test
    void closeStopsASenderThatIsRetrying() throws Exception {
        String url = server.url();
        server.close();
        WebhookSinkWriter writer = writer(options("url", url, "batch.max-rows", "1", "retry.max-attempts", "1000",
                "retry.initial-backoff", "1 s", "retry.max-backoff", "1 s"));
        writer.write(batch(rows(0, 1)));
        await("the sender retries", () -> writer.stats().retriedRequests() >= 1);
        writer.close();
        writer.close();
        assertThat(writer.senderRunning()).isFalse();
        assertThatThrownBy(writer::flush).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badOptionsAreRejectedNamingThem() {
        assertThatThrownBy(() -> context(options("url", "ftp://example.com/x")))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION_VALUE))
                .hasMessageContaining("'url'").hasMessageContaining("http://");
        assertThatThrownBy(() -> context(options("url", "not a url")))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION_VALUE))
                .hasMessageContaining("'url'");
        assertThatThrownBy(() -> context(options("batch.max-rows", "100", "queue.max-rows", "50")))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION_VALUE))
                .hasMessageContaining("'queue.max-rows'").hasMessageContaining("'batch.max-rows'");
        assertThatThrownBy(() -> context(options("headers.Host", "example.com")))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION_VALUE))
                .hasMessageContaining("'headers.host'");
        assertThatThrownBy(() -> context(options("method", "GET")))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION_VALUE))
                .hasMessageContaining("'method'");
        assertThatThrownBy(() -> context(options("retry.max-attempts", "0")))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION_VALUE))
                .hasMessageContaining("'retry.max-attempts'");
        assertThatThrownBy(() -> context(options("format", "json")))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_OPTION))
                .hasMessageContaining("'format'");
    }

    @Test
    void headerValuesAreSecretAndTheStreamCannotBeRead() {
        assertThat(WebhookConnectorFactory.HEADERS.secret()).isTrue();
        assertThat(WebhookConnectorFactory.HEADERS.matches("headers.authorization")).isTrue();
        ConnectorContext context = context(options());
        assertThatThrownBy(() -> new WebhookConnectorFactory().createSource(context))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED))
                .hasMessageContaining("INSERT INTO");
    }
}

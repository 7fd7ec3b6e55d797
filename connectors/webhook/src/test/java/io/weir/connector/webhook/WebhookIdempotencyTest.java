package io.weir.connector.webhook;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ConnectorResolver;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.PreparedCommit;
import io.weir.spi.connector.ResolvedConnector;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Idempotency-Key of every request, against a real HTTP server: stable across a replay from a checkpoint. */
class WebhookIdempotencyTest {
    private static final List<DataType.Field> SCHEMA = List.of(
            new DataType.Field("id", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("message", DataType.varchar()));
    private static final String KEY = "Idempotency-Key";

    @TempDir
    Path tempDir;

    private WebhookServer server;
    private final List<SinkWriter> writers = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = new WebhookServer();
    }

    @AfterEach
    void stop() {
        writers.forEach(SinkWriter::close);
        server.close();
    }

    private Map<String, String> options(String... keyValues) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("connector", "webhook");
        options.put("url", server.url());
        options.put("batch.max-rows", "2");
        options.put("retry.initial-backoff", "10 ms");
        options.put("retry.max-backoff", "40 ms");
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put(keyValues[i], keyValues[i + 1]);
        }
        return options;
    }

    private SinkWriter writer(Map<String, String> options, Optional<String> writerId) {
        ResolvedConnector resolved = ConnectorResolver.resolve(options, getClass().getClassLoader());
        ConnectorContext context = resolved.context("alerts", ObjectKind.STREAM, SCHEMA,
                RecordErrorHandler.failing("alerts", ObjectKind.STREAM), tempDir, InstantSource.system())
                .withReading(List.of(), writerId);
        resolved.validate(context);
        SinkWriter writer = new WebhookConnectorFactory().createSink(context).createWriter();
        writers.add(writer);
        return writer;
    }

    private static Batch rows(long first, long last) {
        List<Object[]> rows = new ArrayList<>();
        for (long id = first; id <= last; id++) {
            rows.add(new Object[] {id, "alert " + id});
        }
        return Batch.of(SCHEMA, rows);
    }

    /** The keys of the requests the server received from index {@code from} on. */
    private List<String> keys(int from) {
        return server.requests().subList(from, server.requests().size()).stream()
                .map(request -> request.headers().getFirst(KEY)).toList();
    }

    @Test
    void aReplayFromTheSameCheckpointSendsTheSameKeys() {
        SinkWriter first = writer(options(), Optional.of("q7.alerts"));
        assertThat(first.guarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(first.recover(Optional.empty())).isTrue();
        first.write(rows(1, 5));
        first.flush();
        assertThat(keys(0)).hasSize(3).allSatisfy(key -> assertThat(key).matches("q7\\.alerts:0:[1-3]:[0-9a-f]{16}"));
        first.prepareCommit(1);
        first.commit(1);
        int afterCheckpoint = server.requests().size();
        first.write(rows(6, 8));
        first.flush();
        first.write(rows(9, 9));
        first.flush();
        List<String> sentAfterCheckpoint = keys(afterCheckpoint);
        assertThat(sentAfterCheckpoint).hasSize(3)
                .allSatisfy(key -> assertThat(key).matches("q7\\.alerts:1:[1-3]:[0-9a-f]{16}"));
        first.close(); // the process dies; checkpoint 1 is the newest

        SinkWriter replaying = writer(options(), Optional.of("q7.alerts"));
        assertThat(replaying.recover(Optional.of(new PreparedCommit(1, new byte[0])))).isTrue();
        int replayed = server.requests().size();
        replaying.write(rows(6, 8));
        replaying.flush();
        replaying.write(rows(9, 9));
        replaying.flush();
        assertThat(keys(replayed)).containsExactlyElementsOf(sentAfterCheckpoint);
        assertThat(server.requests().subList(replayed, server.requests().size())).extracting(WebhookServer.Request::body)
                .containsExactlyElementsOf(server.requests().subList(afterCheckpoint, replayed).stream()
                        .map(WebhookServer.Request::body).toList());
    }

    @Test
    void aReplayThatFormsOtherRequestsNeverReusesAKeyForOtherRows() {
        SinkWriter first = writer(options(), Optional.of("q7.alerts"));
        first.recover(Optional.empty());
        first.write(rows(1, 3)); // requests [1,2] [3]
        first.flush();
        first.close();

        SinkWriter replaying = writer(options(), Optional.of("q7.alerts"));
        replaying.recover(Optional.empty());
        replaying.write(rows(1, 1)); // micro-batches cut elsewhere: [1] [2,3]
        replaying.flush();
        replaying.write(rows(2, 3));
        replaying.flush();

        Map<String, String> bodyByKey = new HashMap<>();
        for (WebhookServer.Request request : server.requests()) {
            String earlier = bodyByKey.putIfAbsent(request.headers().getFirst(KEY), request.body());
            assertThat(earlier == null || earlier.equals(request.body()))
                    .as("key %s was sent with two bodies", request.headers().getFirst(KEY)).isTrue();
        }
        assertThat(bodyByKey).hasSize(4);
    }

    @Test
    void retriesOfARequestCarryItsKey() {
        server.answer(503);
        SinkWriter writer = writer(options(), Optional.of("q7.alerts"));
        writer.write(rows(1, 2));
        writer.flush();
        assertThat(server.requests()).hasSize(2);
        assertThat(keys(0).get(1)).isEqualTo(keys(0).get(0)).startsWith("q7.alerts:0:1:");
    }

    @Test
    void writersOfQueriesThatDoNotPersistHaveKeysOfTheirOwn() {
        SinkWriter first = writer(options(), Optional.empty());
        first.write(rows(1, 1));
        first.flush();
        SinkWriter second = writer(options(), Optional.empty());
        second.write(rows(1, 1));
        second.flush();
        assertThat(keys(0)).hasSize(2).doesNotHaveDuplicates()
                .allSatisfy(key -> assertThat(key).matches("run-[0-9a-f-]{36}:0:1:[0-9a-f]{16}"));
    }

    @Test
    void theKeyHeaderCannotBeSetAsAnOption() {
        assertThatThrownBy(() -> writer(options("headers.Idempotency-Key", "fixed"), Optional.empty()))
                .isInstanceOfSatisfying(WeirException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION_VALUE))
                .hasMessageContaining("'headers.idempotency-key'")
                .hasMessageContaining("sets Idempotency-Key itself");
    }
}

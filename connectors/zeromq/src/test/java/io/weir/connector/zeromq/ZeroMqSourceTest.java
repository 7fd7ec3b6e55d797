package io.weir.connector.zeromq;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.error.DeadLetter;
import io.weir.spi.type.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static io.weir.connector.zeromq.ZeroMqConnectorConformanceTest.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZeroMqSourceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path tempDir;

    private SourceHarness harness(String endpoint, String... extraOptions) {
        return harness(SCHEMA, endpoint, extraOptions);
    }

    private SourceHarness harness(List<DataType.Field> schema, String endpoint, String... extraOptions) {
        Map<String, String> options = new HashMap<>(Map.of("connector", "zeromq", "endpoint", endpoint,
                "wal", "false")); // each reader its own socket, as without a log; ZeroMqLogTest covers the log
        for (int i = 0; i < extraOptions.length; i += 2) {
            options.put(extraOptions[i], extraOptions[i + 1]);
        }
        return SourceHarness.create("events", ObjectKind.STREAM, schema, options, tempDir, InstantSource.system());
    }

    private static String json(long id) {
        return "{\"id\": " + id + ", \"name\": \"n" + id + "\"}";
    }

    private static List<String> jsons(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(ZeroMqSourceTest::json).toList();
    }

    private static List<Long> ids(List<Object[]> rows) {
        return rows.stream().map(row -> (Long) row[0]).toList();
    }

    /** A port nothing listens on (just released by the system). */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * A plain PUB socket that binds {@code bind} or connects to {@code connect} and publishes
     * {@code [topic, json]} with ids 1, 2, 3, ... every few milliseconds until stopped: what the subscriber
     * sees starts wherever it joined (the slow-joiner problem), so tests look at consecutive ids only.
     */
    private static final class TickingPublisher implements AutoCloseable {
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final Thread thread;

        TickingPublisher(String endpoint, boolean bind, String topic) {
            thread = new Thread(() -> {
                try (ZMQ.Context context = ZMQ.context(1)) {
                    ZMQ.Socket socket = context.socket(SocketType.PUB);
                    socket.setLinger(0);
                    if (bind) {
                        socket.bind(endpoint);
                    } else {
                        socket.connect(endpoint);
                    }
                    long id = 0;
                    while (!stopping.get()) {
                        socket.sendMore(topic);
                        socket.send(json(++id).getBytes(StandardCharsets.UTF_8), 0);
                        sleep(2);
                    }
                    socket.close();
                }
            }, "test-ticking-publisher");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            stopping.set(true);
            thread.join(5000);
        }
    }

    @Test
    void rowsFromARealPubSocket() throws Exception {
        int port = freePort();
        try (TickingPublisher publisher = new TickingPublisher("tcp://127.0.0.1:" + port, true, "ticks")) {
            SourceHarness harness = harness("tcp://127.0.0.1:" + port);
            try (SourceReader reader = harness.createSource().createReader()) {
                List<Long> ids = ids(harness.read(reader, 20, TIMEOUT));
                long first = ids.get(0);
                assertThat(ids).containsExactlyElementsOf(LongStream.range(first, first + 20).boxed().toList());
                assertThat(reader.splits()).containsExactly(new Split(0, "tcp://127.0.0.1:" + port, false));
                assertThat(reader.isFinished()).isFalse();
            }
        }
    }

    @Test
    void bindModeReceivesFromPublishersThatConnect() throws Exception {
        String endpoint = "tcp://127.0.0.1:" + freePort();
        SourceHarness harness = harness(endpoint, "mode", "bind");
        try (SourceReader reader = harness.createSource().createReader()) {
            // Binds before any publisher is there.
            assertThat(reader.poll(new BatchBuilder(SCHEMA), 10)).isZero();
            try (TickingPublisher publisher = new TickingPublisher(endpoint, false, "ticks")) {
                List<Long> ids = ids(harness.read(reader, 10, TIMEOUT));
                assertThat(ids).containsExactlyElementsOf(LongStream.range(ids.get(0), ids.get(0) + 10).boxed().toList());
            }
        }
    }

    @Test
    void aSecondReaderBindingTheSameEndpointFailsNamingTheOption() throws IOException {
        String endpoint = "tcp://127.0.0.1:" + freePort();
        SourceHarness harness = harness(endpoint, "mode", "bind");
        try (SourceReader first = harness.createSource().createReader();
             SourceReader second = harness.createSource().createReader()) {
            first.poll(new BatchBuilder(SCHEMA), 1);
            assertThatThrownBy(() -> second.poll(new BatchBuilder(SCHEMA), 1))
                    .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SOURCE_ERROR))
                    .hasMessageContaining("cannot bind " + endpoint)
                    .hasMessageContaining("'endpoint'");
            assertThat(((ZeroMqSourceReader) second).threadAlive()).isFalse();
        }
    }

    @Test
    void subscribeFiltersByTopicPrefix() {
        try (Publisher publisher = new Publisher(0, List.of(
                List.of("sensor.a", json(1)), List.of("other", json(2)), List.of("sensor.b", json(3)),
                List.of("xsensor", json(4)), List.of("sensor", json(5))))) {
            SourceHarness harness = harness(publisher.endpoint(), "subscribe", "sensor");
            // 2 and 4 come before 5: had they been received, they would be among the first three rows.
            assertThat(ids(harness.readRows(3, TIMEOUT))).containsExactly(1L, 3L, 5L);
        }
    }

    @Test
    void badRecordsFollowTheErrorPolicyWithTheTopicInTheSource() {
        try (Publisher publisher = new Publisher(0, List.of(
                List.of("t", json(1)), List.of("t", "{\"id\": \"x\"}"), List.of("not json"), List.of("t", json(4))))) {
            SourceHarness harness = harness(publisher.endpoint(), "on-error", "dead-letter");
            assertThat(ids(harness.readRows(2, TIMEOUT))).containsExactly(1L, 4L);
            List<DeadLetter> letters = harness.deadLetters().letters();
            assertThat(letters).hasSize(2);
            assertThat(letters.get(0).source()).isEqualTo("zeromq " + publisher.endpoint() + " message 2 topic 't'");
            assertThat(new String(letters.get(0).raw(), StandardCharsets.UTF_8)).isEqualTo("{\"id\": \"x\"}");
            assertThat(letters.get(0).reason()).contains("'id'");
            assertThat(letters.get(1).source()).isEqualTo("zeromq " + publisher.endpoint() + " message 3");
            assertThat(new String(letters.get(1).raw(), StandardCharsets.UTF_8)).isEqualTo("not json");
        }
    }

    @Test
    void csvFramesWithOrWithoutATrailingLineBreak() {
        try (Publisher publisher = new Publisher(0, List.of(List.of("1,a\n"), List.of("t", "2,\"b, c\"\r\n"), List.of("3,d")))) {
            SourceHarness harness = harness(publisher.endpoint(), "format", "csv");
            assertThat(harness.readRows(3, TIMEOUT))
                    .containsExactly(new Object[] {1L, "a"}, new Object[] {2L, "b, c"}, new Object[] {3L, "d"});
        }
    }

    @Test
    void aPublisherThatGoesAwayAndComesBackIsReadAgain() {
        Publisher first = new Publisher(0, Publisher.singleFrames(jsons(1, 3)));
        int port = first.port();
        SourceHarness harness = harness(first.endpoint());
        try (SourceReader reader = harness.createSource().createReader()) {
            assertThat(ids(harness.read(reader, 3, TIMEOUT))).containsExactly(1L, 2L, 3L);
            first.close();
            // The publisher is gone: polls return nothing and do not fail.
            for (int i = 0; i < 10; i++) {
                assertThat(reader.poll(new BatchBuilder(SCHEMA), 10)).isZero();
                sleep(10);
            }
            // ZeroMQ reconnects by itself and subscribes again, which makes this publisher publish.
            try (Publisher second = new Publisher(port, Publisher.singleFrames(jsons(4, 6)))) {
                assertThat(ids(harness.read(reader, 3, TIMEOUT))).containsExactly(4L, 5L, 6L);
                assertThat(second.subscriptions()).isEqualTo(1);
            }
        }
        assertThat(harness.counters().read()).isEqualTo(6);
    }

    @Test
    void aFullQueueHoldsRecordsBackWithoutLosingThem() {
        try (Publisher publisher = new Publisher(0, Publisher.singleFrames(jsons(1, 3000)))) {
            SourceHarness harness = harness(publisher.endpoint(), "queue.max-records", "4");
            try (SourceReader reader = harness.createSource().createReader()) {
                List<Object[]> rows = new ArrayList<>(harness.read(reader, 1, TIMEOUT));
                // The socket thread waits on the full queue meanwhile; ZeroMQ buffers the rest.
                sleep(100);
                rows.addAll(harness.read(reader, 3000 - rows.size(), TIMEOUT));
                assertThat(ids(rows)).containsExactlyElementsOf(LongStream.rangeClosed(1, 3000).boxed().toList());
            }
        }
    }

    @Test
    void closeIsPromptAndStopsTheThread() throws IOException {
        for (String mode : List.of("connect", "bind")) {
            SourceHarness harness = harness("tcp://127.0.0.1:" + freePort(), "mode", mode);
            SourceReader reader = harness.createSource().createReader();
            reader.poll(new BatchBuilder(SCHEMA), 1);
            sleep(50);
            long start = System.nanoTime();
            reader.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as(mode).isLessThan(Duration.ofSeconds(1));
            assertThat(((ZeroMqSourceReader) reader).threadAlive()).as(mode).isFalse();
            reader.close();
            assertThatThrownBy(() -> reader.poll(new BatchBuilder(SCHEMA), 1)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void closeIsPromptWhileTheQueueIsFull() {
        try (Publisher publisher = new Publisher(0, Publisher.singleFrames(jsons(1, 100)))) {
            SourceHarness harness = harness(publisher.endpoint(), "queue.max-records", "2");
            SourceReader reader = harness.createSource().createReader();
            assertThat(harness.read(reader, 1, TIMEOUT)).hasSize(1);
            sleep(50);
            long start = System.nanoTime();
            reader.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(((ZeroMqSourceReader) reader).threadAlive()).isFalse();
        }
    }

    @Test
    void optionsAreChecked() {
        assertThatThrownBy(() -> harness("127.0.0.1:5556"))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION_VALUE))
                .hasMessageContaining("'endpoint'").hasMessageContaining("tcp://host:port");
        assertThatThrownBy(() -> harness("ipc:///tmp/feed")).hasMessageContaining("'endpoint'");
        assertThatThrownBy(() -> harness("tcp://*:5556")).hasMessageContaining("'endpoint'").hasMessageContaining("'bind'");
        assertThatThrownBy(() -> harness("tcp://127.0.0.1:70000")).hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> harness("tcp://127.0.0.1:5556", "receive.high-water-mark", "0"))
                .hasMessageContaining("'receive.high-water-mark'");
        assertThatThrownBy(() -> harness("tcp://127.0.0.1:5556", "queue.max-records", "0"))
                .hasMessageContaining("'queue.max-records'");
        assertThatThrownBy(() -> harness("tcp://127.0.0.1:5556", "mode", "listen"))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION_VALUE))
                .hasMessageContaining("'mode'");
        // Binding any interface, or any free port, is fine.
        harness("tcp://*:5556", "mode", "bind");
        harness("tcp://127.0.0.1:*", "mode", "bind");
        assertThatThrownBy(() -> SourceHarness.create("t", ObjectKind.TABLE, SCHEMA,
                Map.of("connector", "zeromq", "endpoint", "tcp://127.0.0.1:5556"), tempDir, InstantSource.system()))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR))
                .hasMessageContaining("cannot back a TABLE");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

package io.weir.connector.socket;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.error.DeadLetter;
import io.weir.spi.type.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static io.weir.connector.socket.SocketConnectorTest.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SocketConnectModeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path tempDir;

    private SourceHarness harness(List<DataType.Field> schema, int port, String... extraOptions) {
        // Each reader on sockets of its own, as without a log; SocketLogTest covers reading through the log.
        Map<String, String> options = new HashMap<>(Map.of("connector", "socket", "port", Integer.toString(port),
                "reconnect.initial-delay", "10 ms", "reconnect.max-delay", "50 ms", "wal", "false"));
        for (int i = 0; i < extraOptions.length; i += 2) {
            options.put(extraOptions[i], extraOptions[i + 1]);
        }
        return SourceHarness.create("events", ObjectKind.STREAM, schema, options, tempDir, InstantSource.system());
    }

    private static String jsonLines(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "{\"id\": " + i + ", \"name\": \"n" + i + "\"}\n")
                .collect(Collectors.joining());
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

    @Test
    void reconnectsWhenTheServerGoesAwayAndComesBack() throws IOException {
        LineServer first = LineServer.keepingOpen(jsonLines(1, 3));
        int port = first.port();
        SourceHarness harness = harness(SCHEMA, port);
        try (SourceReader reader = harness.createSource().createReader()) {
            assertThat(ids(harness.read(reader, 3, TIMEOUT))).containsExactly(1L, 2L, 3L);
            first.close();
            // The server is gone: polls return nothing and do not fail.
            for (int i = 0; i < 10; i++) {
                assertThat(reader.poll(new BatchBuilder(SCHEMA), 10)).isZero();
                sleep(10);
            }
            try (LineServer second = LineServer.keepingOpen(port, jsonLines(4, 6))) {
                assertThat(ids(harness.read(reader, 3, TIMEOUT))).containsExactly(4L, 5L, 6L);
                assertThat(second.accepted()).isEqualTo(1);
            }
            assertThat(reader.splits()).containsExactly(new Split(0, "127.0.0.1:" + port, false));
            assertThat(reader.isFinished()).isFalse();
        }
        assertThat(harness.counters().read()).isEqualTo(6);
    }

    @Test
    void logsEachOutageOnceAndEachRecoveryOnce() throws IOException {
        Logger logger = (Logger) LoggerFactory.getLogger(ReconnectingClient.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        Level level = logger.getLevel();
        logger.setLevel(Level.INFO);
        LineServer second = null;
        try {
            int port = freePort();
            SourceHarness harness = harness(SCHEMA, port);
            try (SourceReader reader = harness.createSource().createReader()) {
                reader.poll(new BatchBuilder(SCHEMA), 1);
                // Many attempts at 10 to 50 ms intervals fail meanwhile.
                sleep(300);
                try (LineServer server = LineServer.keepingOpen(port, jsonLines(1, 1))) {
                    assertThat(harness.read(reader, 1, TIMEOUT)).hasSize(1);
                    assertThat(server.accepted()).isEqualTo(1);
                }
                sleep(300);
                second = LineServer.keepingOpen(port, jsonLines(2, 2));
                assertThat(harness.read(reader, 1, TIMEOUT)).hasSize(1);
                assertThat(second.accepted()).isEqualTo(1);
            }
            List<String> messages = logged.list.stream().map(event -> event.getLevel() + " " + event.getFormattedMessage()).toList();
            // Closing the reader while connected is no outage.
            assertThat(messages).hasSize(4);
            assertThat(messages.get(0)).startsWith("WARN Stream 'events': cannot connect to 127.0.0.1:" + port);
            assertThat(messages.get(1)).isEqualTo("INFO Stream 'events': connected to 127.0.0.1:" + port);
            assertThat(messages.get(2)).startsWith("WARN Stream 'events': 127.0.0.1:" + port + " closed the connection; reconnecting");
            assertThat(messages.get(3)).isEqualTo("INFO Stream 'events': reconnected to 127.0.0.1:" + port);
        } finally {
            if (second != null) {
                second.close();
            }
            logger.detachAppender(logged);
            logger.setLevel(level);
        }
    }

    @Test
    void waitsForAServerThatIsNotThereYet() throws IOException {
        int port = freePort();
        SourceHarness harness = harness(SCHEMA, port);
        try (SourceReader reader = harness.createSource().createReader()) {
            for (int i = 0; i < 10; i++) {
                assertThat(reader.poll(new BatchBuilder(SCHEMA), 10)).isZero();
                sleep(10);
            }
            try (LineServer server = LineServer.keepingOpen(port, jsonLines(1, 2))) {
                assertThat(ids(harness.read(reader, 2, TIMEOUT))).containsExactly(1L, 2L);
                assertThat(server.accepted()).isEqualTo(1);
            }
        }
    }

    @Test
    void aServerThatHangsUpAfterEachLineIsReadAgainAndAgain() throws IOException {
        try (LineServer server = LineServer.closingAfterWriting(0, jsonLines(7, 7))) {
            SourceHarness harness = harness(SCHEMA, server.port());
            try (SourceReader reader = harness.createSource().createReader()) {
                assertThat(ids(harness.read(reader, 3, TIMEOUT))).containsExactly(7L, 7L, 7L);
                assertThat(server.accepted()).isGreaterThanOrEqualTo(3);
            }
        }
    }

    @Test
    void aFullQueueHoldsTheSenderBackWithoutLosingLines() throws IOException {
        try (LineServer server = LineServer.keepingOpen(jsonLines(1, 5000))) {
            SourceHarness harness = harness(SCHEMA, server.port(), "queue.capacity", "4");
            try (SourceReader reader = harness.createSource().createReader()) {
                BatchBuilder first = new BatchBuilder(SCHEMA);
                reader.poll(first, 1);
                List<Object[]> rows = new ArrayList<>(first.build().rows());
                // The socket thread blocks on the full queue meanwhile; the sender is held back by TCP.
                sleep(100);
                rows.addAll(harness.read(reader, 5000 - rows.size(), TIMEOUT));
                assertThat(ids(rows)).containsExactlyElementsOf(LongStream.rangeClosed(1, 5000).boxed().toList());
            }
        }
    }

    @Test
    void plainTextLinesAsOneVarcharColumnWithCsv() throws IOException {
        List<DataType.Field> line = List.of(new DataType.Field("line", DataType.varchar()));
        try (LineServer server = LineServer.keepingOpen("hello world\nsecond, with a comma\n")) {
            SourceHarness harness = harness(line, server.port(), "format", "csv", "csv.field-delimiter", "\\t");
            assertThat(harness.readRows(2, TIMEOUT)).containsExactly(new Object[] {"hello world"}, new Object[] {"second, with a comma"});
        }
    }

    @Test
    void multiLineCsvRecordsAreFramedPerConnection() throws IOException {
        try (LineServer server = LineServer.keepingOpen("1,\"two\nlines\"\n2,b\n")) {
            SourceHarness harness = harness(SCHEMA, server.port(), "format", "csv");
            assertThat(harness.readRows(2, TIMEOUT)).containsExactly(new Object[] {1L, "two\nlines"}, new Object[] {2L, "b"});
        }
    }

    @Test
    void oversizedRecordsFollowTheErrorPolicy() throws IOException {
        String text = jsonLines(1, 1) + "{\"id\": 2, \"name\": \"" + "x".repeat(1000) + "\"}\n" + jsonLines(3, 3);
        try (LineServer server = LineServer.keepingOpen(text)) {
            SourceHarness harness = harness(SCHEMA, server.port(), "max-line-length", "100", "on-error", "dead-letter");
            assertThat(ids(harness.readRows(2, TIMEOUT))).containsExactly(1L, 3L);
            List<DeadLetter> letters = harness.deadLetters().letters();
            assertThat(letters).hasSize(1);
            assertThat(letters.get(0).reason()).contains("'max-line-length'");
            assertThat(letters.get(0).source()).isEqualTo("socket 127.0.0.1:" + server.port() + " connection 1 line 2");
            assertThat(letters.get(0).raw()).hasSize(100);
        }
    }

    @Test
    void closeStopsTheThreadsPromptlyWhileReconnecting() throws IOException {
        SourceHarness harness = harness(SCHEMA, freePort(), "reconnect.initial-delay", "1 s", "reconnect.max-delay", "1 min");
        SourceReader reader = harness.createSource().createReader();
        reader.poll(new BatchBuilder(SCHEMA), 1);
        sleep(50);
        long start = System.nanoTime();
        reader.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        assertThat(((SocketSourceReader) reader).liveThreads()).isZero();
        assertThatThrownBy(() -> reader.poll(new BatchBuilder(SCHEMA), 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeDisconnectsFromTheServer() throws IOException {
        try (LineServer server = LineServer.keepingOpen(jsonLines(1, 1))) {
            SourceHarness harness = harness(SCHEMA, server.port());
            SourceReader reader = harness.createSource().createReader();
            assertThat(harness.read(reader, 1, TIMEOUT)).hasSize(1);
            reader.close();
            assertThat(((SocketSourceReader) reader).liveThreads()).isZero();
        }
    }

    @Test
    void optionsAreChecked() {
        assertThatThrownBy(() -> harness(SCHEMA, 0))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION_VALUE))
                .hasMessageContaining("'port'").hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> harness(SCHEMA, 70000)).hasMessageContaining("'port'");
        assertThatThrownBy(() -> harness(SCHEMA, 9999, "reconnect.initial-delay", "1 min"))
                .hasMessageContaining("'reconnect.initial-delay'").hasMessageContaining("'reconnect.max-delay'");
        assertThatThrownBy(() -> harness(SCHEMA, 9999, "charset", "no-such-charset")).hasMessageContaining("'charset'");
        assertThatThrownBy(() -> harness(SCHEMA, 9999, "queue.capacity", "0")).hasMessageContaining("'queue.capacity'");
        assertThatThrownBy(() -> harness(SCHEMA, 9999, "mode", "bind"))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION_VALUE))
                .hasMessageContaining("'mode'");
        assertThatThrownBy(() -> SourceHarness.create("t", ObjectKind.TABLE, SCHEMA,
                Map.of("connector", "socket", "port", "9999"), tempDir, InstantSource.system()))
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

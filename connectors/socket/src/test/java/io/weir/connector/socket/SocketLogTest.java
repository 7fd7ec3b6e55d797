package io.weir.connector.socket;

import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.error.DeadLetter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static io.weir.connector.socket.SocketConnectorTest.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;

/** Reading a socket stream through its write-ahead log ({@code 'wal'}, the default), against a real server socket. */
class SocketLogTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    Path dataDir;

    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> peers = new ArrayList<>();

    SocketLogTest() throws IOException {
        server.setSoTimeout((int) TIMEOUT.toMillis());
    }

    @AfterEach
    void closeServer() throws IOException {
        for (Socket peer : peers) {
            peer.close();
        }
        server.close();
    }

    private SourceHarness harness(String... extraOptions) {
        Map<String, String> options = new HashMap<>(Map.of("connector", "socket", "port", Integer.toString(server.getLocalPort()),
                "reconnect.initial-delay", "10 ms", "reconnect.max-delay", "50 ms"));
        for (int i = 0; i < extraOptions.length; i += 2) {
            options.put(extraOptions[i], extraOptions[i + 1]);
        }
        return SourceHarness.create("events", ObjectKind.STREAM, SCHEMA, options, dataDir, InstantSource.system());
    }

    /** The source as a persistent query with consumer id {@code consumer} reads it. */
    private static Source persistent(SourceHarness harness, String consumer) {
        ConnectorContext context = harness.context().withReading(List.of(), Optional.of(consumer));
        return harness.resolved().connector().createSource(context);
    }

    /** Polls once (starting the stream's feed, which connects) and returns the server's side of the connection. */
    private Socket accept(SourceReader reader) throws IOException {
        reader.poll(new BatchBuilder(SCHEMA), 1);
        Socket peer = server.accept();
        peers.add(peer);
        return peer;
    }

    private static void send(Socket peer, String text) throws IOException {
        OutputStream out = peer.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String jsonLines(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "{\"id\": " + i + ", \"name\": \"n" + i + "\"}\n")
                .collect(Collectors.joining());
    }

    private static List<Long> ids(List<Object[]> rows) {
        return rows.stream().map(row -> (Long) row[0]).toList();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + TIMEOUT + " waiting until " + what);
            }
            SocketConnectModeTest.sleep(10);
        }
    }

    @Test
    void recordsReceivedAfterTheLastCommitAreReadAgainAfterARestart() throws IOException {
        SourceHarness harness = harness();
        try (SourceReader reader = persistent(harness, "query-1").createReader()) {
            Socket peer = accept(reader);
            send(peer, jsonLines(1, 3));
            assertThat(ids(harness.read(reader, 3, TIMEOUT))).containsExactly(1L, 2L, 3L);
            reader.commit();
            send(peer, jsonLines(4, 5));
            // Read (so in the log) but not committed: a crash now must not lose them.
            assertThat(ids(harness.read(reader, 2, TIMEOUT))).containsExactly(4L, 5L);
        }
        // The last reader closed: the feed and the log are closed, as at a restart. Nobody sends the records again.
        SourceHarness restarted = harness();
        try (SourceReader reader = persistent(restarted, "query-1").createReader()) {
            assertThat(ids(restarted.read(reader, 2, TIMEOUT))).containsExactly(4L, 5L);
            assertThat(reader.poll(new BatchBuilder(SCHEMA), 10)).isZero();
        }
    }

    @Test
    void aReaderCreatedFromOffsetsReadsExactlyTheRest() throws IOException {
        SourceHarness harness = harness();
        OffsetReading reading = harness.createSource().offsetReading().orElseThrow();
        SplitOffsets start = reading.startOffsets("query-1");
        assertThat(start.offsets()).containsOnlyKeys("events");
        try (OffsetReader first = reading.createReader(start)) {
            send(accept(first), jsonLines(1, 5));
            assertThat(ids(harness.read(first, 2, TIMEOUT))).containsExactly(1L, 2L);
            SplitOffsets afterTwo = first.offsets();
            assertThat(ids(harness.read(first, 3, TIMEOUT))).containsExactly(3L, 4L, 5L);
            try (OffsetReader rest = reading.createReader(afterTwo)) {
                assertThat(ids(harness.read(rest, 3, TIMEOUT))).containsExactly(3L, 4L, 5L);
                assertThat(rest.poll(new BatchBuilder(SCHEMA), 10)).isZero();
                assertThat(rest.offsets()).isEqualTo(first.offsets());
            }
        }
    }

    @Test
    void aFullLogPausesReadingHoldsTheSenderBackAndDropsNothing() throws Exception {
        int lines = 4000;
        SourceHarness harness = harness("wal.max-bytes", "64 KiB", "wal.segment-bytes", "16 KiB", "queue.capacity", "16");
        Source source = harness.createSource();
        OffsetReading reading = source.offsetReading().orElseThrow();
        // A persistent query that is not running holds every record from now on.
        reading.startOffsets("stopped-query");
        try (OffsetReader reader = (OffsetReader) source.createReader()) {
            Socket peer = accept(reader);
            peer.setSendBufferSize(16 << 10);
            String padding = "x".repeat(2000);
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 1; i <= lines; i++) {
                        send(peer, "{\"id\": " + i + ", \"name\": \"" + padding + "\"}\n");
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            List<Object[]> rows = new ArrayList<>();
            BatchBuilder builder = new BatchBuilder(SCHEMA);
            await("the log is full and reading paused", () -> {
                rows.addAll(poll(reader, builder));
                return harness.counters().pausedReason().isPresent();
            });
            assertThat(harness.counters().pausedReason()).hasValue("log full ('wal.max-bytes')");
            // Neither the feed nor the kernel's buffers take 8 MB: the sender is blocked.
            assertThat(sender).isNotDone();
            assertThat(rows.size()).isLessThan(lines);

            // The stopped query catches up: retention frees space, and reading resumes.
            await("every line arrived", () -> {
                rows.addAll(poll(reader, builder));
                reader.commit("stopped-query", reader.offsets());
                return rows.size() >= lines;
            });
            sender.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(ids(rows)).containsExactlyElementsOf(LongStream.rangeClosed(1, lines).boxed().toList());
            await("the pause is over", () -> harness.counters().pausedReason().isEmpty());
        }
    }

    private static List<Object[]> poll(SourceReader reader, BatchBuilder builder) {
        reader.poll(builder, 500);
        return builder.build().rows();
    }

    @Test
    void aCsvHeaderAppliesToItsConnectionAlsoForAReaderStartingInside() throws IOException {
        SourceHarness harness = harness("format", "csv", "csv.header", "true");
        OffsetReading reading = harness.createSource().offsetReading().orElseThrow();
        try (OffsetReader reader = reading.createReader(reading.startOffsets("query-1"))) {
            Socket first = accept(reader);
            send(first, "name,id\na,1\nb,2\n");
            assertThat(harness.read(reader, 1, TIMEOUT)).containsExactly(new Object[] {1L, "a"});
            SplitOffsets afterA = reader.offsets();
            assertThat(harness.read(reader, 1, TIMEOUT)).containsExactly(new Object[] {2L, "b"});
            first.close();
            // The feed reconnects; the new connection has a header of its own, columns the other way round.
            Socket second = server.accept();
            peers.add(second);
            send(second, "id,name\n3,c\n");
            assertThat(harness.read(reader, 1, TIMEOUT)).containsExactly(new Object[] {3L, "c"});

            try (OffsetReader inside = reading.createReader(afterA)) {
                assertThat(harness.read(inside, 2, TIMEOUT)).containsExactly(new Object[] {2L, "b"}, new Object[] {3L, "c"});
            }
        }
        assertThat(harness.counters().skipped()).isZero();
    }

    @Test
    void anOversizedLineFollowsOnErrorWhenReadFromTheLog() throws IOException {
        SourceHarness harness = harness("max-line-length", "60", "on-error", "dead-letter");
        try (SourceReader reader = harness.createSource().createReader()) {
            Socket peer = accept(reader);
            send(peer, jsonLines(1, 1) + "{\"id\": 2, \"name\": \"" + "y".repeat(100) + "\"}\n" + jsonLines(3, 3));
            assertThat(ids(harness.read(reader, 2, TIMEOUT))).containsExactly(1L, 3L);
            List<DeadLetter> letters = harness.deadLetters().letters();
            assertThat(letters).hasSize(1);
            assertThat(letters.get(0).reason()).contains("'max-line-length'");
            assertThat(letters.get(0).source()).endsWith("connection 1 line 2");
        }
        assertThat(harness.counters().deadLettered()).isEqualTo(1);
    }
}

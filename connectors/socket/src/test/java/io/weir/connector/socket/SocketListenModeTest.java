package io.weir.connector.socket;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.error.DeadLetter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.weir.connector.socket.SocketConnectModeTest.sleep;
import static io.weir.connector.socket.SocketConnectorTest.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SocketListenModeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path tempDir;

    private SourceHarness harness(String... extraOptions) {
        // Each reader on sockets of its own, as without a log; SocketLogTest covers reading through the log.
        Map<String, String> options = new HashMap<>(Map.of("connector", "socket", "mode", "listen", "port", "0", "wal", "false"));
        for (int i = 0; i < extraOptions.length; i += 2) {
            options.put(extraOptions[i], extraOptions[i + 1]);
        }
        return SourceHarness.create("pushed", ObjectKind.STREAM, SCHEMA, options, tempDir, InstantSource.system());
    }

    /** Starts the reader's threads and returns the port it listens on. */
    private static int listen(SourceReader reader) {
        assertThat(reader.poll(new BatchBuilder(SCHEMA), 1)).isZero();
        return ((SocketSourceReader) reader).localPort();
    }

    private static Socket connect(int port) throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), port);
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String json(long id) {
        return "{\"id\": " + id + ", \"name\": \"n" + id + "\"}\n";
    }

    @Test
    void acceptsClientsPushingConcurrentlyEachAsASplit() throws Exception {
        SourceHarness harness = harness();
        try (SourceReader reader = harness.createSource().createReader()) {
            int port = listen(reader);
            int perClient = 500;
            CountDownLatch bothConnected = new CountDownLatch(2);
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int client = 1; client <= 2; client++) {
                long base = client * 10_000L;
                clients.add(CompletableFuture.runAsync(() -> {
                    try (Socket socket = connect(port)) {
                        bothConnected.countDown();
                        bothConnected.await(5, TimeUnit.SECONDS);
                        for (int i = 0; i < perClient; i++) {
                            send(socket, json(base + i));
                        }
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            List<Long> ids = new ArrayList<>();
            List<Integer> splitOfRow = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            BatchBuilder builder = new BatchBuilder(SCHEMA);
            while (ids.size() < 2 * perClient && System.nanoTime() < deadline) {
                int added = reader.poll(builder, 50);
                var batch = builder.build();
                for (int row = 0; row < added; row++) {
                    ids.add((Long) batch.rows().get(row)[0]);
                    splitOfRow.add(batch.splitId(row));
                }
                if (added == 0) {
                    sleep(2);
                }
            }
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            assertThat(ids).hasSize(2 * perClient);
            // Each split carries one client's rows, in the order that client sent them.
            for (int split = 0; split < 2; split++) {
                List<Long> ofSplit = new ArrayList<>();
                for (int i = 0; i < ids.size(); i++) {
                    if (splitOfRow.get(i) == split) {
                        ofSplit.add(ids.get(i));
                    }
                }
                assertThat(ofSplit).hasSize(perClient);
                long base = ofSplit.get(0) - ofSplit.get(0) % 10_000;
                for (int i = 0; i < perClient; i++) {
                    assertThat(ofSplit.get(i)).isEqualTo(base + i);
                }
            }
            // Both clients have disconnected: once the end of each connection is drained, its split is finished.
            while (reader.splits().stream().anyMatch(split -> !split.finished()) && System.nanoTime() < deadline) {
                assertThat(reader.poll(builder, 10)).isZero();
                sleep(2);
            }
            assertThat(reader.splits()).hasSize(2).allSatisfy(split -> {
                assertThat(split.finished()).isTrue();
                assertThat(split.name()).startsWith("client /127.0.0.1:");
            });
            assertThat(reader.isFinished()).isFalse();
        }
        assertThat(harness.counters().read()).isEqualTo(1000);
    }

    @Test
    void skipDropsAndCountsMalformedLines() throws IOException {
        SourceHarness harness = harness("on-error", "skip");
        try (SourceReader reader = harness.createSource().createReader(); Socket client = connect(listen(reader))) {
            send(client, json(1) + "not json\n" + "{\"id\": \"x\"}\n" + json(2));
            assertThat(harness.read(reader, 2, TIMEOUT)).extracting(row -> row[0]).containsExactly(1L, 2L);
        }
        assertThat(harness.counters().skipped()).isEqualTo(2);
    }

    @Test
    void deadLetterKeepsMalformedLinesWithTheirClient() throws IOException {
        SourceHarness harness = harness("on-error", "dead-letter");
        try (SourceReader reader = harness.createSource().createReader(); Socket client = connect(listen(reader))) {
            send(client, json(1) + "not json\n" + json(2));
            assertThat(harness.read(reader, 2, TIMEOUT)).extracting(row -> row[0]).containsExactly(1L, 2L);
            List<DeadLetter> letters = harness.deadLetters().letters();
            assertThat(letters).hasSize(1);
            assertThat(new String(letters.get(0).raw(), StandardCharsets.UTF_8)).isEqualTo("not json");
            assertThat(letters.get(0).source()).isEqualTo("socket client " + client.getLocalSocketAddress() + " line 2");
        }
    }

    @Test
    void failStopsTheQueryAtAMalformedLine() throws IOException {
        SourceHarness harness = harness();
        try (SourceReader reader = harness.createSource().createReader(); Socket client = connect(listen(reader))) {
            send(client, json(1) + "not json\n" + json(2));
            assertThatThrownBy(() -> harness.read(reader, 2, TIMEOUT))
                    .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_DECODE_ERROR))
                    .hasMessageContaining("'pushed'").hasMessageContaining("line 2").hasMessageContaining("'on-error'");
        }
    }

    @Test
    void closeReleasesThePortAndDisconnectsClients() throws IOException {
        SourceHarness harness = harness();
        SourceReader reader = harness.createSource().createReader();
        int port = listen(reader);
        try (Socket client = connect(port)) {
            send(client, json(1));
            assertThat(harness.read(reader, 1, TIMEOUT)).hasSize(1);
            reader.close();
            client.setSoTimeout(2000);
            InputStream in = client.getInputStream();
            assertThat(in.read()).as("the client is disconnected").isEqualTo(-1);
        }
        assertThat(((SocketSourceReader) reader).liveThreads()).isZero();
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void clientsBeyondTheLimitAreDisconnected() throws IOException {
        SourceHarness harness = harness("max-connections", "1");
        try (SourceReader reader = harness.createSource().createReader(); Socket first = connect(listen(reader))) {
            send(first, json(1));
            assertThat(harness.read(reader, 1, TIMEOUT)).hasSize(1);
            try (Socket second = connect(((SocketSourceReader) reader).localPort())) {
                second.setSoTimeout(2000);
                assertThat(second.getInputStream().read()).as("the second client is disconnected").isEqualTo(-1);
            }
            send(first, json(2));
            assertThat(harness.read(reader, 1, TIMEOUT)).extracting(row -> row[0]).containsExactly(2L);
            assertThat(reader.splits()).containsExactly(new Split(0, reader.splits().get(0).name(), false));
        }
    }

    @Test
    void aPortInUseFailsTheFirstPollNamingIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SourceHarness harness = harness("port", Integer.toString(taken.getLocalPort()));
            try (SourceReader reader = harness.createSource().createReader()) {
                assertThatThrownBy(() -> reader.poll(new BatchBuilder(SCHEMA), 1))
                        .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SOURCE_ERROR))
                        .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort())
                        .hasMessageContaining("'port'");
                // Each poll tries again, so the stream recovers once the port is free.
                taken.close();
                assertThat(reader.poll(new BatchBuilder(SCHEMA), 1)).isZero();
                assertThat(((SocketSourceReader) reader).localPort()).isEqualTo(taken.getLocalPort());
            }
        }
    }
}

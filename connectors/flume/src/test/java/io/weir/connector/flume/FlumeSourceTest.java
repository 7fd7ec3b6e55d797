package io.weir.connector.flume;

import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.MetadataColumn;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.error.DeadLetter;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.apache.flume.Event;
import org.apache.flume.EventDeliveryException;
import org.apache.flume.api.RpcClient;
import org.apache.flume.api.RpcClientFactory;
import org.apache.flume.event.EventBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Flume source end to end: events sent by Flume's own RPC client (flume-ng-sdk's
 * {@link RpcClientFactory}, as an agent's Avro sink sends them) over real connections to the
 * stream's listener, read back through the stream's write-ahead log.
 */
class FlumeSourceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final List<DataType.Field> SCHEMA = List.of(
            new DataType.Field("id", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("name", DataType.varchar()));
    private static final List<MetadataColumn> METADATA = List.of(
            new MetadataColumn("headers", "headers", DataType.map(DataType.varchar(), DataType.varchar())),
            new MetadataColumn("host", "header.host", DataType.varchar()),
            new MetadataColumn("ts", "header.timestamp", DataType.of(TypeKind.BIGINT)));

    @TempDir
    Path dataDir;

    private final int port = freePort();
    private final List<RpcClient> clients = new ArrayList<>();
    private final List<SourceReader> readers = new ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(RpcClient::close);
        readers.forEach(SourceReader::close);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private SourceHarness harness(String... extraOptions) {
        Map<String, String> options = new HashMap<>(Map.of("connector", "flume", "host", "127.0.0.1",
                "port", Integer.toString(port)));
        for (int i = 0; i < extraOptions.length; i += 2) {
            options.put(extraOptions[i], extraOptions[i + 1]);
        }
        return SourceHarness.create("events", ObjectKind.STREAM, SCHEMA, options, dataDir, InstantSource.system());
    }

    /** A reader of the stream with the metadata columns, polled once (for no rows) so that the listener is open. */
    private SourceReader listening(SourceHarness harness, Optional<String> consumer) {
        ConnectorContext context = harness.context().withReading(METADATA, consumer);
        SourceReader reader = harness.resolved().connector().createSource(context).createReader();
        readers.add(reader);
        // Reads nothing: a resuming reader's rows are left for the test.
        assertThat(reader.poll(new BatchBuilder(context.readerRowType()), 0)).isZero();
        return reader;
    }

    private static List<DataType.Field> rowType(SourceHarness harness) {
        return harness.context().withReading(METADATA, Optional.empty()).readerRowType();
    }

    private RpcClient client(String... extraProperties) {
        Properties properties = new Properties();
        properties.setProperty("hosts", "h1");
        properties.setProperty("hosts.h1", "127.0.0.1:" + port);
        properties.setProperty("batch-size", "100");
        properties.setProperty("connect-timeout", "3000");
        properties.setProperty("request-timeout", "5000");
        for (int i = 0; i < extraProperties.length; i += 2) {
            properties.setProperty(extraProperties[i], extraProperties[i + 1]);
        }
        RpcClient client = RpcClientFactory.getInstance(properties);
        clients.add(client);
        return client;
    }

    private static Event event(long id, Map<String, String> headers) {
        return EventBuilder.withBody("{\"id\": " + id + ", \"name\": \"n" + id + "\"}", StandardCharsets.UTF_8, headers);
    }

    private static List<Event> events(long from, long to) {
        List<Event> events = new ArrayList<>();
        for (long id = from; id <= to; id++) {
            events.add(event(id, Map.of("host", "agent-1")));
        }
        return events;
    }

    private static List<Long> ids(List<Object[]> rows) {
        return rows.stream().map(row -> (Long) row[0]).toList();
    }

    @Test
    void singleEventsAndBatchesAreRowsWithTheirHeadersAsMetadata() throws EventDeliveryException {
        SourceHarness harness = harness();
        SourceReader reader = listening(harness, Optional.empty());
        RpcClient client = client();
        client.append(event(1, Map.of("host", "web-1", "timestamp", "1700000000000", "env", "prod")));
        client.appendBatch(events(2, 4));
        client.append(event(5, Map.of()));

        List<Object[]> rows = SourceHarness.read(rowType(harness), reader, 5, TIMEOUT);
        assertThat(ids(rows)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(rows.get(0)[1]).isEqualTo("n1");
        assertThat(rows.get(0)[2]).isEqualTo(Map.of("host", "web-1", "timestamp", "1700000000000", "env", "prod"));
        assertThat(rows.get(0)[3]).isEqualTo("web-1");
        assertThat(rows.get(0)[4]).isEqualTo(1700000000000L);
        assertThat(rows.get(2)[3]).isEqualTo("agent-1");
        assertThat(rows.get(2)[4]).isNull();
        assertThat(rows.get(4)[2]).isEqualTo(Map.of());
        assertThat(rows.get(4)[3]).isNull();
    }

    @Test
    void acknowledgedEventsAreInTheLogAndReadAfterARestart() throws EventDeliveryException {
        SourceHarness harness = harness();
        SourceReader reader = listening(harness, Optional.of("query-1"));
        RpcClient client = client();
        client.appendBatch(events(1, 3));
        assertThat(ids(SourceHarness.read(rowType(harness), reader, 3, TIMEOUT))).containsExactly(1L, 2L, 3L);
        reader.commit();
        // Acknowledged, then Weir goes down before a query processed them.
        client.appendBatch(events(4, 6));
        reader.close();
        readers.remove(reader);

        // Weir is down: the agent's delivery fails, so its transaction rolls back and it sends again later.
        assertThatThrownBy(() -> client.appendBatch(events(7, 7))).isInstanceOf(EventDeliveryException.class);

        SourceHarness restarted = harness();
        SourceReader resumed = listening(restarted, Optional.of("query-1"));
        client().appendBatch(events(7, 7));
        assertThat(ids(SourceHarness.read(rowType(restarted), resumed, 4, TIMEOUT))).containsExactly(4L, 5L, 6L, 7L);
    }

    @Test
    void aFullLogAnswersFailedSoTheAgentRetriesAndEveryAcknowledgedEventIsRead() {
        SourceHarness harness = harness("wal.max-bytes", "16 KiB", "wal.segment-bytes", "4 KiB");
        // A persistent query that is not running holds every record, so the log fills up.
        harness.createSource().offsetReading().orElseThrow().startOffsets("stopped-query");
        SourceReader reader = listening(harness, Optional.empty());
        RpcClient client = client();
        String padding = "p".repeat(900);
        long acknowledged = 0;
        EventDeliveryException refused = null;
        for (long id = 1; id <= 100 && refused == null; id++) {
            try {
                client.append(EventBuilder.withBody("{\"id\": " + id + ", \"name\": \"" + padding + "\"}", StandardCharsets.UTF_8));
                acknowledged = id;
            } catch (EventDeliveryException e) {
                refused = e;
            }
        }
        assertThat(refused).as("the agent is told to retry once the log is full").isNotNull();
        assertThat(acknowledged).isBetween(5L, 20L);
        assertThat(harness.counters().snapshot().pausedReason()).contains("log full ('wal.max-bytes')");
        List<Long> expected = java.util.stream.LongStream.rangeClosed(1, acknowledged).boxed().toList();
        assertThat(ids(SourceHarness.read(rowType(harness), reader, (int) acknowledged, TIMEOUT))).isEqualTo(expected);
    }

    @Test
    void oversizedEventsAreAcknowledgedAndGoToOnError() throws EventDeliveryException {
        SourceHarness harness = harness("max-event-bytes", "200", "on-error", "dead-letter");
        SourceReader reader = listening(harness, Optional.empty());
        RpcClient client = client();
        String big = "{\"id\": 1, \"name\": \"" + "x".repeat(5000) + "\"}";
        client.appendBatch(List.of(EventBuilder.withBody(big, StandardCharsets.UTF_8), event(2, Map.of())));

        assertThat(ids(SourceHarness.read(rowType(harness), reader, 1, TIMEOUT))).containsExactly(2L);
        List<DeadLetter> letters = harness.deadLetters().letters();
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).reason()).contains("5021 bytes", "'max-event-bytes' (200)");
        assertThat(letters.get(0).raw()).hasSize(LoggedEvent.KEPT_OF_OVERSIZED);
    }

    @Test
    void aBodyThatDoesNotDecodeIsSkippedUnderSkip() throws EventDeliveryException {
        SourceHarness harness = harness("on-error", "skip");
        SourceReader reader = listening(harness, Optional.empty());
        RpcClient client = client();
        client.appendBatch(List.of(event(1, Map.of()), EventBuilder.withBody("not json {", StandardCharsets.UTF_8),
                EventBuilder.withBody("{\"id\": \"x\"}", StandardCharsets.UTF_8), event(4, Map.of())));

        assertThat(ids(SourceHarness.read(rowType(harness), reader, 2, TIMEOUT))).containsExactly(1L, 4L);
        assertThat(harness.counters().skipped()).isEqualTo(2);
    }

    @Test
    void aBodyThatDoesNotDecodeFailsTheQueryUnderFail() throws EventDeliveryException {
        SourceHarness harness = harness();
        SourceReader reader = listening(harness, Optional.empty());
        client().append(EventBuilder.withBody("not json {", StandardCharsets.UTF_8));

        assertThatThrownBy(() -> SourceHarness.read(rowType(harness), reader, 1, TIMEOUT))
                .isInstanceOf(WeirException.class)
                .hasMessageContaining("cannot decode record at flume event at log offset");
    }

    @Test
    void aClientThatDisconnectsMidBatchLeavesNothingAndOthersGoOn() throws Exception {
        SourceHarness harness = harness();
        SourceReader reader = listening(harness, Optional.empty());
        // Avro IPC's Netty framing: serial, buffer count, then each buffer's length and bytes. The buffer
        // announces 4096 bytes and the client goes away after 10 of them.
        try (Socket socket = new Socket("127.0.0.1", port);
             DataOutputStream out = new DataOutputStream(socket.getOutputStream())) {
            out.writeInt(1);
            out.writeInt(1);
            out.writeInt(4096);
            out.write(new byte[10]);
            out.flush();
        }
        client().appendBatch(events(1, 2));
        assertThat(ids(SourceHarness.read(rowType(harness), reader, 2, TIMEOUT))).containsExactly(1L, 2L);
        assertThat(reader.poll(new BatchBuilder(rowType(harness)), 10)).isZero();
    }

    @Test
    void tlsListenersTalkToAgentsWithSsl() throws EventDeliveryException, URISyntaxException {
        SourceHarness harness = harness("ssl.certificate", resource("flume-test-cert.pem"), "ssl.key", resource("flume-test-key.pem"));
        SourceReader reader = listening(harness, Optional.empty());
        client("ssl", "true", "trust-all-certs", "true").appendBatch(events(1, 2));
        assertThat(ids(SourceHarness.read(rowType(harness), reader, 2, TIMEOUT))).containsExactly(1L, 2L);

        // A plain-TCP agent gets no answer it understands.
        RpcClient plain = client();
        assertThatThrownBy(() -> plain.appendBatch(events(3, 3))).isInstanceOf(EventDeliveryException.class);
    }

    /** A Flume Avro source's configuration names a Java keystore; the same key and certificate as the PEM files. */
    @ParameterizedTest
    @ValueSource(strings = {"JKS", "PKCS12"})
    void tlsListenersTakeAJavaKeystore(String type) throws Exception {
        java.security.cert.Certificate certificate;
        try (var in = java.nio.file.Files.newInputStream(Path.of(resource("flume-test-cert.pem")))) {
            certificate = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        String pem = java.nio.file.Files.readString(Path.of(resource("flume-test-key.pem")));
        byte[] der = java.util.Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        java.security.PrivateKey key = java.security.KeyFactory.getInstance("RSA")
                .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
        java.security.KeyStore store = java.security.KeyStore.getInstance(type);
        store.load(null, null);
        store.setKeyEntry("weir", key, "s3cret".toCharArray(), new java.security.cert.Certificate[] {certificate});
        Path file = dataDir.resolve("flume." + type.toLowerCase(java.util.Locale.ROOT));
        try (var out = java.nio.file.Files.newOutputStream(file)) {
            store.store(out, "s3cret".toCharArray());
        }
        SourceHarness harness = harness("ssl.keystore", file.toString(), "ssl.keystore-password", "s3cret",
                "ssl.keystore-type", type);
        SourceReader reader = listening(harness, Optional.empty());
        client("ssl", "true", "trust-all-certs", "true").appendBatch(events(1, 2));
        assertThat(ids(SourceHarness.read(rowType(harness), reader, 2, TIMEOUT))).containsExactly(1L, 2L);

        SourceHarness wrongPassword = harness("ssl.keystore", file.toString(), "ssl.keystore-password", "wrong",
                "ssl.keystore-type", type);
        assertThatThrownBy(() -> listening(wrongPassword, Optional.empty()))
                .hasMessageContaining("cannot use 'ssl.keystore' " + file);
        assertThatThrownBy(() -> harness("ssl.keystore", file.toString()).createSource())
                .hasMessageContaining("'ssl.keystore-password' is missing");
    }

    @Test
    void deflateListenersTalkToAgentsThatCompress() throws EventDeliveryException {
        SourceHarness harness = harness("compression-type", "deflate");
        SourceReader reader = listening(harness, Optional.empty());
        List<Event> many = events(1, 300);
        client("compression-type", "deflate", "compression-level", "9").appendBatch(many);
        client("compression-type", "deflate").append(event(301, Map.of()));
        assertThat(ids(SourceHarness.read(rowType(harness), reader, 301, TIMEOUT)))
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 301).boxed().toList());

        // An agent that does not compress gets no answer it understands.
        RpcClient plain = client();
        assertThatThrownBy(() -> plain.appendBatch(events(400, 400))).isInstanceOf(EventDeliveryException.class);
    }

    @Test
    void theIpFilterRefusesAgentsItDoesNotAllow() throws EventDeliveryException {
        SourceHarness denying = harness("ip-filter.deny", "127.0.0.0/8");
        listening(denying, Optional.empty());
        assertThatThrownBy(() -> client().appendBatch(events(1, 1))).isInstanceOf(EventDeliveryException.class);
        readers.remove(0).close();

        SourceHarness allowingOthers = harness("ip-filter.allow", "10.0.0.0/8");
        listening(allowingOthers, Optional.empty());
        assertThatThrownBy(() -> client().appendBatch(events(1, 1))).isInstanceOf(EventDeliveryException.class);
        readers.remove(0).close();

        SourceHarness allowing = harness("ip-filter.allow", "10.0.0.0/8, 127.0.0.1");
        SourceReader reader = listening(allowing, Optional.empty());
        client().appendBatch(events(1, 1));
        assertThat(ids(SourceHarness.read(rowType(allowing), reader, 1, TIMEOUT))).containsExactly(1L);
    }

    @Test
    void optionsAreChecked() {
        assertThatThrownBy(() -> harness("port", "70000").createSource()).hasMessageContaining("'port'");
        assertThatThrownBy(() -> harness("wal", "false").createSource()).hasMessageContaining("write-ahead log");
        assertThatThrownBy(() -> harness("ssl.key", "/nonexistent.pem").createSource())
                .hasMessageContaining("'ssl.certificate' is missing");
        assertThatThrownBy(() -> harness("compression-type", "deflate", "compression-level", "10").createSource())
                .hasMessageContaining("'compression-level'");
        assertThatThrownBy(() -> harness("compression-type", "gzip").createSource()).hasMessageContaining("'compression-type'");
        assertThatThrownBy(() -> harness("ip-filter.allow", "not-an-ip").createSource())
                .hasMessageContaining("'not-an-ip' is no IP address");
        SourceHarness harness = harness();
        ConnectorContext badColumn = harness.context().withReading(
                List.of(new MetadataColumn("h", "headers", DataType.varchar())), Optional.empty());
        assertThatThrownBy(() -> harness.resolved().validate(badColumn)).hasMessageContaining("MAP<VARCHAR, VARCHAR>");
        assertThat(new FlumeConnectorFactory().providesMetadata("header.host")).isTrue();
        assertThat(new FlumeConnectorFactory().providesMetadata("offset")).isFalse();
    }

    private static String resource(String name) throws URISyntaxException {
        return Path.of(FlumeSourceTest.class.getResource("/" + name).toURI()).toString();
    }
}

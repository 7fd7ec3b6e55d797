package io.weir.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weir.server.testing.RunningServer;
import io.weir.spi.connector.ingest.IngestLogs;
import io.weir.spi.wal.WalSettings;
import io.weir.spi.wal.WalSync;
import io.weir.spi.wal.WriteAheadLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /ingest/<stream>} on a real server, with continuous queries over the real JDBC driver
 * reading what was posted.
 */
@Timeout(60)
class HttpIngestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger STREAMS = new AtomicInteger();

    @TempDir
    Path dataDir;
    private RunningServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = RunningServer.start(dataDir);
    }

    @AfterEach
    void stop() throws SQLException {
        for (Connection connection : connections) {
            connection.close();
        }
        server.close(); // closes its channels and logs
    }

    @Test
    void jsonLinesAndAJsonArrayReachARunningQuery() throws Exception {
        String stream = createStream("'format' = 'json', 'scan.startup.mode' = 'earliest'");
        ResultSet rows = query("SELECT STREAM sensor, temp FROM " + stream);

        HttpResponse<String> lines = post(stream, "application/x-ndjson",
                "{\"sensor\": \"a\", \"temp\": 20.5}\n\n{\"sensor\": \"b\", \"temp\": 21}\r\n");
        HttpResponse<String> array = post(stream, "application/json",
                "[{\"sensor\": \"c\", \"temp\": 22.25}, {\"sensor\": \"d\", \"temp\": -1}]");

        assertThat(lines.statusCode()).isEqualTo(200);
        assertThat(body(lines).get("accepted").asInt()).isEqualTo(2);
        assertThat(body(lines).get("rejected").asInt()).isZero();
        assertThat(body(lines).get("errors")).isEmpty();
        assertThat(body(array).get("accepted").asInt()).isEqualTo(2);
        assertThat(read(rows, 4)).containsExactly("a=20.5", "b=21.0", "c=22.25", "d=-1.0");
    }

    @Test
    void byDefaultAQuerySeesOnlyRecordsPostedAfterItStarted() throws Exception {
        String stream = createStream("'format' = 'json'");
        post(stream, "application/x-ndjson", "{\"sensor\": \"before\", \"temp\": 1}");
        ResultSet rows = query("SELECT STREAM sensor, temp FROM " + stream);

        // The query's reader starts at some point after executeQuery; post until its first row arrives.
        Thread poster = new Thread(() -> {
            for (int i = 0; i < 400 && !Thread.currentThread().isInterrupted(); i++) {
                try {
                    post(stream, "text/plain", "{\"sensor\": \"after\", \"temp\": " + i + "}");
                    Thread.sleep(25);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        poster.start();
        try {
            assertThat(read(rows, 3)).allSatisfy(row -> assertThat(row).startsWith("after="));
        } finally {
            poster.interrupt();
            poster.join();
        }
    }

    @Test
    void twoQueriesBothReceiveEveryRecord() throws Exception {
        String stream = createStream("'scan.startup.mode' = 'earliest'");
        ResultSet first = query("SELECT STREAM sensor, temp FROM " + stream);
        ResultSet second = query("SELECT STREAM sensor, temp FROM " + stream + " WHERE temp >= 0");

        post(stream, "application/x-ndjson", "{\"sensor\": \"a\", \"temp\": 1}\n{\"sensor\": \"b\", \"temp\": 2}");
        post(stream, "application/json", "[{\"sensor\": \"c\", \"temp\": 3}]");

        assertThat(read(first, 3)).containsExactly("a=1.0", "b=2.0", "c=3.0");
        assertThat(read(second, 3)).containsExactly("a=1.0", "b=2.0", "c=3.0");
    }

    @Test
    void badRecordsAreSkippedCountedAndReported() throws Exception {
        String stream = createStream("'on-error' = 'skip', 'scan.startup.mode' = 'earliest'");
        ResultSet rows = query("SELECT STREAM sensor, temp FROM " + stream);

        HttpResponse<String> response = post(stream, "application/x-ndjson",
                "{\"sensor\": \"a\", \"temp\": 1}\n{\"sensor\": \"b\", \"temp\": \"hot\"}\nnot json\n{\"sensor\": \"c\", \"temp\": 3}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = body(response);
        assertThat(body.get("accepted").asInt()).isEqualTo(2);
        assertThat(body.get("rejected").asInt()).isEqualTo(2);
        assertThat(body.get("errors")).hasSize(2);
        assertThat(body.get("errors").get(0).get("record").asInt()).isEqualTo(2);
        assertThat(body.get("errors").get(0).get("reason").asText()).contains("temp");
        assertThat(body.get("errors").get(1).get("record").asInt()).isEqualTo(3);
        assertThat(read(rows, 2)).containsExactly("a=1.0", "c=3.0");
        try (Statement statement = connect().createStatement();
             ResultSet statistics = statement.executeQuery("SELECT records_skipped FROM sys.source_statistics"
                     + " WHERE object_name = '" + stream + "'")) {
            assertThat(statistics.next()).isTrue();
            assertThat(statistics.getLong(1)).isEqualTo(2);
        }
    }

    @Test
    void aRecordThatIsNotUtf8IsRejectedAloneAndTextOutsideLatin1Arrives() throws Exception {
        String stream = createStream("'on-error' = 'skip', 'scan.startup.mode' = 'earliest'");
        ResultSet rows = query("SELECT STREAM sensor, temp FROM " + stream);
        byte[] body = concat("{\"sensor\": \"日本\", \"temp\": 1}\n{\"sensor\": \"".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                new byte[] {(byte) 0xff, (byte) 0xfe}, "\", \"temp\": 2}\n{\"sensor\": \"c\", \"temp\": 3}".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/ingest/" + stream))
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode reply = body(response);
        assertThat(reply.get("accepted").asInt()).isEqualTo(2);
        assertThat(reply.get("rejected").asInt()).isEqualTo(1);
        assertThat(reply.get("errors").get(0).get("record").asInt()).isEqualTo(2);
        assertThat(reply.get("errors").get(0).get("reason").asText()).contains("not valid UTF-8");
        assertThat(read(rows, 2)).containsExactly("日本=1.0", "c=3.0");
    }

    @Test
    void aBodyWithoutContentTypeIsRefusedWith415() throws Exception {
        String stream = createStream("'scan.startup.mode' = 'earliest'");

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/ingest/" + stream))
                .POST(HttpRequest.BodyPublishers.ofString("{\"sensor\": \"a\", \"temp\": 1}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(body(response).get("error").asText()).contains("no Content-Type").contains("application/x-ndjson");
        assertThat(loggedRecords(stream)).isZero();
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void onlyTheFirstTenRejectionsAreListed() throws Exception {
        String stream = createStream("'on-error' = 'skip'");
        String body = String.join("\n", java.util.Collections.nCopies(25, "{\"sensor\": 1, \"temp\": \"x\"}"));

        JsonNode reply = body(post(stream, "application/x-ndjson", body));

        assertThat(reply.get("rejected").asInt()).isEqualTo(25);
        assertThat(reply.get("errors")).hasSize(10);
    }

    @Test
    void badRecordsAreDeadLetteredUnderTheDeadLetterPolicy() throws Exception {
        String stream = createStream("'on-error' = 'dead-letter'");

        HttpResponse<String> response = post(stream, "application/json",
                "[{\"sensor\": \"a\", \"temp\": 1}, {\"sensor\": \"b\", \"temp\": \"hot\"}]");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response).get("accepted").asInt()).isEqualTo(1);
        try (Statement statement = connect().createStatement();
             ResultSet letters = statement.executeQuery("SELECT source, raw FROM sys.dead_letters"
                     + " WHERE object_name = '" + stream + "'")) {
            assertThat(letters.next()).isTrue();
            assertThat(letters.getString("source")).isEqualTo("POST /ingest/" + stream + " record 2");
            assertThat(letters.getString("raw")).contains("hot");
            assertThat(letters.next()).isFalse();
        }
    }

    @Test
    void underTheFailPolicyABadRecordRefusesTheWholeRequest() throws Exception {
        String stream = createStream("'scan.startup.mode' = 'earliest'");

        HttpResponse<String> response = post(stream, "application/x-ndjson",
                "{\"sensor\": \"a\", \"temp\": 1}\n{\"sensor\": \"b\", \"temp\": \"hot\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = body(response);
        assertThat(body.get("accepted").asInt()).isZero();
        assertThat(body.get("rejected").asInt()).isEqualTo(1);
        assertThat(body.get("error").asText()).contains("'on-error' = 'fail'").contains("'skip'");
        assertThat(loggedRecords(stream)).isZero();
    }

    @Test
    void csvStreamsTakeCsvLines() throws Exception {
        String stream = createStream("'format' = 'csv', 'scan.startup.mode' = 'earliest'");
        ResultSet rows = query("SELECT STREAM sensor, temp FROM " + stream);

        HttpResponse<String> response = post(stream, "text/csv", "a,1.5\n\"b\nc\",2\n");

        assertThat(body(response).get("accepted").asInt()).isEqualTo(2);
        assertThat(read(rows, 2)).containsExactly("a=1.5", "b\nc=2.0");
        assertThat(post(stream, "application/json", "[]").statusCode()).isEqualTo(415);
    }

    @Test
    void anUnknownStreamIsNotFound() throws Exception {
        HttpResponse<String> response = post("no_such_stream", "application/x-ndjson", "{}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("json"));
        assertThat(body(response).get("error").asText()).contains("'no_such_stream' does not exist")
                .contains("'connector' = 'http'");
    }

    @Test
    void aStreamOfAnotherConnectorSaysWhatToDeclareInstead() throws Exception {
        execute("CREATE STREAM ticks (id BIGINT) WITH ('connector' = 'datagen')");

        HttpResponse<String> response = post("ticks", "application/x-ndjson", "{\"id\": 1}");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(body(response).get("error").asText()).contains("connector 'datagen'").contains("'connector' = 'http'");
    }

    @Test
    void malformedRequestsAreRefused() throws Exception {
        String stream = createStream("'format' = 'json'");

        HttpResponse<String> unclosed = post(stream, "application/json", "[{\"sensor\": \"a\"}, {");
        HttpResponse<String> form = post(stream, "application/x-www-form-urlencoded", "{\"sensor\": \"a\"}");
        HttpResponse<String> empty = post(stream, "application/x-ndjson", "");
        HttpResponse<String> tooLarge = post(stream, "application/x-ndjson", "x".repeat(IngestEndpoint.MAX_BODY_BYTES + 1));

        assertThat(unclosed.statusCode()).isEqualTo(400);
        assertThat(body(unclosed).get("error").asText()).contains("not well-formed JSON");
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(body(form).get("error").asText()).contains("application/x-ndjson");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(loggedRecords(stream)).isZero();
    }

    @Test
    void droppingAStreamForgetsItsBufferedRecords() throws Exception {
        String stream = createStream("'scan.startup.mode' = 'earliest'");
        post(stream, "application/x-ndjson", "{\"sensor\": \"old\", \"temp\": 1}");
        execute("DROP STREAM " + stream);
        execute("CREATE STREAM " + stream + " (sensor VARCHAR, temp DOUBLE) WITH ('connector' = 'http',"
                + " 'scan.startup.mode' = 'earliest')");
        ResultSet rows = query("SELECT STREAM sensor, temp FROM " + stream);

        post(stream, "application/x-ndjson", "{\"sensor\": \"new\", \"temp\": 2}");

        assertThat(read(rows, 1)).containsExactly("new=2.0");
    }

    @Test
    void aViewCreatedAgainStartsAfreshNotWhereTheDroppedOneStopped() throws Exception {
        String stream = createStream("'format' = 'json'");
        execute("CREATE MATERIALIZED VIEW per_sensor AS SELECT sensor, COUNT(*) AS n FROM " + stream + " GROUP BY sensor");
        post(stream, "application/x-ndjson", "{\"sensor\": \"first\", \"temp\": 1}");
        await().atMost(Duration.ofSeconds(20)).until(() -> viewRows("per_sensor"), rows -> rows.equals(List.of("first=1")));

        execute("DROP MATERIALIZED VIEW per_sensor");
        // accepted while no view reads the stream: the dropped view's consumer must not hand these to the new one
        post(stream, "application/x-ndjson", "{\"sensor\": \"between\", \"temp\": 2}");
        execute("CREATE MATERIALIZED VIEW per_sensor AS SELECT sensor, COUNT(*) AS n FROM " + stream + " GROUP BY sensor");
        await().atMost(Duration.ofSeconds(20)).until(() -> server.context().persistentQueries().list().stream()
                .anyMatch(query -> query.id().equals("view:per_sensor") && query.statistics().batches() > 0));
        post(stream, "application/x-ndjson", "{\"sensor\": \"after\", \"temp\": 3}");

        await().atMost(Duration.ofSeconds(20)).until(() -> viewRows("per_sensor"), rows -> !rows.isEmpty());
        assertThat(viewRows("per_sensor")).containsExactly("after=1");
    }

    private List<String> viewRows(String view) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connect().createStatement();
             ResultSet result = statement.executeQuery("SELECT sensor, n FROM " + view + " ORDER BY sensor")) {
            while (result.next()) {
                rows.add(result.getString(1) + "=" + result.getLong(2));
            }
        }
        return rows;
    }

    @Test
    void acceptedRecordsAreReadAfterARestart() throws Exception {
        String stream = createStream("'format' = 'json', 'scan.startup.mode' = 'earliest'");
        HttpResponse<String> accepted = post(stream, "application/x-ndjson",
                "{\"sensor\": \"a\", \"temp\": 1}\n{\"sensor\": \"b\", \"temp\": 2}");
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(loggedRecords(stream)).isEqualTo(2);

        // As after kill -9: a new server process opens the log from its files.
        for (Connection connection : connections) {
            connection.close();
        }
        connections.clear();
        server.close();
        server = RunningServer.start(dataDir);
        ResultSet rows = query("SELECT STREAM sensor, temp FROM " + stream);
        post(stream, "application/x-ndjson", "{\"sensor\": \"c\", \"temp\": 3}");

        assertThat(read(rows, 3)).containsExactly("a=1.0", "b=2.0", "c=3.0");
    }

    @Test
    void aFullLogAnswers503WithRetryAfterAndAcceptsNothing() throws Exception {
        String stream = createStream("'wal.max-bytes' = '8 KiB', 'wal.segment-bytes' = '4 KiB'");
        // A consumer that never commits holds every record.
        serverLog(stream).commit("stopped-query", 0);
        String record = "{\"sensor\": \"" + "s".repeat(900) + "\", \"temp\": 1}";
        HttpResponse<String> response = post(stream, "application/x-ndjson", record);
        for (int i = 0; i < 20 && response.statusCode() == 200; i++) {
            response = post(stream, "application/x-ndjson", record);
        }
        long logged = loggedRecords(stream);

        HttpResponse<String> refused = post(stream, "application/x-ndjson", record + "\n" + record);

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(body(refused).get("error").asText()).contains("'wal.max-bytes'").contains("nothing of this request");
        assertThat(loggedRecords(stream)).isEqualTo(logged);
        assertThat(pausedReason(stream)).isEqualTo("log full ('wal.max-bytes')");
    }

    /** {@code sys.source_statistics.paused_reason} of {@code stream}. */
    private String pausedReason(String stream) throws SQLException {
        try (Statement statement = connect().createStatement();
             ResultSet statistics = statement.executeQuery("SELECT paused_reason FROM sys.source_statistics"
                     + " WHERE object_name = '" + stream + "'")) {
            assertThat(statistics.next()).isTrue();
            return statistics.getString(1);
        }
    }

    /** Records in the stream's write-ahead log. */
    private long loggedRecords(String stream) {
        return serverLog(stream).endOffset();
    }

    /** The stream's log as the server has it open. */
    private WriteAheadLog serverLog(String stream) {
        return IngestLogs.open(server.context().connectorServices().writeAheadLogs(), IngestLogs.connectorDirectory(dataDir, stream),
                stream, walSettings(), InstantSource.system());
    }

    private static WalSettings walSettings() {
        return WalSettings.of(WalSync.INTERVAL, Duration.ofHours(1), 8 << 10, 4 << 10);
    }

    private String createStream(String options) throws SQLException {
        String name = "readings_" + STREAMS.incrementAndGet() + "_" + System.nanoTime() % 100_000;
        execute("CREATE STREAM " + name + " (sensor VARCHAR, temp DOUBLE) WITH ('connector' = 'http', " + options + ")");
        return name;
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connect().createStatement()) {
            statement.execute(sql);
        }
    }

    /** A continuous query on its own connection, polling every 20 ms. */
    private ResultSet query(String sql) throws SQLException {
        Connection connection = connect();
        try (Statement settings = connection.createStatement()) {
            settings.execute("SET 'batch.interval' = '20 ms'");
        }
        return connection.createStatement().executeQuery(sql);
    }

    private Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(server.jdbcUrl());
        connections.add(connection);
        return connection;
    }

    private static List<String> read(ResultSet rows, int count) throws SQLException {
        List<String> values = new ArrayList<>();
        while (values.size() < count) {
            assertThat(rows.next()).as("row %d of %d", values.size() + 1, count).isTrue();
            values.add(rows.getString(1) + "=" + rows.getDouble(2));
        }
        return values;
    }

    private HttpResponse<String> post(String stream, String contentType, String body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/ingest/" + stream))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static JsonNode body(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }
}

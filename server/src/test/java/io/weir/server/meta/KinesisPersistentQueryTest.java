package io.weir.server.meta;

import io.weir.connector.kinesis.Kinesalite;
import io.weir.connector.kinesis.TestStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An INSERT INTO from one Kinesis stream into another, as a user runs it, against kinesalite: the query
 * checkpoints its shard positions, resumes from them after a server restart (reading none of the first records
 * again), and every selected record reaches the output stream once. The credentials show masked.
 */
class KinesisPersistentQueryTest {
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static TestStreams streams;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startEmulator() throws Exception {
        streams = new TestStreams(Kinesalite.shared().endpoint());
    }

    @AfterAll
    static void closeClient() {
        if (streams != null) {
            streams.close();
        }
    }

    private static String with(Map<String, String> options) {
        List<String> pairs = new ArrayList<>();
        options.forEach((key, value) -> pairs.add("'" + key + "' = '" + value + "'"));
        return String.join(", ", pairs);
    }

    @Test
    void aPersistentQueryResumesFromItsCheckpointedShardPositionsAfterARestart() throws Exception {
        String input = streams.create("orders", 3);
        String output = streams.create("big_orders", 1);
        Map<String, String> outputOptions = new java.util.LinkedHashMap<>(streams.options(output));
        outputOptions.remove("scan.startup.mode");
        outputOptions.put("key.fields", "customer");
        put(input, 0, 100);
        try (EngineServer server = EngineServer.start(dataDir, "100 ms")) {
            try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE STREAM orders (id BIGINT, amount DOUBLE, customer VARCHAR,"
                        + " shard VARCHAR METADATA FROM 'shard_id') WITH (" + with(streams.options(input)) + ")");
                statement.execute("CREATE STREAM big_orders (id BIGINT, customer VARCHAR, amount DOUBLE, shard VARCHAR) WITH ("
                        + with(outputOptions) + ")");
                statement.execute("SET 'checkpoint.interval' = '0 s'");
                try (ResultSet started = statement.executeQuery("INSERT INTO big_orders"
                        + " SELECT STREAM id, UPPER(customer), amount, shard FROM orders WHERE amount >= 10")) {
                    assertThat(started.next()).isTrue();
                }
                String described = text(statement.executeQuery("DESCRIBE orders"));
                assertThat(described).contains("aws.credentials.secret-access-key").doesNotContain(TestStreams.SECRET_KEY)
                        .doesNotContain(TestStreams.ACCESS_KEY);
                assertThat(text(statement.executeQuery("SHOW STREAMS"))).doesNotContain(TestStreams.SECRET_KEY);
            }
            EngineServer.await(() -> outputIds(output).size() == 50);
        }
        put(input, 100, 200); // while the server is down
        try (EngineServer server = EngineServer.start(dataDir, "100 ms")) {
            put(input, 200, 300);
            EngineServer.await(() -> outputIds(output).size() >= 150);
            try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
                try (ResultSet queries = statement.executeQuery("SELECT state, rows_in FROM sys.queries WHERE kind = 'PERSISTENT'")) {
                    assertThat(queries.next()).isTrue();
                    assertThat(queries.getString("state")).isEqualTo("RUNNING");
                    assertThat(queries.getLong("rows_in")).isEqualTo(300);
                }
                // it resumed from its checkpoint: this run read the 200 records put since, not the first 100 again
                try (ResultSet counts = statement.executeQuery(
                        "SELECT records_read FROM sys.source_statistics WHERE object_name = 'orders'")) {
                    assertThat(counts.next()).isTrue();
                    assertThat(counts.getLong(1)).isEqualTo(200);
                }
            }
        }
        List<Long> ids = outputIds(output);
        assertThat(ids).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, 300).filter(id -> id % 2 == 0).boxed().toList());
        assertThat(streams.readAllData(output)).allSatisfy(data -> assertThat(data).contains("\"customer\":\"C"));
    }

    @Test
    void aSecondPersistentQueryCatchesUpFromTheTrimHorizonWhileTheFirstReadsOnAndBothShareOneReader() throws Exception {
        String input = streams.create("payments", 2);
        String evens = streams.create("even_payments", 1);
        String odds = streams.create("odd_payments", 1);
        put(input, 0, 60);
        try (EngineServer server = EngineServer.start(dataDir, "100 ms")) {
            try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE STREAM payments (id BIGINT, amount DOUBLE, customer VARCHAR) WITH ("
                        + with(streams.options(input)) + ")");
                for (String output : List.of(evens, odds)) {
                    Map<String, String> options = new java.util.LinkedHashMap<>(streams.options(output));
                    options.remove("scan.startup.mode");
                    statement.execute("CREATE STREAM " + output + " (id BIGINT, customer VARCHAR) WITH (" + with(options) + ")");
                }
                statement.execute("SET 'checkpoint.interval' = '0 s'");
                statement.executeQuery("INSERT INTO " + evens + " SELECT STREAM id, customer FROM payments WHERE MOD(id, 2) = 0")
                        .close();
                EngineServer.await(() -> outputIds(evens).size() == 30);
                put(input, 60, 100);
                EngineServer.await(() -> outputIds(evens).size() == 50);
                // starts at the trim horizon while the shared reader is at the end: it catches up on a reader of its own
                statement.executeQuery("INSERT INTO " + odds + " SELECT STREAM id, customer FROM payments WHERE MOD(id, 2) = 1")
                        .close();
                put(input, 100, 120);
                EngineServer.await(() -> outputIds(evens).size() >= 60 && outputIds(odds).size() >= 60);
                EngineServer.await(() -> server.engine().sharedSources().openReaders() == 1);
            }
        }
        assertThat(outputIds(evens)).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, 120).filter(id -> id % 2 == 0).boxed().toList());
        assertThat(outputIds(odds)).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, 120).filter(id -> id % 2 == 1).boxed().toList());
    }

    /** Records {@code from} to {@code to}: even ids have an amount of at least 10. */
    private static void put(String stream, long from, long to) {
        for (long id = from; id < to; id++) {
            double amount = id % 2 == 0 ? 10 + id : 1;
            streams.put(stream, "c" + (id % 7), "{\"id\": " + id + ", \"amount\": " + amount + ", \"customer\": \"c" + (id % 7) + "\"}");
        }
    }

    private static List<Long> outputIds(String stream) {
        List<Long> ids = new ArrayList<>();
        for (String data : streams.readAllData(stream)) {
            Matcher matcher = ID.matcher(data);
            if (matcher.find()) {
                ids.add(Long.parseLong(matcher.group(1)));
            }
        }
        return ids;
    }

    private static String text(ResultSet rows) throws java.sql.SQLException {
        StringBuilder text = new StringBuilder();
        try (rows) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                for (int i = 1; i <= columns; i++) {
                    text.append(rows.getString(i)).append(" | ");
                }
                text.append('\n');
            }
        }
        return text.toString();
    }
}

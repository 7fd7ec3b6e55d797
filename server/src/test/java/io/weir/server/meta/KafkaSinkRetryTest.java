package io.weir.server.meta;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.weir.server.demo.EmbeddedKafka;
import io.weir.spi.connector.memory.InMemoryData;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A persistent query restored at server start whose Kafka broker is down (the demo's queries in a
 * plain server): it is RETRYING with its last error, failed attempts and next attempt, logs one line
 * per attempt with a growing back-off (and no Kafka client warnings), and runs again once the broker
 * is back. A real broker, stopped and started again on the same port and data.
 */
class KafkaSinkRetryTest {
    private static final Pattern NEXT_ATTEMPT = Pattern.compile("failed \\(attempt (\\d+)\\).*next attempt in (\\d+) s");

    @TempDir
    Path dataDir;
    @TempDir
    Path brokerDir;
    private EmbeddedKafka kafka;
    private EngineServer server;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        log.start();
        root().addAppender(log);
    }

    @AfterEach
    void stopAll() {
        root().detachAppender(log);
        if (server != null) {
            server.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Test
    void aRestoredQueryWhoseBrokerIsDownRetriesWithBackOffAndRunsAgainWhenItIsBack() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        kafka = EmbeddedKafka.start(brokerDir, port, "--kafka-port");
        kafka.createTopic("retry_out", 1);
        InMemoryData.register("retry_in", List.of(), false);
        server = EngineServer.start(dataDir, "100 ms");
        String id;
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET 'checkpoint.interval' = '500 ms'");
            statement.execute("CREATE STREAM readings (id BIGINT) WITH ('connector' = 'memory', 'data' = 'retry_in')");
            statement.execute("CREATE STREAM retry_out (id BIGINT) WITH ('connector' = 'kafka', 'bootstrap.servers' = '"
                    + kafka.bootstrapServers() + "', 'topic' = 'retry_out', 'format' = 'json')");
            try (ResultSet started = statement.executeQuery("INSERT INTO retry_out SELECT STREAM id FROM readings")) {
                assertThat(started.next()).isTrue();
                id = started.getString("query_id");
            }
        }
        InMemoryData.append("retry_in", List.<Object[]>of(new Object[] {1L}));
        await().atMost(Duration.ofSeconds(30)).until(() -> committedValues().contains("{\"id\":1}"));

        // The server stops, then the broker; the server starts again without it.
        server.close();
        server = null;
        kafka.close();
        kafka = null;
        log.list.clear();
        server = EngineServer.start(dataDir, "100 ms");

        await().atMost(Duration.ofSeconds(30)).until(() -> attempts(query(id)) >= 3);
        Map<String, Object> retrying = query(id);
        assertThat(retrying.get("state")).isEqualTo("RETRYING");
        assertThat((String) retrying.get("error")).contains("cannot connect to any Kafka broker")
                .contains("127.0.0.1:" + port);
        try (Connection connection = server.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT state, error, attempts, next_attempt FROM sys.queries"
                     + " WHERE query_id = '" + id + "'")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString("state")).isEqualTo("RETRYING");
            assertThat(row.getString("error")).contains("cannot connect to any Kafka broker");
            assertThat(row.getLong("attempts")).isGreaterThanOrEqualTo(3);
            // while it waits: when it tries next; while an attempt runs: NULL
            Timestamp next = row.getTimestamp("next_attempt");
            if (next != null) {
                assertThat(next.toInstant()).isAfter(java.time.Instant.now().minusSeconds(1));
            }
        }
        // One log line per failed attempt, waiting twice as long each time; no Kafka client warnings.
        List<Integer> delays = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(log.list)) {
            Matcher matcher = NEXT_ATTEMPT.matcher(event.getFormattedMessage());
            if (event.getFormattedMessage().startsWith("Persistent query " + id) && matcher.find()) {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(Integer.parseInt(matcher.group(1))).isEqualTo(delays.size() + 1);
                delays.add(Integer.parseInt(matcher.group(2)));
            }
        }
        assertThat(delays).hasSizeGreaterThanOrEqualTo(3).startsWith(1, 2, 4);
        assertThat(List.copyOf(log.list)).noneMatch(event -> event.getLoggerName().startsWith("org.apache.kafka")
                && event.getFormattedMessage().contains("clientId=weir-") && event.getLevel().isGreaterOrEqual(Level.WARN));

        // The broker comes back: the query runs again and writes what it reads.
        kafka = EmbeddedKafka.start(brokerDir, port, "--kafka-port");
        await().atMost(Duration.ofSeconds(60)).until(() -> "RUNNING".equals(query(id).get("state")));
        Map<String, Object> running = query(id);
        assertThat(running.get("error")).isNull();
        assertThat(attempts(running)).isZero();
        assertThat(running.get("next_attempt")).isNull();
        InMemoryData.append("retry_in", List.<Object[]>of(new Object[] {2L}));
        await().atMost(Duration.ofSeconds(30)).until(() -> committedValues().contains("{\"id\":2}"));

        try (Connection connection = server.connect(); Statement statement = connection.createStatement();
             ResultSet stopped = statement.executeQuery("STOP QUERY '" + id + "'")) {
            assertThat(stopped.next()).isTrue();
            assertThat(stopped.getString("message")).contains("Stopped persistent query '" + id + "'");
        }
    }

    private Map<String, Object> query(String id) throws SQLException {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW QUERIES")) {
            while (rows.next()) {
                if (rows.getString("query_id").equals(id)) {
                    Map<String, Object> row = new java.util.HashMap<>();
                    for (String column : List.of("state", "error", "attempts", "next_attempt")) {
                        row.put(column, rows.getObject(column));
                    }
                    return row;
                }
            }
        }
        throw new AssertionError("query " + id + " is not listed");
    }

    private static long attempts(Map<String, Object> row) {
        return ((Number) row.get("attempts")).longValue();
    }

    /** The values in the topic that read_committed consumers see. */
    private List<String> committedValues() {
        if (kafka == null) {
            return List.of();
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            TopicPartition partition = new TopicPartition("retry_out", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (!record.value().startsWith("{\"checkpoint\"")) {
                        values.add(record.value());
                    }
                }
            }
            return values;
        }
    }
}

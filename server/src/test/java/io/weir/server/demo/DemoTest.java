package io.weir.server.demo;

import io.weir.server.config.ServerConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The whole demo in-process on free ports: the embedded broker, the generator writing into it, the
 * server with the demo streams, the printed windowed query over the real JDBC driver, and a restart
 * that finds the broker's topics and the catalog again.
 */
class DemoTest {
    @TempDir
    Path dataDir;

    @Test
    void printedQueryDeliversRowsAndTheBrokerKeepsItsDataAcrossRestarts() throws Exception {
        ServerConfig config = ServerConfig.builder().bindAddress("127.0.0.1").port(0).pgPort(0).dataDir(dataDir)
                .batchInterval(Duration.ofMillis(200)).build();
        int kafkaPort;
        try (Demo demo = Demo.start(config, new DemoSettings(0, 500))) {
            kafkaPort = demo.kafka().port();
            assertThat(demo.registration().notes()).isEmpty();
            assertThat(demo.examples()).contains(DemoStreams.hitsQuery(), demo.server().jdbcUrl());

            List<String> events = readEvents(demo.kafka().bootstrapServers(), 5);
            assertThat(events).allSatisfy(event -> assertThat(event)
                    .startsWith("{\"ts\":\"").contains("\"ip\":\"", "\"user\":\"", "\"method\":\"", "\"url\":\"/",
                            "\"status\":", "\"bytes\":", "\"latency\":"));

            try (Connection connection = DriverManager.getConnection(demo.server().jdbcUrl());
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(DemoStreams.hitsQuery())) {
                // A 10 s window closes once the watermark (2 s behind) passes its end: at most ~13 s.
                boolean row = assertTimeoutPreemptively(Duration.ofSeconds(40), () -> rows.next());
                assertThat(row).isTrue();
                assertThat(rows.getTimestamp("window_end")).isNotNull();
                assertThat(rows.getString("url")).startsWith("/");
                assertThat(rows.getInt("status")).isBetween(200, 599);
                assertThat(rows.getLong("hits")).isPositive();
            }
        }

        try (Demo restarted = Demo.start(config, new DemoSettings(kafkaPort, 500))) {
            assertThat(restarted.kafka().topics()).contains(DemoStreams.WEBLOGS, DemoStreams.ALERTS);
            assertThat(restarted.server().config().dataDir().resolve(Demo.KAFKA_DIR)).isDirectory();
            assertThat(restarted.registration().notes()).isEmpty();
            try (Connection connection = DriverManager.getConnection(restarted.server().jdbcUrl());
                 Statement statement = connection.createStatement();
                 ResultSet streams = statement.executeQuery("SHOW STREAMS")) {
                List<String> names = new ArrayList<>();
                while (streams.next()) {
                    names.add(streams.getString(1));
                }
                assertThat(names).contains(DemoStreams.WEBLOGS, DemoStreams.ALERTS);
            }
        }
    }

    /** The first {@code count} records of topic weblogs, read without a consumer group. */
    private static List<String> readEvents(String bootstrapServers, int count) {
        List<TopicPartition> partitions = IntStream.range(0, 3)
                .mapToObj(partition -> new TopicPartition(DemoStreams.WEBLOGS, partition)).toList();
        List<String> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (events.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    events.add(record.value());
                }
            }
        }
        assertThat(events).hasSizeGreaterThanOrEqualTo(count);
        return events;
    }
}

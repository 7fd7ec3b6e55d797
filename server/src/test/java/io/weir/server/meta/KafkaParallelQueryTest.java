package io.weir.server.meta;

import io.weir.server.demo.EmbeddedKafka;
import io.weir.server.testing.RunningServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A push query over a 4-partition Kafka topic at parallelism 2: the partitions are divided between
 * the tasks (two each), rows exchanged by key, and the windows are those of parallelism 1.
 */
class KafkaParallelQueryTest {
    private static final int RECORDS = 20_000;

    @TempDir
    static Path brokerDir;
    private static EmbeddedKafka kafka;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startBroker() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        kafka = EmbeddedKafka.start(brokerDir, port, "--kafka-port");
        kafka.createTopic("bids", 4);
        Random random = new Random(11);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            for (int i = 0; i < RECORDS; i++) {
                // each partition in time order: record i goes to partition i % 4, one per ms
                String json = "{\"auction\": " + random.nextInt(300) + ", \"price\": " + random.nextInt(100) + ", \"ts\": \""
                        + Instant.ofEpochMilli(1_700_000_000_000L + i) + "\"}";
                producer.send(new ProducerRecord<>("bids", i % 4, null, json));
            }
            producer.flush();
        }
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void partitionsAreDividedBetweenTasksAndTheWindowsAreThoseOfOneTask() throws Exception {
        try (RunningServer server = RunningServer.start(dataDir, 2);
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM bids (auction BIGINT, price BIGINT, ts TIMESTAMP(3),"
                    + " WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'kafka', 'topic' = 'bids',"
                    + " 'bootstrap.servers' = '" + kafka.bootstrapServers() + "', 'format' = 'json',"
                    + " 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset')");
            statement.execute("SET 'batch.interval' = '50 ms'");
            statement.execute("SET 'source.max-batch-rows' = '500'"); // many micro-batches, each moving the watermark
            statement.execute("SET 'parallelism' = '1'");
            List<String> single = windows(statement);
            statement.execute("SET 'parallelism' = '2'");
            List<String> parallel = windows(statement);
            assertThat(single).hasSizeGreaterThan(300 * 15);
            assertThat(parallel).isEqualTo(single);
            try (ResultSet queries = statement.executeQuery("SELECT rows_in, late_rows FROM sys.queries")) {
                while (queries.next()) {
                    assertThat(queries.getLong(1)).isEqualTo(RECORDS);
                    assertThat(queries.getLong(2)).isZero();
                }
            }
        }
    }

    private static List<String> windows(Statement statement) throws Exception {
        List<String> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery("SELECT STREAM auction, window_end, COUNT(*) AS bids, SUM(price) AS total"
                + " FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '1' SECOND)) GROUP BY auction, window_start, window_end")) {
            while (result.next()) {
                rows.add(result.getLong(1) + " " + result.getTimestamp(2) + " " + result.getLong(3) + " " + result.getLong(4));
            }
        }
        rows.sort(null);
        return rows;
    }
}

package io.weir.server.meta;

import io.weir.server.demo.EmbeddedKafka;
import io.weir.server.testing.RunningServer;
import io.weir.spi.connector.memory.InMemoryData;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A persistent query and a materialized view over a 4-partition Kafka topic, run as two tasks on a
 * real server, continue after the server is restarted at another parallelism: the query's
 * exactly-once sink and the view hold exactly the rows of the whole input, none lost and none twice.
 */
class ParallelPersistentQueryTest {
    private static final long BASE = 1_700_000_000_000L;
    private static final int HALF = 8_000;

    @TempDir
    static Path brokerDir;
    private static EmbeddedKafka kafka;
    private static KafkaProducer<String, String> producer;

    @TempDir
    Path dataDir;
    private final List<String> dataSets = new ArrayList<>();
    /** What was sent, per record: auction, price, time. */
    private final List<long[]> sent = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        kafka = EmbeddedKafka.start(brokerDir, port, "--kafka-port");
        kafka.createTopic("pq_bids", 4);
        kafka.createTopic("view_bids", 4);
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    @AfterAll
    static void stopBroker() {
        producer.close();
        kafka.close();
    }

    @AfterEach
    void unregister() {
        dataSets.forEach(InMemoryData::unregister);
    }

    @Test
    void aPersistentQueryAtParallelism2ContinuesAfterARestartAtParallelism1WithTheRowsOfTheWholeInput() throws Exception {
        send("pq_bids", 0, HALF, new Random(1));
        String output = "pq_parallel_counts";
        InMemoryData.register(output, List.of(), false);
        dataSets.add(output);
        String id;
        try (RunningServer server = RunningServer.start(dataDir, 2);
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            createBids(statement, "pq_bids");
            statement.execute("CREATE STREAM counts (auction BIGINT, window_end TIMESTAMP(3), bids BIGINT, total BIGINT)"
                    + " WITH ('connector' = 'memory', 'data' = '" + output + "', 'delivery.guarantee' = 'exactly-once')");
            statement.execute("SET 'batch.interval' = '50 ms'");
            statement.execute("SET 'source.max-batch-rows' = '300'"); // many micro-batches and checkpoints before the restart
            statement.execute("SET 'checkpoint.interval' = '100 ms'");
            try (ResultSet started = statement.executeQuery("INSERT INTO counts SELECT STREAM auction, window_end, COUNT(*),"
                    + " SUM(price) FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '1' SECOND))"
                    + " GROUP BY auction, window_start, window_end")) {
                assertThat(started.next()).isTrue();
                id = started.getString("query_id");
            }
            assertThat(parallelism(statement, id)).isEqualTo(2);
            // part of the first half is through: windows have been committed, others are still open
            await().atMost(Duration.ofSeconds(60)).until(() -> InMemoryData.rows(output).size() > 200);
        }
        try (RunningServer server = RunningServer.start(dataDir, 1);
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> parallelism(statement, id) == 1);
            send("pq_bids", HALF, 2 * HALF, new Random(2));
            List<String> expected = closedWindows();
            await().atMost(Duration.ofSeconds(60)).until(() -> InMemoryData.rows(output).size() >= expected.size());
            assertThat(rows(InMemoryData.rows(output))).isEqualTo(expected);
            try (ResultSet query = statement.executeQuery("SELECT rows_in, late_rows, last_checkpoint FROM sys.queries"
                    + " WHERE query_id = '" + id + "'")) {
                assertThat(query.next()).isTrue();
                assertThat(query.getLong("late_rows")).isZero();
                assertThat(query.getLong("last_checkpoint")).isPositive();
            }
        }
    }

    @Test
    void aViewAtParallelism2HoldsTheRowsOfParallelism1AndContinuesAtParallelism3() throws Exception {
        send("view_bids", 0, HALF, new Random(3));
        try (RunningServer server = RunningServer.start(dataDir, 2);
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            createBids(statement, "view_bids");
            statement.execute("SET 'batch.interval' = '50 ms'");
            statement.execute("SET 'source.max-batch-rows' = '300'");
            statement.execute("SET 'checkpoint.interval' = '100 ms'");
            String query = " AS SELECT auction, window_start, window_end, COUNT(*) AS bids, SUM(price) AS total"
                    + " FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '1' SECOND)) GROUP BY auction, window_start, window_end";
            statement.execute("CREATE MATERIALIZED VIEW per_auction" + query);
            statement.execute("SET 'parallelism' = '1'");
            statement.execute("CREATE MATERIALIZED VIEW per_auction_one_task" + query);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(List.of(bidsIn(statement, "per_auction"),
                    bidsIn(statement, "per_auction_one_task"))).containsExactly((long) HALF, (long) HALF));
            assertThat(view(statement, "per_auction")).isEqualTo(view(statement, "per_auction_one_task")).isEqualTo(allWindows());
            try (ResultSet queries = statement.executeQuery("SELECT parallelism FROM sys.queries WHERE kind = 'PERSISTENT'"
                    + " ORDER BY parallelism")) {
                assertThat(queries.next()).isTrue();
                assertThat(queries.getInt(1)).isEqualTo(1);
                assertThat(queries.next()).isTrue();
                assertThat(queries.getInt(1)).isEqualTo(2);
            }
        }
        try (RunningServer server = RunningServer.start(dataDir, 3);
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            send("view_bids", HALF, 2 * HALF, new Random(4));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(bidsIn(statement, "per_auction"))
                    .isEqualTo(2L * HALF));
            assertThat(view(statement, "per_auction")).isEqualTo(allWindows());
            try (ResultSet queries = statement.executeQuery("SELECT parallelism FROM sys.queries WHERE kind = 'PERSISTENT'"
                    + " ORDER BY parallelism")) {
                assertThat(queries.next()).isTrue();
                assertThat(queries.getInt(1)).as("the view created with 'parallelism' = '1' keeps it").isEqualTo(1);
                assertThat(queries.next()).isTrue();
                assertThat(queries.getInt(1)).as("the other takes the server's default").isEqualTo(3);
            }
        }
    }

    private static void createBids(Statement statement, String topic) throws SQLException {
        statement.execute("CREATE STREAM bids (auction BIGINT, price BIGINT, ts TIMESTAMP(3),"
                + " WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'kafka', 'topic' = '" + topic + "',"
                + " 'bootstrap.servers' = '" + kafka.bootstrapServers() + "', 'format' = 'json',"
                + " 'scan.startup.mode' = 'earliest-offset')");
    }

    /** Records {@code from} to {@code to}: record i to partition i % 4 at {@code BASE + i} ms, so each partition is in time order. */
    private void send(String topic, int from, int to, Random random) throws Exception {
        List<java.util.concurrent.Future<?>> acknowledged = new ArrayList<>();
        for (int i = from; i < to; i++) {
            long auction = random.nextInt(10) < 3 ? 7 : random.nextInt(150); // a hot auction, in one task
            long price = random.nextInt(100);
            sent.add(new long[] {auction, price, BASE + i});
            acknowledged.add(producer.send(new ProducerRecord<>(topic, i % 4, null, "{\"auction\": " + auction
                    + ", \"price\": " + price + ", \"ts\": \"" + Instant.ofEpochMilli(BASE + i) + "\"}")));
        }
        producer.flush();
        for (java.util.concurrent.Future<?> record : acknowledged) {
            record.get(); // every record is in the topic: what the queries read is what the expected results count
        }
    }

    /** Every (auction, window) of what was sent with its count and total, as "auction end count total", the end as SQL shows it. */
    private List<String> allWindows() {
        java.time.format.DateTimeFormatter format = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
                .withZone(java.time.ZoneOffset.UTC);
        List<String> rows = new ArrayList<>();
        for (String row : windows(Long.MAX_VALUE)) {
            String[] values = row.split(" ");
            rows.add(values[0] + " " + format.format(Instant.ofEpochMilli(Long.parseLong(values[1]))) + " " + values[2] + " " + values[3]);
        }
        rows.sort(null);
        return rows;
    }

    /** The windows the watermark closed: the smallest of the partitions' largest times, less the 1 s delay. */
    private List<String> closedWindows() {
        long[] largest = new long[4];
        for (int i = 0; i < sent.size(); i++) {
            largest[i % 4] = Math.max(largest[i % 4], sent.get(i)[2]);
        }
        long watermark = Math.min(Math.min(largest[0], largest[1]), Math.min(largest[2], largest[3])) - 1000;
        return windows(watermark);
    }

    private List<String> windows(long watermark) {
        Map<String, long[]> windows = new TreeMap<>();
        for (long[] record : sent) {
            long end = Math.floorDiv(record[2], 1000) * 1000 + 1000;
            if (end - 1 <= watermark) {
                long[] counts = windows.computeIfAbsent(record[0] + " " + end, key -> new long[2]);
                counts[0]++;
                counts[1] += record[1];
            }
        }
        List<String> rows = new ArrayList<>();
        windows.forEach((key, counts) -> rows.add(key + " " + counts[0] + " " + counts[1]));
        rows.sort(null);
        return rows;
    }

    private static List<String> rows(List<Object[]> written) {
        List<String> rows = new ArrayList<>();
        for (Object[] row : written) {
            rows.add(row[0] + " " + row[1] + " " + row[2] + " " + row[3]);
        }
        rows.sort(null);
        return rows;
    }

    private static List<String> view(Statement statement, String view) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery("SELECT auction, window_end, bids, total FROM " + view)) {
            while (result.next()) {
                rows.add(result.getLong(1) + " " + result.getString(2) + " " + result.getLong(3) + " " + result.getLong(4));
            }
        }
        rows.sort(null);
        return rows;
    }

    private static long bidsIn(Statement statement, String view) throws SQLException {
        try (ResultSet result = statement.executeQuery("SELECT COALESCE(SUM(bids), 0) FROM " + view)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static int parallelism(Statement statement, String id) throws SQLException {
        try (ResultSet query = statement.executeQuery("SELECT parallelism FROM sys.queries WHERE query_id = '" + id + "'")) {
            return query.next() ? query.getInt(1) : 0;
        }
    }
}

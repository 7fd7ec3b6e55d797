package io.weir.server.meta;

import io.weir.server.demo.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An INSERT INTO a Kafka topic, as a user runs it: the query outlives its client and a server
 * restart, and every input record reaches the output topic (at least once).
 */
class KafkaPersistentQueryTest {
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

    @TempDir
    static Path brokerDir;
    private static EmbeddedKafka kafka;

    @TempDir
    Path dataDir;
    private EngineServer server;

    @BeforeAll
    static void startBroker() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        kafka = EmbeddedKafka.start(brokerDir, port, "--kafka-port");
        kafka.createTopic("orders", 3);
        kafka.createTopic("big_orders", 1);
        kafka.createTopic("clicks", 2);
        kafka.createTopic("payments", 3);
        kafka.createTopic("pairs_in", 2);
        kafka.createTopic("pairs_out", 1);
        for (String output : List.of("payments_all", "payments_even", "payments_big")) {
            kafka.createTopic(output, 1);
        }
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private void startServer() throws IOException {
        server = EngineServer.start(dataDir, "100 ms");
    }

    private void stopServer() {
        server.close();
    }

    @Test
    void everyRecordReachesTheOutputTopicAcrossDisconnectAndRestart() throws Exception {
        startServer();
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute(kafkaStream("orders", "id BIGINT, amount DOUBLE, customer VARCHAR,"
                    + " ts TIMESTAMP(3) METADATA FROM 'timestamp', part INT METADATA FROM 'partition'",
                    "'format' = 'json', 'scan.startup.mode' = 'earliest-offset'"));
            statement.execute(kafkaStream("big_orders", "id BIGINT, customer VARCHAR, amount DOUBLE, part INT, ts TIMESTAMP(3)",
                    "'format' = 'json', 'key.fields' = 'customer'"));
            try (ResultSet started = statement.executeQuery("INSERT INTO big_orders"
                    + " SELECT STREAM id, UPPER(customer), amount, part, ts FROM orders WHERE amount >= 10")) {
                assertThat(started.next()).isTrue();
            }
        }
        produce(0, 300);
        EngineServer.await(() -> outputIds().size() == 150);
        stopServer();
        produce(300, 600); // while the server is down
        startServer();
        produce(600, 900);
        EngineServer.await(() -> outputIds().size() == 450);
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet lag = statement.executeQuery("SHOW QUERIES")) {
            assertThat(lag.getMetaData().getColumnLabel(9)).isEqualTo("source_lag");
        }
        Set<Long> expected = new TreeSet<>();
        for (long id = 0; id < 900; id++) {
            if (id % 2 == 0) {
                expected.add(id);
            }
        }
        assertThat(outputIds()).isEqualTo(expected);
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet queries = statement.executeQuery("SELECT kind, state, rows_in, rows_out FROM sys.queries")) {
            assertThat(queries.next()).isTrue();
            assertThat(queries.getString("kind")).isEqualTo("PERSISTENT");
            assertThat(queries.getString("state")).isEqualTo("RUNNING");
            // rows_in counts across restarts (the count is part of the query's checkpoint)
            assertThat(queries.getLong("rows_in")).isEqualTo(900);
            // after the restart it resumed from its checkpoint: the stream's reader did not read the first 300 again
            assertThat(recordsRead(statement, "orders")).isEqualTo(600);
        }
        // everything was read: no lag left
        EngineServer.await(() -> {
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
                 Statement statement = connection.createStatement();
                 ResultSet lag = statement.executeQuery("SELECT source_lag FROM sys.queries WHERE kind = 'PERSISTENT'")) {
                return lag.next() && lag.getObject(1) != null && lag.getLong(1) == 0;
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        stopServer();
    }

    @Test
    void pushQueriesOverOneStreamShareOneConsumer() throws Exception {
        startServer();
        List<Connection> connections = new java.util.ArrayList<>();
        List<ResultSet> results = new java.util.ArrayList<>();
        try {
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
                 Statement statement = connection.createStatement()) {
                statement.execute(kafkaStream("clicks", "id BIGINT, url VARCHAR", "'scan.startup.mode' = 'latest-offset'"));
            }
            for (int i = 0; i < 3; i++) {
                Connection connection = DriverManager.getConnection(server.jdbcUrl());
                connections.add(connection);
                results.add(connection.createStatement().executeQuery(
                        "SELECT STREAM id, url FROM clicks WHERE MOD(id, 3) = " + i));
            }
            assertThat(server.engine().sharedSources().openReaders()).isEqualTo(1);
            // a reader that starts at the latest offsets may lag the query start; keep producing until each has rows
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
                for (int i = 0; i < results.size(); i++) {
                    ResultSet rows = results.get(i);
                    java.util.concurrent.atomic.AtomicLong id = new java.util.concurrent.atomic.AtomicLong();
                    Thread feeder = new Thread(() -> {
                        while (!Thread.currentThread().isInterrupted()) {
                            long next = id.getAndIncrement();
                            producer.send(new ProducerRecord<>("clicks", "{\"id\": " + next + ", \"url\": \"/p" + next + "\"}"));
                            producer.flush();
                            try {
                                Thread.sleep(20);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    });
                    feeder.start();
                    try {
                        assertThat(rows.next()).isTrue();
                        assertThat(rows.getLong("id") % 3).isEqualTo(i);
                        assertThat(rows.getString("url")).isEqualTo("/p" + rows.getLong("id"));
                    } finally {
                        feeder.interrupt();
                        feeder.join();
                    }
                }
            }
            assertThat(server.engine().sharedSources().openReaders()).isEqualTo(1);
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
        EngineServer.await(() -> server.engine().sharedSources().openReaders() == 0);
        stopServer();
    }

    @Test
    void persistentQueriesOverOneTopicReadItOnceAndEachResumesFromItsOwnOffsets() throws Exception {
        startServer();
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute(kafkaStream("payments", "id BIGINT, amount DOUBLE", "'scan.startup.mode' = 'earliest-offset'"));
            for (String output : List.of("payments_all", "payments_even", "payments_big")) {
                statement.execute(kafkaStream(output, "id BIGINT", null));
            }
            producePayments(0, 300);
            statement.execute("INSERT INTO payments_all SELECT STREAM id FROM payments");
            EngineServer.await(() -> idsIn("payments_all").equals(payments(0, 300, id -> true)));
            // these two start at the beginning while the first query's reader is at the end: they catch up, then share it
            statement.execute("INSERT INTO payments_even SELECT STREAM id FROM payments WHERE MOD(id, 2) = 0");
            statement.execute("INSERT INTO payments_big SELECT STREAM id FROM payments WHERE amount > 100");
            EngineServer.await(() -> idsIn("payments_even").equals(payments(0, 300, id -> id % 2 == 0))
                    && idsIn("payments_big").equals(payments(0, 300, id -> id % 5 == 0)));

            long before = recordsRead(statement, "payments");
            producePayments(300, 1300);
            awaitPayments(1300);
            assertThat(recordsRead(statement, "payments") - before).as("three queries read the new records once").isEqualTo(1000);
            assertThat(server.engine().sharedSources().openReaders()).isEqualTo(1);
        }
        stopServer();
        producePayments(1300, 1600); // while the server is down
        startServer();
        awaitPayments(1600);
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            try (ResultSet queries = statement.executeQuery("SELECT query_id, rows_in FROM sys.queries WHERE kind = 'PERSISTENT'")) {
                int count = 0;
                while (queries.next()) {
                    count++;
                    assertThat(queries.getLong("rows_in")).as("counted across the restart").isEqualTo(1600);
                    String group = "weir-" + queries.getString("query_id") + ".payments";
                    EngineServer.await(() -> committedOffsets(group) == 1600);
                }
                assertThat(count).isEqualTo(3);
            }
            // restored together, the three queries joined one reader before it started: the 300 records were read once
            assertThat(recordsRead(statement, "payments")).isEqualTo(300);
            long before = recordsRead(statement, "payments");
            producePayments(1600, 2000);
            awaitPayments(2000);
            assertThat(recordsRead(statement, "payments") - before).isEqualTo(400);
            assertThat(server.engine().sharedSources().openReaders()).isEqualTo(1);
        }
        stopServer();
    }

    @Test
    void aSelfJoinReadsItsStreamOnceAndCommitsToOneGroup() throws Exception {
        startServer();
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute(kafkaStream("pairs_in", "id BIGINT, amount DOUBLE, ts TIMESTAMP(3) METADATA FROM 'timestamp',"
                    + " WATERMARK FOR ts AS ts - INTERVAL '1' SECOND", "'scan.startup.mode' = 'earliest-offset'"));
            statement.execute(kafkaStream("pairs_out", "id BIGINT", null));
            send("pairs_in", 0, 100, Integer::toString, id -> "{\"id\": " + id + ", \"amount\": 1}");
            statement.execute("INSERT INTO pairs_out SELECT STREAM a.id FROM pairs_in a JOIN pairs_in b"
                    + " ON a.id = b.id AND b.ts BETWEEN a.ts - INTERVAL '1' SECOND AND a.ts + INTERVAL '1' SECOND");
            EngineServer.await(() -> idsIn("pairs_out").equals(payments(0, 100, id -> true)));
            String id;
            try (ResultSet queries = statement.executeQuery("SELECT query_id FROM sys.queries WHERE kind = 'PERSISTENT'")) {
                assertThat(queries.next()).isTrue();
                id = queries.getString(1);
            }
            // both sides of the self-join read one scan, which commits to the stream's group
            EngineServer.await(() -> committedOffsets("weir-" + id + ".pairs_in") == 100);
            assertThat(committedOffsets("weir-" + id + ".pairs_in.2")).isZero();
            assertThat(recordsRead(statement, "pairs_in")).isEqualTo(100);

            // stopped for good, the query's group goes: a query started later under its id starts afresh
            statement.execute("STOP QUERY " + id);
            assertThat(groups()).doesNotContain("weir-" + id + ".pairs_in");
        }
        stopServer();
    }

    /** {@code CREATE STREAM} of a stream over the topic of its name on the test broker, with more options if given. */
    private static String kafkaStream(String name, String columns, String moreOptions) {
        return "CREATE STREAM " + name + " (" + columns + ") WITH ('connector' = 'kafka', 'topic' = '" + name + "',"
                + " 'bootstrap.servers' = '" + kafka.bootstrapServers() + "'" + (moreOptions == null ? "" : ", " + moreOptions) + ")";
    }

    private static void awaitPayments(int to) throws InterruptedException {
        EngineServer.await(() -> idsIn("payments_all").equals(payments(0, to, id -> true))
                && idsIn("payments_even").equals(payments(0, to, id -> id % 2 == 0))
                && idsIn("payments_big").equals(payments(0, to, id -> id % 5 == 0)));
    }

    private static Set<Long> payments(long from, long to, java.util.function.LongPredicate filter) {
        Set<Long> ids = new TreeSet<>();
        for (long id = from; id < to; id++) {
            if (filter.test(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Payments [from, to): every fifth is over 100. */
    private static void producePayments(int from, int to) {
        send("payments", from, to, Integer::toString, id -> "{\"id\": " + id + ", \"amount\": " + (id % 5 == 0 ? 500 : 5) + "}");
    }

    private static long recordsRead(Statement statement, String stream) throws java.sql.SQLException {
        try (ResultSet counts = statement.executeQuery(
                "SELECT records_read FROM sys.source_statistics WHERE object_name = '" + stream + "'")) {
            return counts.next() ? counts.getLong(1) : 0;
        }
    }

    /** The offsets committed in a consumer group, summed over its partitions (what {@code kafka-consumer-groups} shows). */
    private static long committedOffsets(String group) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                    .mapToLong(OffsetAndMetadata::offset).sum();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> groups() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Set<String> groups = new TreeSet<>();
            admin.listGroups().all().get().forEach(group -> groups.add(group.groupId()));
            return groups;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The ids in a topic's partition 0, all of it read. */
    private static Set<Long> idsIn(String topic) {
        return idsIn(topic, record -> { });
    }

    /** The ids in a topic's partition 0, all of it read, each record passing {@code check}. */
    private static Set<Long> idsIn(String topic, java.util.function.Consumer<ConsumerRecord<String, String>> check) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        Set<Long> ids = new TreeSet<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    Matcher matcher = ID.matcher(record.value());
                    assertThat(matcher.find()).isTrue();
                    ids.add(Long.parseLong(matcher.group(1)));
                    check.accept(record);
                }
            }
        }
        return ids;
    }

    /** Records with ids [from, to): even ids have amount >= 10 and pass the filter. */
    private static void produce(int from, int to) {
        send("orders", from, to, id -> "c" + (id % 7),
                id -> "{\"id\": " + id + ", \"amount\": " + (id % 2 == 0 ? 10 + id : 1) + ", \"customer\": \"c" + (id % 7) + "\"}");
    }

    private static void send(String topic, int from, int to, java.util.function.IntFunction<String> key,
                             java.util.function.IntFunction<String> value) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            for (int id = from; id < to; id++) {
                producer.send(new ProducerRecord<>(topic, key.apply(id), value.apply(id)));
            }
            producer.flush();
        }
    }

    private static Set<Long> outputIds() {
        return idsIn("big_orders", record -> {
            assertThat(record.key()).startsWith("{\"customer\":\"C");
            assertThat(record.value()).contains("\"part\":").contains("\"ts\":\"");
        });
    }

}

package io.weir.connector.kafka;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorConformanceTest;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.error.DeadLetter;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Kafka source against the real broker the test classes share. */
@ExtendWith(SharedBroker.class)
class KafkaConnectorTest extends ConnectorConformanceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final List<DataType.Field> CLICKS = List.of(
            new DataType.Field("user_id", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("url", DataType.varchar()));

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.shared();
        broker.createTopic("clicks", 1);
        broker.produce("clicks", 0, "{\"user_id\": 1, \"url\": \"/a\"}", "{\"USER_ID\": 2, \"URL\": \"/b\", \"extra\": true}",
                null, "{\"user_id\": 3, \"url\": \"/c\"}");
        broker.createTopic("bad_clicks", 1);
        broker.produce("bad_clicks", 0, "{\"user_id\": 1, \"url\": \"/a\"}", "{\"user_id\": \"one\"}",
                "{\"user_id\": 2, \"url\": \"/b\"}", "{broken", "{\"user_id\": \"three\"}", "{\"user_id\": 4}");
    }

    // ---- conformance ----------------------------------------------------------------------------

    @Override
    protected String connectorName() {
        return "kafka";
    }

    @Override
    protected List<DataType.Field> schema() {
        return CLICKS;
    }

    @Override
    protected Duration timeout() {
        return TIMEOUT;
    }

    @Override
    protected Map<String, String> fixtureOptions(Path dir) {
        return options("topic", "clicks", "scan.bounded.mode", "latest-offset");
    }

    /** The tombstone (null value) between the second and third record yields no row. */
    @Override
    protected List<Object[]> expectedRows() {
        return List.of(new Object[] {1L, "/a"}, new Object[] {2L, "/b"}, new Object[] {3L, "/c"});
    }

    @Override
    protected Map<String, String> badRecordFixtureOptions(Path dir) {
        return options("topic", "bad_clicks", "scan.bounded.mode", "latest-offset", "format", "json");
    }

    @Override
    protected List<Object[]> expectedRowsWithoutBadRecords() {
        return List.of(new Object[] {1L, "/a"}, new Object[] {2L, "/b"}, new Object[] {4L, null});
    }

    @Override
    protected int badRecordCount() {
        return 3;
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static Map<String, String> options(String... keyValues) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("connector", "kafka");
        options.put("bootstrap.servers", broker.bootstrapServers());
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put(keyValues[i], keyValues[i + 1]);
        }
        return options;
    }

    private SourceHarness open(String name, List<DataType.Field> schema, Map<String, String> options) throws IOException {
        return SourceHarness.create(name, ObjectKind.STREAM, schema, options, Files.createDirectories(tempDir.resolve("state")),
                InstantSource.system());
    }

    private static String click(long userId, String url) {
        return "{\"user_id\": " + userId + ", \"url\": \"" + url + "\"}";
    }

    /**
     * Polls until the reader has resolved its partitions, so that its start and stop positions are
     * fixed; returns the rows those polls returned.
     */
    private static List<Object[]> awaitAssignment(SourceReader reader, List<DataType.Field> schema) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        BatchBuilder builder = new BatchBuilder(schema);
        List<Object[]> rows = new ArrayList<>();
        while (reader.splits().isEmpty()) {
            reader.poll(builder, 100);
            rows.addAll(builder.build().rows());
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no partitions assigned within " + TIMEOUT);
            }
            pause();
        }
        return rows;
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // ---- connector specifics --------------------------------------------------------------------

    @Test
    void boundedReadOfThreePartitionsStampsRowsWithTheirPartitionsSplit() throws Exception {
        broker.createTopic("orders3", 3);
        List<String> values = new ArrayList<>();
        for (int partition = 0; partition < 3; partition++) {
            values.clear();
            for (int i = 0; i < 10; i++) {
                values.add("{\"user_id\": " + (partition * 100 + i) + ", \"url\": \"/p" + partition + "\"}");
            }
            broker.produce("orders3", partition, values.toArray(String[]::new));
        }
        SourceHarness harness = open("orders", CLICKS, options("topic", "orders3", "scan.bounded.mode", "latest-offset"));
        Source source = harness.createSource();
        assertThat(source.isBounded()).isTrue();
        List<Object[]> rows = new ArrayList<>();
        try (SourceReader reader = source.createReader()) {
            BatchBuilder builder = new BatchBuilder(CLICKS);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            Map<Integer, Long> lastUserPerSplit = new LinkedHashMap<>();
            while (!reader.isFinished()) {
                assertThat(System.nanoTime()).as("finished in time").isLessThan(deadline);
                int added = reader.poll(builder, 4);
                Batch batch = builder.build();
                for (int row = 0; row < batch.rowCount(); row++) {
                    Object[] values1 = batch.row(row);
                    long userId = (Long) values1[0];
                    int partition = (int) (userId / 100);
                    assertThat(batch.splitId(row)).as("split of user %s", userId).isEqualTo(partition);
                    // Within a partition the records arrive in offset order.
                    Long previous = lastUserPerSplit.put(partition, userId);
                    assertThat(previous == null ? -1 : previous).isLessThan(userId);
                    rows.add(values1);
                }
                if (added == 0) {
                    pause();
                }
            }
            assertThat(reader.splits()).containsExactly(new Split(0, "orders3-0", true), new Split(1, "orders3-1", true),
                    new Split(2, "orders3-2", true));
            assertThat(reader.poll(builder, 10)).isZero();
        }
        assertThat(rows).hasSize(30);
        assertThat(rows.stream().map(row -> (Long) row[0]).distinct()).hasSize(30);
        assertThat(harness.counters().read()).isEqualTo(30);
    }

    /**
     * The reader decodes values where the consumer fetched them: in compressed batches (decompressed
     * buffers) and plain ones, many records per poll over several partitions, with polls that stop
     * in the middle of a partition's records. Every value arrives once, in offset order, and the
     * offsets after the rows returned are exact after every poll.
     */
    @Test
    void valuesOfCompressedAndPlainBatchesAreDecodedInPlaceAndOffsetsFollowEveryPoll() throws Exception {
        broker.createTopic("batched", 2);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            values.add(click(i, "/" + "x".repeat(i % 17)));
        }
        try (KafkaProducer<byte[], byte[]> gzip = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip",
                ProducerConfig.LINGER_MS_CONFIG, "50",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            for (String value : values) {
                gzip.send(new ProducerRecord<>("batched", 0, null, value.getBytes(StandardCharsets.UTF_8)));
            }
            gzip.flush();
        }
        List<String> plain = new ArrayList<>();
        for (int i = 1000; i < 1200; i++) {
            plain.add(click(i, "/plain" + i));
        }
        broker.produce("batched", 1, plain.toArray(String[]::new));
        SourceHarness harness = open("batched", CLICKS, options("topic", "batched", "scan.bounded.mode", "latest-offset",
                "properties.max.poll.records", "37"));
        try (SourceReader reader = harness.createSource().createReader()) {
            OffsetReader offsets = (OffsetReader) reader;
            BatchBuilder builder = new BatchBuilder(CLICKS);
            long[] rowsPerSplit = new long[2];
            List<Long> users = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!reader.isFinished()) {
                assertThat(System.nanoTime()).as("finished in time").isLessThan(deadline);
                int added = reader.poll(builder, 11);
                Batch batch = builder.build();
                for (int row = 0; row < batch.rowCount(); row++) {
                    Object[] values1 = batch.row(row);
                    long user = (Long) values1[0];
                    int split = batch.splitId(row);
                    assertThat(split).isEqualTo(user < 1000 ? 0 : 1);
                    assertThat(batch.offset(row)).as("offset of user %s", user).isEqualTo(rowsPerSplit[split]);
                    assertThat(values1[1]).isEqualTo(user < 1000 ? "/" + "x".repeat((int) (user % 17)) : "/plain" + user);
                    rowsPerSplit[split]++;
                    users.add(user);
                }
                Map<String, Long> expected = new LinkedHashMap<>();
                for (Split split : reader.splits()) {
                    if (rowsPerSplit[split.id()] > 0) {
                        expected.put(split.name(), rowsPerSplit[split.id()]);
                    }
                }
                assertThat(offsets.offsets().offsets()).as("offsets after the rows returned").isEqualTo(expected);
                if (added == 0) {
                    pause();
                }
            }
            assertThat(rowsPerSplit).containsExactly(300, 200);
            assertThat(users).doesNotHaveDuplicates();
        }
    }

    @Test
    void boundedReadStopsAtTheEndOffsetsSeenAtStart() throws Exception {
        broker.createTopic("growing", 1);
        broker.produce("growing", 0, click(1, "/a"), click(2, "/b"));
        SourceHarness harness = open("growing", CLICKS, options("topic", "growing", "scan.bounded.mode", "latest-offset"));
        try (SourceReader reader = harness.createSource().createReader()) {
            List<Object[]> rows = new ArrayList<>(awaitAssignment(reader, CLICKS));
            broker.produce("growing", 0, click(3, "/late"));
            rows.addAll(harness.read(reader, Integer.MAX_VALUE, TIMEOUT));
            assertThat(rows).containsExactly(new Object[] {1L, "/a"}, new Object[] {2L, "/b"});
            assertThat(reader.isFinished()).isTrue();
        }
    }

    @Test
    void emptyTopicBoundedReadFinishesWithoutRows() throws Exception {
        broker.createTopic("empty", 2);
        SourceHarness harness = open("empty", CLICKS, options("topic", "empty", "scan.bounded.mode", "latest-offset"));
        assertThat(harness.readAll(TIMEOUT)).isEmpty();
    }

    @Test
    void earliestStartReadsOldRecordsAndKeepsReadingNewOnes() throws Exception {
        broker.createTopic("live_earliest", 1);
        broker.produce("live_earliest", 0, click(1, "/old"));
        SourceHarness harness = open("live", CLICKS, options("topic", "live_earliest", "scan.startup.mode", "earliest-offset"));
        Source source = harness.createSource();
        assertThat(source.isBounded()).isFalse();
        try (SourceReader reader = source.createReader()) {
            assertThat(harness.read(reader, 1, TIMEOUT)).containsExactly(new Object[] {1L, "/old"});
            broker.produce("live_earliest", 0, click(2, "/new"));
            assertThat(harness.read(reader, 1, TIMEOUT)).containsExactly(new Object[] {2L, "/new"});
            assertThat(reader.isFinished()).isFalse();
            assertThat(reader.splits()).containsExactly(new Split(0, "live_earliest-0", false));
        }
    }

    @Test
    void latestStartReadsOnlyRecordsProducedAfterTheReaderStarted() throws Exception {
        broker.createTopic("live_latest", 2);
        broker.produce("live_latest", 0, click(1, "/old"), click(2, "/old"));
        broker.produce("live_latest", 1, click(3, "/old"));
        SourceHarness harness = open("live", CLICKS, options("topic", "live_latest", "scan.startup.mode", "latest-offset"));
        try (SourceReader reader = harness.createSource().createReader()) {
            assertThat(awaitAssignment(reader, CLICKS)).as("rows before new records were produced").isEmpty();
            broker.produce("live_latest", 1, click(4, "/new"), click(5, "/new"));
            assertThat(harness.read(reader, 2, TIMEOUT)).containsExactly(new Object[] {4L, "/new"}, new Object[] {5L, "/new"});
        }
    }

    @Test
    void timestampStartSkipsOlderRecords() throws Exception {
        broker.createTopic("timed", 1);
        broker.produceAt("timed", 0, 1_000L, click(1, "/early"));
        broker.produceAt("timed", 0, 2_000L, click(2, "/on-time"));
        broker.produceAt("timed", 0, 3_000L, click(3, "/later"));
        SourceHarness harness = open("timed", CLICKS, options("topic", "timed", "scan.bounded.mode", "latest-offset",
                "scan.startup.mode", "timestamp", "scan.startup.timestamp-millis", "2000"));
        assertThat(harness.readAll(TIMEOUT)).containsExactly(new Object[] {2L, "/on-time"}, new Object[] {3L, "/later"});
    }

    @Test
    void groupOffsetsStartAtTheCommittedOffset() throws Exception {
        broker.createTopic("grouped", 1);
        broker.produce("grouped", 0, click(1, "/a"), click(2, "/b"), click(3, "/c"));
        TopicPartition partition = new TopicPartition("grouped", 0);
        try (KafkaConsumer<byte[], byte[]> committer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "weir-test-group",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            committer.assign(List.of(partition));
            committer.commitSync(Map.of(partition, new OffsetAndMetadata(2)));
        }
        SourceHarness harness = open("grouped", CLICKS, options("topic", "grouped", "scan.bounded.mode", "latest-offset",
                "scan.startup.mode", "group-offsets", "group.id", "weir-test-group"));
        assertThat(harness.readAll(TIMEOUT)).containsExactly(new Object[] {3L, "/c"});

        // A group without committed offsets starts at auto.offset.reset, earliest unless set.
        SourceHarness fresh = open("grouped", CLICKS, options("topic", "grouped", "scan.bounded.mode", "latest-offset",
                "scan.startup.mode", "group-offsets", "group.id", "weir-fresh-group"));
        assertThat(fresh.readAll(TIMEOUT)).hasSize(3);
    }

    @Test
    void topicListAndPatternReadEveryNamedPartition() throws Exception {
        broker.createTopic("metrics_b", 1);
        broker.createTopic("metrics_a", 2);
        broker.createTopic("other_metrics", 1);
        broker.produce("metrics_a", 0, click(1, "/a0"));
        broker.produce("metrics_a", 1, click(2, "/a1"));
        broker.produce("metrics_b", 0, click(3, "/b0"));
        broker.produce("other_metrics", 0, click(4, "/other"));

        SourceHarness pattern = open("metrics", CLICKS, options("topic-pattern", "metrics_.*", "scan.bounded.mode", "latest-offset"));
        try (SourceReader reader = pattern.createSource().createReader()) {
            List<Object[]> rows = pattern.read(reader, Integer.MAX_VALUE, TIMEOUT);
            assertThat(rows).extracting(row -> row[1]).containsExactlyInAnyOrder("/a0", "/a1", "/b0");
            assertThat(reader.splits()).extracting(Split::name).containsExactly("metrics_a-0", "metrics_a-1", "metrics_b-0");
        }

        SourceHarness list = open("metrics", CLICKS, options("topic", "metrics_b, other_metrics", "scan.bounded.mode", "latest-offset"));
        try (SourceReader reader = list.createSource().createReader()) {
            List<Object[]> rows = list.read(reader, Integer.MAX_VALUE, TIMEOUT);
            assertThat(rows).extracting(row -> row[1]).containsExactlyInAnyOrder("/b0", "/other");
            assertThat(reader.splits()).extracting(Split::name).containsExactly("metrics_b-0", "other_metrics-0");
        }
    }

    @Test
    void csvFormatDecodesEachRecordAsOneLine() throws Exception {
        broker.createTopic("csv_clicks", 1);
        broker.produce("csv_clicks", 0, "1,/a", "2,\"/b,c\"");
        SourceHarness harness = open("csv", CLICKS, options("topic", "csv_clicks", "format", "csv", "scan.bounded.mode", "latest-offset"));
        assertThat(harness.readAll(TIMEOUT)).containsExactly(new Object[] {1L, "/a"}, new Object[] {2L, "/b,c"});
    }

    @Test
    void badRecordsNameTopicPartitionAndOffset() throws Exception {
        SourceHarness failing = open("bad", CLICKS, options("topic", "bad_clicks", "scan.bounded.mode", "latest-offset"));
        assertThatThrownBy(() -> failing.readAll(TIMEOUT))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_DECODE_ERROR))
                .hasMessageStartingWith("Stream 'bad': cannot decode record at kafka topic 'bad_clicks' partition 0 offset 1: field 'user_id'");

        SourceHarness lettered = open("bad", CLICKS, options("topic", "bad_clicks", "scan.bounded.mode", "latest-offset",
                "on-error", "dead-letter"));
        lettered.readAll(TIMEOUT);
        assertThat(lettered.deadLetters().letters()).extracting(DeadLetter::source).containsExactly(
                "kafka topic 'bad_clicks' partition 0 offset 1",
                "kafka topic 'bad_clicks' partition 0 offset 3",
                "kafka topic 'bad_clicks' partition 0 offset 4");
        assertThat(lettered.deadLetters().letters().get(1).rawText()).isEqualTo("{broken");
    }

    @Test
    void missingTopicFailsTheReaderNamingIt() throws IOException {
        SourceHarness harness = open("ghost", CLICKS, options("topic", "no_such_topic"));
        try (SourceReader reader = harness.createSource().createReader()) {
            assertThatThrownBy(() -> harness.read(reader, 1, TIMEOUT))
                    .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SOURCE_ERROR))
                    .hasMessageContaining("topic 'no_such_topic' does not exist");
            // The error stays: the reader does not pretend to recover.
            assertThatThrownBy(() -> reader.poll(new BatchBuilder(CLICKS), 1)).isInstanceOf(WeirException.class);
        }
    }

    @Test
    void unreachableBrokerFailsTheReaderAfterTheApiTimeout() throws IOException {
        Map<String, String> options = options("topic", "clicks", "properties.default.api.timeout.ms", "300",
                "properties.request.timeout.ms", "300", "properties.reconnect.backoff.max.ms", "50");
        options.put("bootstrap.servers", "127.0.0.1:1");
        SourceHarness harness = open("unreachable", CLICKS, options);
        try (SourceReader reader = harness.createSource().createReader()) {
            // The consumer's metadata call blocks on its own thread; poll returns at once.
            long start = System.nanoTime();
            assertThat(reader.poll(new BatchBuilder(CLICKS), 10)).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200));
            assertThatThrownBy(() -> harness.read(reader, 1, TIMEOUT))
                    .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SOURCE_ERROR))
                    .hasMessageContaining("Stream 'unreachable': cannot read topic 'clicks' from Kafka at '127.0.0.1:1'")
                    .hasMessageContaining("Check that the brokers are reachable");
        }
    }

    @Test
    void closeStopsTheConsumerThreadOfALiveReader() throws Exception {
        SourceHarness harness = open("closing", CLICKS, options("topic", "clicks"));
        SourceReader reader = harness.createSource().createReader();
        assertThat(harness.read(reader, 3, TIMEOUT)).hasSize(3);
        assertThat(consumerThreads("weir-closing-")).isNotEmpty();
        long start = System.nanoTime();
        reader.close();
        reader.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(consumerThreads("weir-closing-")).isEmpty();
        assertThatThrownBy(() -> reader.poll(new BatchBuilder(CLICKS), 1)).isInstanceOf(IllegalStateException.class);
    }

    private static List<String> consumerThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith(prefix))
                .toList();
    }
}

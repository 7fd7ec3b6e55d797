package io.weir.connector.kafka;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.MetadataColumn;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.Sink;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Metadata columns, record keys, the sink, offsets of persistent queries and the dead-letter topic, against the shared broker. */
@ExtendWith(SharedBroker.class)
class KafkaStreamFeaturesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final List<DataType.Field> CLICKS = List.of(
            new DataType.Field("user_id", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("url", DataType.varchar()));

    private static TestBroker broker;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.shared();
    }

    private static Map<String, String> options(String... keyValues) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("connector", "kafka");
        options.put("bootstrap.servers", broker.bootstrapServers());
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put(keyValues[i], keyValues[i + 1]);
        }
        return options;
    }

    private SourceHarness harness(String name, List<DataType.Field> schema, Map<String, String> options) throws Exception {
        return SourceHarness.create(name, ObjectKind.STREAM, schema, options, Files.createDirectories(tempDir.resolve("state")),
                InstantSource.system());
    }

    /** The context a query reading these metadata columns (and resuming as {@code consumerId}) gets, validated. */
    private static ConnectorContext reading(SourceHarness harness, List<MetadataColumn> metadata, Optional<String> consumerId) {
        ConnectorContext context = harness.context().withReading(metadata, consumerId);
        harness.resolved().validate(context);
        return context;
    }

    private static String click(long userId, String url) {
        return "{\"user_id\": " + userId + ", \"url\": \"" + url + "\"}";
    }

    // ---- metadata columns ----------------------------------------------------------------------

    @Test
    void metadataColumnsCarryTimestampPartitionOffsetKeyAndHeaders() throws Exception {
        broker.createTopic("meta", 2);
        broker.produce("meta", 1, 1_700_000_000_123L, "k1", click(1, "/a"), Map.of("trace", "abc"));
        broker.produce("meta", 1, 1_700_000_000_456L, null, click(2, "/b"), Map.of());
        SourceHarness harness = harness("meta", CLICKS, options("topic", "meta", "scan.bounded.mode", "latest-offset"));
        ConnectorContext context = reading(harness, List.of(
                new MetadataColumn("ts", "timestamp", DataType.timestamp(3)),
                new MetadataColumn("part", "partition", DataType.of(TypeKind.INTEGER)),
                new MetadataColumn("off", "offset", DataType.of(TypeKind.BIGINT)),
                new MetadataColumn("k", "key", DataType.varchar()),
                new MetadataColumn("kb", "key", DataType.of(TypeKind.VARBINARY)),
                new MetadataColumn("h", "headers", DataType.map(DataType.varchar(), DataType.varchar())),
                new MetadataColumn("src", "topic", DataType.varchar()),
                new MetadataColumn("tt", "timestamp-type", DataType.varchar()),
                new MetadataColumn("ts_millis", "timestamp", DataType.of(TypeKind.BIGINT))), Optional.empty());
        List<Object[]> rows;
        try (SourceReader reader = harness.resolved().connector().createSource(context).createReader()) {
            rows = SourceHarness.read(context.readerRowType(), reader, Integer.MAX_VALUE, TIMEOUT);
        }
        assertThat(rows).hasSize(2);
        Object[] first = rows.get(0);
        assertThat(List.of(first).subList(0, 4)).containsExactly(1L, "/a", 1_700_000_000_123L, 1L);
        assertThat(first[4]).isEqualTo(0L);
        assertThat(first[5]).isEqualTo("k1");
        assertThat((byte[]) first[6]).isEqualTo("k1".getBytes(StandardCharsets.UTF_8));
        assertThat(first[7]).isEqualTo(Map.of("trace", "abc"));
        assertThat(first[8]).isEqualTo("meta");
        assertThat(first[9]).isEqualTo("CreateTime");
        assertThat(first[10]).isEqualTo(1_700_000_000_123L);
        Object[] second = rows.get(1);
        assertThat(second[4]).isEqualTo(1L);
        assertThat(second[5]).as("no key").isNull();
        assertThat(second[7]).isEqualTo(Map.of());
    }

    @Test
    void unknownMetadataKeyAndUnfitTypeAreRejected() throws Exception {
        SourceHarness harness = harness("meta_bad", CLICKS, options("topic", "meta_bad"));
        assertThatThrownBy(() -> reading(harness, List.of(new MetadataColumn("lag", "lag", DataType.of(TypeKind.BIGINT))),
                Optional.empty()))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR))
                .hasMessageContaining("column 'lag'").hasMessageContaining("'lag'")
                .hasMessageContaining("'topic', 'partition', 'offset', 'timestamp', 'timestamp-type', 'key', 'headers'");
        assertThatThrownBy(() -> reading(harness, List.of(new MetadataColumn("off", "offset", DataType.of(TypeKind.BOOLEAN))),
                Optional.empty()))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR))
                .hasMessageContaining("column 'off' of type BOOLEAN cannot hold METADATA FROM 'offset'");
    }

    // ---- record keys ---------------------------------------------------------------------------

    @Test
    void keyFieldsAreReadFromTheRecordKey() throws Exception {
        broker.createTopic("keyed_in", 1);
        broker.produce("keyed_in", 0, null, "{\"user_id\": 7}", "{\"url\": \"/a\"}", Map.of());
        broker.produce("keyed_in", 0, null, "{\"user_id\": 8}", "{\"user_id\": 99, \"url\": \"/b\"}", Map.of());
        SourceHarness json = harness("keyed", CLICKS, options("topic", "keyed_in", "scan.bounded.mode", "latest-offset",
                "key.fields", "user_id", "key.format", "json"));
        assertThat(json.readAll(TIMEOUT)).as("the key wins over the value").containsExactly(new Object[] {7L, "/a"},
                new Object[] {8L, "/b"});

        broker.createTopic("raw_keyed_in", 1);
        broker.produce("raw_keyed_in", 0, null, "/x", "{\"user_id\": 1}", Map.of());
        SourceHarness raw = harness("raw_keyed", CLICKS, options("topic", "raw_keyed_in", "scan.bounded.mode", "latest-offset",
                "key.fields", "url", "key.format", "raw"));
        assertThat(raw.readAll(TIMEOUT)).containsExactly(new Object[] {1L, "/x"});

        // a CSV key holds the key fields in the order 'key.fields' names them
        broker.createTopic("csv_keyed_in", 1);
        broker.produce("csv_keyed_in", 0, null, "/y,5", "{}", Map.of());
        SourceHarness csv = harness("csv_keyed", CLICKS, options("topic", "csv_keyed_in", "scan.bounded.mode", "latest-offset",
                "key.fields", "url, user_id", "key.format", "csv"));
        assertThat(csv.readAll(TIMEOUT)).containsExactly(new Object[] {5L, "/y"});
    }

    @Test
    void keyOptionsAreChecked() {
        assertThatThrownBy(() -> harness("k", CLICKS, options("topic", "t", "key.fields", "nope")))
                .isInstanceOf(WeirException.class).hasMessageContaining("'key.fields' names column 'nope'");
        assertThatThrownBy(() -> harness("k", CLICKS, options("topic", "t", "key.format", "json")))
                .isInstanceOf(WeirException.class).hasMessageContaining("'key.format' needs 'key.fields'");
        assertThatThrownBy(() -> harness("k", CLICKS, options("topic", "t", "key.fields", "user_id", "key.format", "raw")))
                .isInstanceOf(WeirException.class).hasMessageContaining("one VARCHAR or VARBINARY column");
    }

    // ---- sink ----------------------------------------------------------------------------------

    private Sink sink(String name, Map<String, String> options) throws Exception {
        SourceHarness harness = harness(name, CLICKS, options);
        return harness.resolved().connector().createSink(harness.context());
    }

    @Test
    void sinkWritesKeyFieldsAsTheRecordKeyAndASourceReadsThemBack() throws Exception {
        broker.createTopic("keyed_out", 1);
        Map<String, String> options = options("topic", "keyed_out", "key.fields", "user_id");
        try (SinkWriter writer = sink("keyed_out", options).createWriter()) {
            writer.write(Batch.of(CLICKS, List.of(new Object[] {1L, "/a"}, new Object[] {2L, null})));
            writer.flush();
        }
        List<ConsumerRecord<byte[], byte[]>> records = broker.consumeAll("keyed_out");
        assertThat(records).hasSize(2);
        assertThat(new String(records.get(0).key(), StandardCharsets.UTF_8)).contains("\"user_id\"").contains("1");
        assertThat(new String(records.get(0).value(), StandardCharsets.UTF_8)).contains("\"url\"").contains("/a");

        Map<String, String> read = new LinkedHashMap<>(options);
        read.put("scan.bounded.mode", "latest-offset");
        assertThat(harness("keyed_out", CLICKS, read).readAll(TIMEOUT)).containsExactly(new Object[] {1L, "/a"},
                new Object[] {2L, null});

        broker.createTopic("unkeyed_out", 1);
        try (SinkWriter writer = sink("unkeyed_out", options("topic", "unkeyed_out")).createWriter()) {
            writer.write(Batch.of(CLICKS, List.<Object[]>of(new Object[] {3L, "/c"})));
            writer.flush();
        }
        assertThat(broker.consumeAll("unkeyed_out")).singleElement().satisfies(record -> assertThat(record.key()).isNull());

        broker.createTopic("csv_keyed_out", 1);
        Map<String, String> csvOptions = options("topic", "csv_keyed_out", "key.fields", "url, user_id", "key.format", "csv");
        try (SinkWriter writer = sink("csv_keyed_out", csvOptions).createWriter()) {
            writer.write(Batch.of(CLICKS, List.<Object[]>of(new Object[] {4L, "/d"})));
            writer.flush();
        }
        assertThat(broker.consumeAll("csv_keyed_out")).singleElement()
                .satisfies(record -> assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("/d,4"));
        Map<String, String> csvRead = new LinkedHashMap<>(csvOptions);
        csvRead.put("scan.bounded.mode", "latest-offset");
        assertThat(harness("csv_keyed_out", CLICKS, csvRead).readAll(TIMEOUT)).containsExactly(new Object[] {4L, "/d"});
    }

    @Test
    void sinkNeedsExactlyOneTopicAndReportsSendFailures() throws Exception {
        assertThatThrownBy(() -> sink("two", options("topic", "a, b")))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR))
                .hasMessageContaining("exactly one topic");
        Sink sink = sink("ghost_out", options("topic", "no_such_sink_topic", "properties.max.block.ms", "500",
                "properties.delivery.timeout.ms", "1000", "properties.request.timeout.ms", "500", "properties.linger.ms", "0"));
        try (SinkWriter writer = sink.createWriter()) {
            assertThatThrownBy(() -> {
                writer.write(Batch.of(CLICKS, List.<Object[]>of(new Object[] {1L, "/a"})));
                writer.flush();
            })
                    .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SINK_ERROR))
                    .hasMessageContaining("cannot write to Kafka topic 'no_such_sink_topic'")
                    .hasMessageContaining("Check that the topic exists");
        }
    }

    // ---- offsets of persistent queries -----------------------------------------------------------

    @Test
    void aReaderWithTheSameConsumerIdResumesAfterTheCommittedRows() throws Exception {
        broker.createTopic("resume", 1);
        broker.produce("resume", 0, click(1, "/a"), click(2, "/b"), click(3, "/c"), click(4, "/d"), click(5, "/e"));
        SourceHarness harness = harness("resume", CLICKS, options("topic", "resume"));
        ConnectorContext context = reading(harness, List.of(), Optional.of("q1"));
        Source source = harness.resolved().connector().createSource(context);
        try (SourceReader reader = source.createReader()) {
            assertThat(SourceHarness.read(CLICKS, reader, 3, TIMEOUT)).extracting(row -> row[0]).containsExactly(1L, 2L, 3L);
            reader.commit();
            // Returned but not committed: read again by the next reader.
            assertThat(SourceHarness.read(CLICKS, reader, 1, TIMEOUT)).extracting(row -> row[0]).containsExactly(4L);
        }
        assertThat(committed("weir-q1")).containsEntry(new TopicPartition("resume", 0), 3L);

        try (SourceReader reader = source.createReader()) {
            assertThat(SourceHarness.read(CLICKS, reader, 2, TIMEOUT)).extracting(row -> row[0]).containsExactly(4L, 5L);
            reader.commit();
            reader.commit(); // nothing moved: no new commit needed
        }
        assertThat(committed("weir-q1")).containsEntry(new TopicPartition("resume", 0), 5L);

        // A query that does not resume reads from the start and commits nothing.
        try (SourceReader reader = harness.createSource().createReader()) {
            assertThat(SourceHarness.read(CLICKS, reader, 5, TIMEOUT)).hasSize(5);
            reader.commit();
        }
        assertThat(committed("weir-q1")).containsEntry(new TopicPartition("resume", 0), 5L);
    }

    @Test
    void aUserGroupIdIsUsedForCommitsAndABoundedReaderCommitsAfterItFinished() throws Exception {
        broker.createTopic("resume_group", 1);
        broker.produce("resume_group", 0, click(1, "/a"), click(2, "/b"));
        SourceHarness harness = harness("resume_group", CLICKS, options("topic", "resume_group", "group.id", "my-group",
                "scan.bounded.mode", "latest-offset"));
        ConnectorContext context = reading(harness, List.of(), Optional.of("q2"));
        try (SourceReader reader = harness.resolved().connector().createSource(context).createReader()) {
            assertThat(SourceHarness.read(CLICKS, reader, Integer.MAX_VALUE, TIMEOUT)).hasSize(2);
            assertThat(reader.isFinished()).isTrue();
            reader.commit();
        }
        assertThat(committed("my-group")).containsEntry(new TopicPartition("resume_group", 0), 2L);
        assertThat(committed("weir-q2")).isEmpty();
    }

    @Test
    void readingByOffsetsStartsWhereEachConsumerResumesAndCommitsToItsGroup() throws Exception {
        broker.createTopic("by_offsets", 2);
        broker.produce("by_offsets", 0, click(1, "/a"), click(2, "/b"), click(3, "/c"));
        broker.produce("by_offsets", 1, click(11, "/k"), click(12, "/l"));
        SourceHarness harness = harness("by_offsets", CLICKS, options("topic", "by_offsets"));
        Source source = harness.resolved().connector().createSource(reading(harness, List.of(), Optional.of("q3.by_offsets")));
        assertThat(source.resumes()).isTrue();
        OffsetReading reading = source.offsetReading().orElseThrow();
        // no commits yet: where 'scan.startup.mode' says (earliest-offset)
        assertThat(reading.startOffsets("q3.by_offsets").offsets()).isEqualTo(Map.of("by_offsets-0", 0L, "by_offsets-1", 0L));

        Map<String, Long> start = new LinkedHashMap<>();
        start.put("by_offsets-0", 1L);
        start.put("by_offsets-1", 2L); // at the end
        try (OffsetReader reader = reading.createReader(SplitOffsets.of(start))) {
            BatchBuilder builder = new BatchBuilder(CLICKS);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (builder.rowCount() < 2 && System.nanoTime() < deadline) {
                reader.poll(builder, 10);
                Thread.sleep(10);
            }
            Batch batch = builder.build();
            assertThat(batch.rows()).extracting(row -> row[0]).containsExactly(2L, 3L);
            assertThat(List.of(batch.offset(0), batch.offset(1))).containsExactly(1L, 2L);
            assertThat(reader.splits()).extracting(Split::name).containsExactly("by_offsets-0", "by_offsets-1");
            assertThat(reader.offsets().offsets()).isEqualTo(Map.of("by_offsets-0", 3L, "by_offsets-1", 2L));
            reader.commit(); // a reader by offsets commits only in a consumer's name
            reader.commit("q3.by_offsets", reader.offsets());
            reader.commit("q4.by_offsets", SplitOffsets.of(Map.of("by_offsets-0", 2L)));
        }
        // committed when the reader closed at the latest; each consumer's group has its own offsets
        assertThat(committed("weir-q3.by_offsets")).isEqualTo(Map.of(new TopicPartition("by_offsets", 0), 3L,
                new TopicPartition("by_offsets", 1), 2L));
        assertThat(committed("weir-q4.by_offsets")).isEqualTo(Map.of(new TopicPartition("by_offsets", 0), 2L));
        assertThat(reading.startOffsets("q4.by_offsets").offsets()).isEqualTo(Map.of("by_offsets-0", 2L, "by_offsets-1", 0L));

        // a stream with its own group cannot be shared: its queries would overwrite each other's offsets
        SourceHarness named = harness("by_offsets", CLICKS, options("topic", "by_offsets", "group.id", "mine"));
        Source own = named.resolved().connector().createSource(reading(named, List.of(), Optional.of("q5.by_offsets")));
        assertThat(own.resumes()).isTrue();
        assertThat(own.offsetReading()).isEmpty();
        assertThat(harness.createSource().resumes()).as("a query that does not resume").isFalse();
    }

    private static Map<TopicPartition, Long> committed(String group) throws Exception {
        ListConsumerGroupOffsetsResult result = broker.admin().listConsumerGroupOffsets(group);
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : result.partitionsToOffsetAndMetadata().get().entrySet()) {
            if (entry.getValue() != null) {
                offsets.put(entry.getKey(), entry.getValue().offset());
            }
        }
        return offsets;
    }

    // ---- dead-letter topic ---------------------------------------------------------------------

    @Test
    void badRecordsGoToTheDeadLetterTopicWithTheirOriginAndAreCounted() throws Exception {
        broker.createTopic("dl_in", 1);
        broker.createTopic("dl_out", 1);
        broker.produce("dl_in", 0, null, null, click(1, "/a"), Map.of());
        broker.produce("dl_in", 0, null, "bad-key", "{broken", Map.of());
        broker.produce("dl_in", 0, null, null, click(2, "/b"), Map.of());
        SourceHarness harness = harness("dl", CLICKS, options("topic", "dl_in", "scan.bounded.mode", "latest-offset",
                "on-error", "dead-letter", "dead-letter.topic", "dl_out"));
        assertThat(harness.readAll(TIMEOUT)).extracting(row -> row[0]).containsExactly(1L, 2L);
        assertThat(harness.counters().deadLettered()).isEqualTo(1);
        assertThat(harness.deadLetters().letters()).singleElement().satisfies(letter -> {
            assertThat(letter.rawText()).isEqualTo("{broken");
            assertThat(letter.source()).isEqualTo("kafka topic 'dl_in' partition 0 offset 1");
        });

        ConsumerRecord<byte[], byte[]> letter = broker.consumeAll("dl_out").get(0);
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("{broken");
        assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("bad-key");
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : letter.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        assertThat(headers).containsEntry("weir.source.topic", "dl_in").containsEntry("weir.source.partition", "0")
                .containsEntry("weir.source.offset", "1").containsKey("weir.error.reason");
        assertThat(headers.get("weir.error.reason")).isNotBlank();
    }

    @Test
    void deadLetterTopicNeedsTheDeadLetterPolicy() {
        assertThatThrownBy(() -> harness("dl_bad", CLICKS, options("topic", "t", "dead-letter.topic", "t_dlq")))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR))
                .hasMessageContaining("'on-error' = 'dead-letter'");
    }
}

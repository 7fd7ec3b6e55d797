package io.weir.connector.kinesis;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.MetadataColumn;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading Kinesis streams from kinesalite: several shards, metadata, resharding, positions, restarts of the emulator. */
class KinesisSourceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<DataType.Field> SCHEMA = List.of(new DataType.Field("id", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("k", DataType.varchar()), new DataType.Field("n", DataType.of(TypeKind.BIGINT)));
    private static TestStreams streams;

    @TempDir
    Path temp;

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

    private static String json(long id, String key, long n) {
        return "{\"id\": " + id + ", \"k\": \"" + key + "\", \"n\": " + n + "}";
    }

    private SourceHarness harness(Map<String, String> options) {
        return SourceHarness.create("clicks", SCHEMA, options, temp.resolve("state"));
    }

    @Test
    void everyShardIsASplitAndMetadataColumnsAreFilled() {
        String stream = streams.create("shards", 3);
        Map<String, PutRecordResponse> puts = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            puts.put(Integer.toString(i), streams.put(stream, "key-" + i, json(i, "key-" + i, 0)));
        }
        SourceHarness harness = harness(streams.options(stream));
        ConnectorContext context = harness.context().withReading(List.of(
                new MetadataColumn("shard", "shard_id", DataType.varchar()),
                new MetadataColumn("seq", "sequence_number", DataType.varchar()),
                new MetadataColumn("arrived", "approximate_arrival_timestamp", DataType.timestamp(3)),
                new MetadataColumn("pk", "partition_key", DataType.varchar())), Optional.empty());
        Source source = harness.resolved().connector().createSource(context);
        try (SourceReader reader = source.createReader()) {
            List<KinesisReading.Row> rows = new KinesisReading(reader, context.readerRowType()).readUntil(30, TIMEOUT);
            assertThat(rows).hasSize(30);
            assertThat(reader.splits()).extracting(Split::name)
                    .containsExactlyInAnyOrderElementsOf(streams.shards(stream).stream().map(s -> s.shardId()).toList());
            assertThat(reader.splits()).noneMatch(Split::finished);
            Set<String> shardsWithRows = new HashSet<>();
            for (KinesisReading.Row row : rows) {
                PutRecordResponse put = puts.get(row.value(0).toString());
                assertThat(row.value(3)).isEqualTo(put.shardId()).isEqualTo(row.shard());
                assertThat(row.value(4)).isEqualTo(put.sequenceNumber());
                assertThat(row.offset()).isEqualTo(ShardOffsets.recordOffset(put.sequenceNumber()));
                assertThat((Long) row.value(5)).isBetween(System.currentTimeMillis() - 120_000, System.currentTimeMillis());
                assertThat(row.value(6)).isEqualTo("key-" + row.value(0));
                shardsWithRows.add(row.shard());
            }
            assertThat(shardsWithRows).as("records spread over the shards").hasSizeGreaterThan(1);
            KinesisReading.byShard(rows).values().forEach(ofShard -> assertThat(ofShard)
                    .extracting(KinesisReading.Row::offset).isSorted());
        }
    }

    @Test
    void latestModeReadsOnlyRecordsArrivingAfterTheReaderStarted() {
        String stream = streams.create("latest", 2);
        for (int i = 0; i < 5; i++) {
            streams.put(stream, "old-" + i, json(i, "old", i));
        }
        Map<String, String> options = new HashMap<>(streams.options(stream));
        options.put("scan.startup.mode", "latest");
        SourceHarness harness = harness(options);
        try (SourceReader reader = harness.createSource().createReader()) {
            KinesisReading reading = new KinesisReading(reader, SCHEMA);
            // the reader has its LATEST iterators once it knows its splits and polled each shard once
            org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> {
                reading.pollOnce();
                return reader.splitsKnown() && !reader.splits().isEmpty();
            });
            reading.readFor(Duration.ofMillis(800));
            for (int i = 0; i < 5; i++) {
                streams.put(stream, "new-" + i, json(100 + i, "new", i));
            }
            List<KinesisReading.Row> rows = reading.readUntil(5, TIMEOUT);
            assertThat(rows).extracting(row -> row.value(1)).containsOnly("new");
            assertThat(reading.readFor(Duration.ofMillis(500))).hasSize(5);
        }
    }

    @Test
    void aPersistentConsumerOfLatestStartsAtItsStartTimeAndKeepsItUntilARecordComes() {
        String stream = streams.create("latest_consumer", 2);
        streams.put(stream, "old", json(0, "old", 0));
        Map<String, String> options = new HashMap<>(streams.options(stream));
        options.put("scan.startup.mode", "latest");
        OffsetReading reading = harness(options).createSource().offsetReading().orElseThrow();
        long before = System.currentTimeMillis();
        SplitOffsets start = reading.startOffsets("query-1.clicks");
        assertThat(start.offsets().values()).allSatisfy(offset -> {
            assertThat(ShardOffsets.isTimestamp(offset)).isTrue();
            assertThat(ShardOffsets.timestampOf(offset)).isBetween(before, System.currentTimeMillis());
        });
        try (OffsetReader reader = reading.createReader(start)) {
            KinesisReading polled = new KinesisReading(reader, SCHEMA);
            polled.readFor(Duration.ofMillis(500));
            assertThat(reader.offsets()).as("no record yet: still the start time").isEqualTo(start);
            for (int i = 1; i <= 4; i++) {
                streams.put(stream, "new-" + i, json(i, "new", i));
            }
            assertThat(polled.readUntil(4, TIMEOUT)).extracting(row -> row.value(1)).containsOnly("new");
        }
    }

    @Test
    void aReshardWhileReadingLosesAndRepeatsNothingAndReadsParentsBeforeChildren() {
        String stream = streams.create("reshard", 2);
        List<String> keys = List.of("a", "b", "c", "d", "e", "f", "g", "h");
        Map<String, Long> sent = new HashMap<>();
        long id = 0;
        for (int round = 0; round < 5; round++) {
            for (String key : keys) {
                streams.put(stream, key, json(id++, key, sent.merge(key, 1L, Long::sum)));
            }
        }
        SourceHarness harness = harness(streams.options(stream));
        try (SourceReader reader = harness.createSource().createReader()) {
            KinesisReading reading = new KinesisReading(reader, SCHEMA);
            reading.readUntil(20, TIMEOUT);
            String parent = streams.shards(stream).get(0).shardId();
            streams.split(stream, parent);
            for (int round = 0; round < 5; round++) {
                for (String key : keys) {
                    streams.put(stream, key, json(id++, key, sent.merge(key, 1L, Long::sum)));
                }
            }
            List<KinesisReading.Row> rows = reading.readUntil((int) id, TIMEOUT);
            assertThat(reading.readFor(Duration.ofMillis(500))).hasSize((int) id);
            assertThat(rows).extracting(row -> (Long) row.value(0)).doesNotHaveDuplicates().hasSize((int) id);
            // per key, the records come in the order they were put: the parent's before its children's
            Map<String, List<Long>> perKey = new HashMap<>();
            rows.forEach(row -> perKey.computeIfAbsent((String) row.value(1), k -> new ArrayList<>()).add((Long) row.value(2)));
            perKey.forEach((key, ns) -> assertThat(ns).as("key %s", key).isSorted().hasSize(10));
            assertThat(reader.splits()).as("the parent is finished, its two children are read").hasSize(4)
                    .filteredOn(Split::finished).extracting(Split::name).containsExactly(parent);
            assertThat(((OffsetReader) reader).offsets().get(parent)).hasValue(ShardOffsets.FINISHED);
        }
    }

    @Test
    void aReaderStartedAtOffsetsResumesThereAndACommittedConsumerResumesAfterItsRows() {
        String stream = streams.create("resume", 2);
        for (int i = 0; i < 20; i++) {
            streams.put(stream, "k" + (i % 5), json(i, "k" + (i % 5), i));
        }
        SourceHarness harness = harness(streams.options(stream));
        OffsetReading reading = harness.createSource().offsetReading().orElseThrow();
        SplitOffsets start = reading.startOffsets("query-1.clicks");
        assertThat(start.offsets()).hasSize(2).allSatisfy((shard, offset) -> assertThat(offset).isEqualTo(ShardOffsets.TRIM_HORIZON));
        SplitOffsets middle;
        List<KinesisReading.Row> first;
        try (OffsetReader reader = reading.createReader(start)) {
            KinesisReading polled = new KinesisReading(reader, SCHEMA);
            first = polled.readUntil(20, TIMEOUT);
            // where the reader stood after its first 12 rows: each shard after its last row among them
            Map<String, Long> after = new HashMap<>(start.offsets());
            first.subList(0, 12).forEach(row -> after.put(row.shard(), row.offset() + 1));
            middle = SplitOffsets.of(after);
            reader.commit("query-1.clicks", reader.offsets());
        }
        // a checkpoint's positions: exactly the rows after them, once each
        try (OffsetReader reader = reading.createReader(middle)) {
            List<KinesisReading.Row> rest = new KinesisReading(reader, SCHEMA).readUntil(8, TIMEOUT);
            assertThat(rest).extracting(row -> (Long) row.value(0)).containsExactlyInAnyOrderElementsOf(
                    first.subList(12, 20).stream().map(row -> (Long) row.value(0)).toList());
        }
        // the committed consumer resumes after everything it read
        for (int i = 20; i < 26; i++) {
            streams.put(stream, "k" + (i % 5), json(i, "k" + (i % 5), i));
        }
        SplitOffsets committed = reading.startOffsets("query-1.clicks");
        try (OffsetReader reader = reading.createReader(committed)) {
            KinesisReading polled = new KinesisReading(reader, SCHEMA);
            assertThat(polled.readUntil(6, TIMEOUT)).extracting(row -> (Long) row.value(0))
                    .containsExactlyInAnyOrder(20L, 21L, 22L, 23L, 24L, 25L);
            assertThat(polled.readFor(Duration.ofMillis(500))).hasSize(6);
        }
        // another consumer starts where the startup mode says
        assertThat(reading.startOffsets("query-2.clicks")).isEqualTo(start);
        reading.forget("query-1.clicks");
        assertThat(reading.startOffsets("query-1.clicks")).isEqualTo(start);
    }

    @Test
    void theReaderWaitsOutAnEmulatorRestartWithoutLosingOrRepeatingRecords() throws Exception {
        try (Kinesalite own = Kinesalite.start(Optional.of(temp.resolve("kinesalite"))); TestStreams client = new TestStreams(own.endpoint())) {
            String stream = client.create("restart", 2);
            for (int i = 0; i < 20; i++) {
                client.put(stream, "k" + i, json(i, "k" + i, i));
            }
            SourceHarness harness = harness(client.options(stream));
            try (SourceReader reader = harness.createSource().createReader()) {
                KinesisReading reading = new KinesisReading(reader, SCHEMA);
                reading.readUntil(20, TIMEOUT);
                own.stop();
                reading.readFor(Duration.ofSeconds(2)); // the reader's calls fail meanwhile; it backs off
                own.restart();
                for (int i = 20; i < 40; i++) {
                    client.put(stream, "k" + i, json(i, "k" + i, i));
                }
                List<KinesisReading.Row> rows = reading.readUntil(40, TIMEOUT);
                assertThat(reading.readFor(Duration.ofMillis(500))).hasSize(40);
                assertThat(rows).extracting(row -> (Long) row.value(0)).containsExactlyInAnyOrderElementsOf(
                        java.util.stream.LongStream.range(0, 40).boxed().toList());
            }
        }
    }

    @Test
    void aMissingStreamFailsTheReaderNamingIt() {
        SourceHarness harness = harness(streams.options("no_such_stream"));
        try (SourceReader reader = harness.createSource().createReader()) {
            KinesisReading reading = new KinesisReading(reader, SCHEMA);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> reading.readUntil(1, TIMEOUT))
                    .isInstanceOfSatisfying(io.weir.spi.WeirException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(io.weir.spi.ErrorCode.SOURCE_ERROR))
                    .hasMessageContaining("Kinesis stream 'no_such_stream' does not exist");
        }
    }

}

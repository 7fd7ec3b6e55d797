package io.weir.connector.kafka;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.connector.SourcePosition;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.PreparedCommit;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The exactly-once Kafka sink against the shared broker, driven the way the engine drives a query's
 * sink: write and flush per micro-batch, prepareCommit / commit per checkpoint, recover when the query
 * starts. A "crash" abandons a writer without closing it, so its transaction stays open as after kill -9
 * until the next writer with the same id starts.
 */
@ExtendWith(SharedBroker.class)
class KafkaSinkExactlyOnceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final List<DataType.Field> SCHEMA = List.of(new DataType.Field("id", DataType.of(TypeKind.BIGINT)));
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final AtomicInteger TOPICS = new AtomicInteger();

    private static TestBroker broker;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.shared();
    }

    @Test
    void aCheckpointWhoseTransactionWasNotCommittedBeforeACrashIsRolledBack() throws Exception {
        String topic = newTopic(2);
        SinkWriter crashed = writer(topic, "q1.out");
        try {
            assertThat(crashed.guarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
            assertThat(crashed.recover(Optional.empty())).isTrue();
            writeIds(crashed, 0, 3);
            checkpoint(crashed, 1);
            writeIds(crashed, 3, 6);
            byte[] prepared = crashed.prepareCommit(2);
            // the process dies after writing checkpoint 2, before committing its transaction

            try (SinkWriter restarted = writer(topic, "q1.out")) {
                assertThat(restarted.recover(Optional.of(new PreparedCommit(2, prepared)))).isFalse();
                assertThat(readCommittedIds(topic)).containsExactlyInAnyOrder(0L, 1L, 2L);
                // the engine restores checkpoint 1 and replays what followed it
                writeIds(restarted, 3, 6);
                checkpoint(restarted, 2);
                assertThat(readCommittedIds(topic)).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L);
            }
            assertThat(readUncommittedIds(topic)).as("the aborted rows are in the log, once").hasSize(9);
        } finally {
            crashed.close();
        }
    }

    @Test
    void aCheckpointCommittedBeforeACrashIsKeptAndLaterRowsAreDropped() throws Exception {
        String topic = newTopic(1);
        SinkWriter crashed = writer(topic, "q2.out");
        try {
            writeIds(crashed, 0, 2); // without recover(): the first write joins the transactional id itself
            checkpoint(crashed, 1);
            writeIds(crashed, 2, 4);
            byte[] prepared = crashed.prepareCommit(2);
            crashed.commit(2);
            writeIds(crashed, 4, 7); // after the last checkpoint: replayed after the restart
            crashed.flush();

            try (SinkWriter restarted = writer(topic, "q2.out")) {
                assertThat(restarted.recover(Optional.of(new PreparedCommit(2, prepared)))).isTrue();
                assertThat(readCommittedIds(topic)).containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
                writeIds(restarted, 4, 7);
                checkpoint(restarted, 3);
                assertThat(readCommittedIds(topic)).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L);

                // the old run, should it still be alive, cannot commit anything any more
                assertThatThrownBy(() -> crashed.prepareCommit(3))
                        .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SINK_ERROR))
                        .hasMessageContaining("transactional id 'weir-q2.out'")
                        .hasMessageContaining("another writer with this transactional id started");
            }
        } finally {
            crashed.close();
        }
    }

    @Test
    void rowsAreInvisibleToReadCommittedConsumersUntilTheirCheckpointCommits() throws Exception {
        String topic = newTopic(2);
        try (SinkWriter writer = writer(topic, "q3.out")) {
            assertThat(writer.recover(Optional.empty())).isTrue();
            writeIds(writer, 0, 3);
            checkpoint(writer, 1);
            writeIds(writer, 3, 5);
            writer.flush();
            assertThat(readUncommittedIds(topic)).as("sent").containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L);
            assertThat(readCommittedIds(topic)).containsExactlyInAnyOrder(0L, 1L, 2L);
            writer.prepareCommit(2);
            assertThat(readCommittedIds(topic)).as("prepared, not committed").containsExactlyInAnyOrder(0L, 1L, 2L);
            writer.commit(2);
            assertThat(readCommittedIds(topic)).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L);
        }
    }

    @Test
    void aCheckpointWithoutRowsIsRecognisedAsCommitted() throws Exception {
        String topic = newTopic(1);
        byte[] prepared;
        try (SinkWriter writer = writer(topic, "q4.out")) {
            writer.recover(Optional.empty());
            writeIds(writer, 0, 2);
            checkpoint(writer, 1);
            prepared = writer.prepareCommit(2);
            writer.commit(2);
        }
        try (SinkWriter restarted = writer(topic, "q4.out")) {
            assertThat(restarted.recover(Optional.of(new PreparedCommit(2, prepared)))).isTrue();
        }
        assertThat(readCommittedIds(topic)).containsExactlyInAnyOrder(0L, 1L);
    }

    @Test
    void closingAbortsTheOpenTransactionSoReadCommittedConsumersAreNotHeldBack() throws Exception {
        String topic = newTopic(1);
        try (SinkWriter writer = writer(topic, "q5.out")) {
            writer.recover(Optional.empty());
            writeIds(writer, 0, 2);
            checkpoint(writer, 1);
            writeIds(writer, 2, 4);
            writer.flush();
            assertThat(lastStableOffset(topic)).as("held back by the open transaction").isLessThan(endOffset(topic));
        }
        await(() -> lastStableOffset(topic) == endOffset(topic));
        assertThat(readCommittedIds(topic)).containsExactlyInAnyOrder(0L, 1L);
    }

    @Test
    void recoveringWithoutACheckpointAbortsWhatAnEarlierRunLeftOpen() throws Exception {
        String topic = newTopic(1);
        SinkWriter crashed = writer(topic, "q6.out");
        try {
            writeIds(crashed, 0, 3);
            crashed.prepareCommit(1); // died before checkpoint 1 was written
            assertThat(lastStableOffset(topic)).isLessThan(endOffset(topic));
            try (SinkWriter restarted = writer(topic, "q6.out")) {
                assertThat(restarted.recover(Optional.empty())).isTrue();
                await(() -> lastStableOffset(topic) == endOffset(topic));
                assertThat(readCommittedIds(topic)).isEmpty();
            }
        } finally {
            crashed.close();
        }
    }

    @Test
    void atLeastOnceWritesVisibleRowsAtEveryFlushWithoutTransactions() throws Exception {
        String topic = newTopic(1);
        try (SinkWriter writer = writer(topic, "q7.out", "delivery.guarantee", "at-least-once")) {
            assertThat(writer.guarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
            assertThat(writer.recover(Optional.empty())).isTrue();
            writeIds(writer, 0, 3);
            writer.flush();
            assertThat(readCommittedIds(topic)).containsExactlyInAnyOrder(0L, 1L, 2L);
            assertThat(lastStableOffset(topic)).isEqualTo(3); // no transaction markers in the log
            writeIds(writer, 3, 4);
            writer.prepareCommit(1);
            writer.commit(1);
            assertThat(readCommittedIds(topic)).containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
        }
        // a restart replays rows after the last checkpoint: they are written again (at least once)
        try (SinkWriter restarted = writer(topic, "q7.out", "delivery.guarantee", "at-least-once")) {
            assertThat(restarted.recover(Optional.of(new PreparedCommit(1, new byte[0])))).isTrue();
        }
    }

    @Test
    void aWriterOfNoPersistentQueryWritesAtLeastOnce() throws Exception {
        String topic = newTopic(1);
        SourceHarness harness = harness(topic, Map.of());
        try (SinkWriter writer = harness.resolved().connector().createSink(harness.context()).createWriter()) {
            assertThat(writer.guarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
            writeIds(writer, 0, 1);
            writer.flush();
        }
        assertThat(readCommittedIds(topic)).containsExactly(0L);
    }

    // ---- helpers -----------------------------------------------------------------------------

    @Test
    void theOffsetsOfKafkaSourcesCommitInTheCheckpointsTransaction() throws Exception {
        String topic = newTopic(1);
        String input = newTopic(2);
        String group = "weir-q6.orders";
        Map<String, String> source = Map.of("connector", "kafka", "bootstrap.servers", broker.bootstrapServers(), "topic", input);
        SinkWriter crashed = writer(topic, "q6.out");
        try {
            crashed.recover(Optional.empty());
            writeIds(crashed, 0, 3);
            crashed.prepareCommit(1, List.of(new SourcePosition("q6.orders", source,
                    SplitOffsets.of(Map.of(input + "-0", 40L, input + "-1", 7L)))));
            assertThat(committedOffsets(group)).as("not before the commit").isEmpty();
            crashed.commit(1);
            // the transaction's markers reach the group coordinator a moment after the commit returns
            await(() -> !uncheckedOffsets(group).isEmpty());
            assertThat(committedOffsets(group)).containsEntry(new TopicPartition(input, 0), 40L).containsEntry(new TopicPartition(input, 1), 7L);
            // checkpoint 2 is prepared with later offsets, then the process dies: the group keeps checkpoint 1's
            writeIds(crashed, 3, 6);
            byte[] prepared = crashed.prepareCommit(2, List.of(new SourcePosition("q6.orders", source,
                    SplitOffsets.of(Map.of(input + "-0", 55L, input + "-1", 9L)))));
            try (SinkWriter restarted = writer(topic, "q6.out")) {
                assertThat(restarted.recover(Optional.of(new PreparedCommit(2, prepared)))).isFalse();
                assertThat(committedOffsets(group)).containsEntry(new TopicPartition(input, 0), 40L);
            }
        } finally {
            crashed.close();
        }
        // a source on another cluster, or of another connector, is left alone
        SinkWriter other = writer(topic, "q7.out");
        other.recover(Optional.empty());
        writeIds(other, 0, 1);
        other.prepareCommit(1, List.of(new SourcePosition("q7.orders", Map.of("connector", "kafka", "bootstrap.servers", "elsewhere:9092",
                "topic", input), SplitOffsets.of(Map.of(input + "-0", 3L)))));
        other.commit(1);
        other.close();
        await(() -> !uncheckedOffsets("weir-q7.out.commits").isEmpty()); // the transaction is complete
        assertThat(committedOffsets("weir-q7.orders")).isEmpty();
    }

    private static Map<TopicPartition, Long> uncheckedOffsets(String group) {
        try {
            return committedOffsets(group);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<TopicPartition, Long> committedOffsets(String group) throws Exception {
        Map<TopicPartition, Long> offsets = new java.util.HashMap<>();
        // requireStable: wait for transactions that are being completed, as a read_committed consumer would
        broker.admin().listConsumerGroupOffsets(group, new org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions().requireStable(true))
                .partitionsToOffsetAndMetadata().get(20, java.util.concurrent.TimeUnit.SECONDS)
                .forEach((partition, offset) -> {
                    if (offset != null) {
                        offsets.put(partition, offset.offset());
                    }
                });
        return offsets;
    }

    private static String newTopic(int partitions) throws Exception {
        String topic = "eos_out_" + TOPICS.incrementAndGet();
        broker.createTopic(topic, partitions);
        return topic;
    }

    private SourceHarness harness(String topic, Map<String, String> extra) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("connector", "kafka");
        options.put("bootstrap.servers", broker.bootstrapServers());
        options.put("topic", topic);
        options.putAll(extra);
        return SourceHarness.create(topic, ObjectKind.STREAM, SCHEMA, options, tempDir, InstantSource.system());
    }

    /** A writer of a persistent query's sink with this writer id ({@code <query id>.<sink>}). */
    private SinkWriter writer(String topic, String writerId, String... extraOptions) {
        Map<String, String> extra = new LinkedHashMap<>();
        for (int i = 0; i < extraOptions.length; i += 2) {
            extra.put(extraOptions[i], extraOptions[i + 1]);
        }
        SourceHarness harness = harness(topic, extra);
        return harness.resolved().connector()
                .createSink(harness.context().withReading(List.of(), Optional.of(writerId)))
                .createWriter();
    }

    /** One micro-batch of the rows with ids from {@code first} (inclusive) to {@code end}, flushed as the engine does. */
    private static void writeIds(SinkWriter writer, long first, long end) {
        writer.write(Batch.of(SCHEMA, LongStream.range(first, end).mapToObj(id -> new Object[] {id}).toList()));
        writer.flush();
    }

    private static void checkpoint(SinkWriter writer, long checkpointId) {
        writer.prepareCommit(checkpointId);
        writer.commit(checkpointId);
    }

    private static List<Long> readCommittedIds(String topic) {
        return readIds(topic, "read_committed");
    }

    private static List<Long> readUncommittedIds(String topic) {
        return readIds(topic, "read_uncommitted");
    }

    /** The ids of every record a consumer with this isolation level sees, up to its end offsets at the call. */
    private static List<Long> readIds(String topic, String isolation) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(isolation)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<Long> ids = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("cannot read " + topic + " up to " + end);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    Matcher matcher = ID.matcher(new String(record.value(), StandardCharsets.UTF_8));
                    assertThat(matcher.find()).as("an id in %s", record).isTrue();
                    ids.add(Long.parseLong(matcher.group(1)));
                }
            }
            return ids;
        }
    }

    /** Summed over the partitions: where read_committed consumers must stop (the first offset of an open transaction). */
    private static long lastStableOffset(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("read_committed")) {
            return consumer.endOffsets(partitions(consumer, topic)).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static long endOffset(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("read_uncommitted")) {
            return consumer.endOffsets(partitions(consumer, topic)).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String isolation) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + TIMEOUT);
            }
            Thread.sleep(50);
        }
    }
}

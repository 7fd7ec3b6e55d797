package io.weir.connector.zeromq;

import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading a ZeroMQ stream through its write-ahead log ({@code 'wal'}, the default), from a real PUB socket. */
class ZeroMqLogTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final List<DataType.Field> SCHEMA = List.of(
            new DataType.Field("id", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("name", DataType.varchar()));

    @TempDir
    Path dataDir;

    private final Publisher publisher = new Publisher(0, List.of());

    @AfterEach
    void closePublisher() {
        publisher.close();
    }

    private SourceHarness harness(String... extraOptions) {
        Map<String, String> options = new HashMap<>(Map.of("connector", "zeromq", "endpoint", publisher.endpoint()));
        for (int i = 0; i < extraOptions.length; i += 2) {
            options.put(extraOptions[i], extraOptions[i + 1]);
        }
        return SourceHarness.create("events", ObjectKind.STREAM, SCHEMA, options, dataDir, InstantSource.system());
    }

    private static Source persistent(SourceHarness harness, String consumer) {
        ConnectorContext context = harness.context().withReading(List.of(), Optional.of(consumer));
        return harness.resolved().connector().createSource(context);
    }

    /** Polls once, so that the stream's feed subscribes, and waits until the publisher has seen the subscription. */
    private void subscribe(SourceReader reader) {
        int before = publisher.subscriptions();
        reader.poll(new BatchBuilder(SCHEMA), 1);
        await("the feed subscribed", () -> publisher.subscriptions() > before);
    }

    private void publish(long from, long to, String padding) {
        for (long id = from; id <= to; id++) {
            publisher.publish("{\"id\": " + id + ", \"name\": \"n" + padding + "\"}");
        }
    }

    private static List<Long> ids(List<Object[]> rows) {
        return rows.stream().map(row -> (Long) row[0]).toList();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + TIMEOUT + " waiting until " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void messagesReceivedAfterTheLastCommitAreReadAgainAfterARestart() {
        SourceHarness harness = harness();
        try (SourceReader reader = persistent(harness, "query-1").createReader()) {
            subscribe(reader);
            publish(1, 3, "");
            assertThat(ids(harness.read(reader, 3, TIMEOUT))).containsExactly(1L, 2L, 3L);
            reader.commit();
            publish(4, 5, "");
            assertThat(ids(harness.read(reader, 2, TIMEOUT))).containsExactly(4L, 5L);
        }
        // The last reader closed: the feed and the log are closed, as at a restart; the publisher does not send them again.
        SourceHarness restarted = harness();
        try (SourceReader reader = persistent(restarted, "query-1").createReader()) {
            assertThat(ids(restarted.read(reader, 2, TIMEOUT))).containsExactly(4L, 5L);
            assertThat(reader.poll(new BatchBuilder(SCHEMA), 10)).isZero();
        }
    }

    @Test
    void aReaderCreatedFromOffsetsReadsExactlyTheRest() {
        SourceHarness harness = harness();
        OffsetReading reading = harness.createSource().offsetReading().orElseThrow();
        try (OffsetReader first = reading.createReader(reading.startOffsets("query-1"))) {
            subscribe(first);
            publish(1, 5, "");
            assertThat(ids(harness.read(first, 2, TIMEOUT))).containsExactly(1L, 2L);
            SplitOffsets afterTwo = first.offsets();
            assertThat(ids(harness.read(first, 3, TIMEOUT))).containsExactly(3L, 4L, 5L);
            try (OffsetReader rest = reading.createReader(afterTwo)) {
                assertThat(ids(harness.read(rest, 3, TIMEOUT))).containsExactly(3L, 4L, 5L);
                assertThat(rest.poll(new BatchBuilder(SCHEMA), 10)).isZero();
            }
        }
    }

    @Test
    void aFullLogPausesReceivingAndDropsNothing() {
        int messages = 400;
        SourceHarness harness = harness("wal.max-bytes", "16 KiB", "wal.segment-bytes", "4 KiB", "queue.max-records", "4");
        Source source = harness.createSource();
        OffsetReading reading = source.offsetReading().orElseThrow();
        reading.startOffsets("stopped-query"); // a persistent query that is not running holds every record
        try (OffsetReader reader = (OffsetReader) source.createReader()) {
            subscribe(reader);
            publish(1, messages, "y".repeat(500));
            List<Object[]> rows = new ArrayList<>();
            BatchBuilder builder = new BatchBuilder(SCHEMA);
            await("the log is full and receiving paused", () -> {
                reader.poll(builder, 500);
                rows.addAll(builder.build().rows());
                return harness.counters().pausedReason().isPresent();
            });
            assertThat(harness.counters().pausedReason()).hasValue("log full ('wal.max-bytes')");
            assertThat(rows.size()).isLessThan(messages);

            await("every message arrived", () -> {
                reader.poll(builder, 500);
                rows.addAll(builder.build().rows());
                reader.commit("stopped-query", reader.offsets());
                return rows.size() >= messages;
            });
            assertThat(ids(rows)).containsExactlyElementsOf(LongStream.rangeClosed(1, messages).boxed().toList());
            await("the pause is over", () -> harness.counters().pausedReason().isEmpty());
        }
    }

    @Test
    void aCsvHeaderInTheFirstMessageAppliesToAReaderStartingLater() {
        SourceHarness harness = harness("format", "csv", "csv.header", "true");
        OffsetReading reading = harness.createSource().offsetReading().orElseThrow();
        try (OffsetReader reader = reading.createReader(reading.startOffsets("query-1"))) {
            subscribe(reader);
            publisher.publish("name,id");
            publisher.publish("a,1");
            publisher.publish("b,2");
            assertThat(harness.read(reader, 1, TIMEOUT)).containsExactly(new Object[] {1L, "a"});
            SplitOffsets afterA = reader.offsets();
            assertThat(harness.read(reader, 1, TIMEOUT)).containsExactly(new Object[] {2L, "b"});
            try (OffsetReader later = reading.createReader(afterA)) {
                assertThat(harness.read(later, 1, TIMEOUT)).containsExactly(new Object[] {2L, "b"});
            }
        }
        assertThat(harness.counters().skipped()).isZero();
    }
}

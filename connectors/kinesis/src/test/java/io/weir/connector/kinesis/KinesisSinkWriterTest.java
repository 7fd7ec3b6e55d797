package io.weir.connector.kinesis;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.SinkCounters;
import io.weir.spi.format.RecordEncoder;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The writer's batching and retries against a scripted {@link PutRecordsCall}: kinesalite stores every record of a
 * call, so partial failures (Kinesis's ProvisionedThroughputExceeded per record) are played here.
 */
class KinesisSinkWriterTest {
    private static final List<DataType.Field> SCHEMA = List.of(new DataType.Field("id", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("name", DataType.varchar()));
    private static final RecordEncoder ENCODER = (batch, row) ->
            (batch.value(0, row) + ":" + batch.value(1, row)).getBytes(StandardCharsets.UTF_8);

    /** Records every call; answers by a script of per-call decisions (default: all stored). */
    private static final class ScriptedKinesis implements PutRecordsCall {
        final List<List<Entry>> calls = new ArrayList<>();
        final List<String> stored = new ArrayList<>();
        final Deque<BiFunction<Integer, Entry, Optional<String>>> script = new ArrayDeque<>();
        final Deque<RuntimeException> callFailures = new ArrayDeque<>();

        @Override
        public List<Optional<String>> put(String stream, List<Entry> entries) {
            calls.add(List.copyOf(entries));
            if (!callFailures.isEmpty()) {
                throw callFailures.poll();
            }
            BiFunction<Integer, Entry, Optional<String>> decide = script.isEmpty() ? (i, e) -> Optional.empty() : script.poll();
            List<Optional<String>> results = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                Optional<String> error = decide.apply(i, entries.get(i));
                if (error.isEmpty()) {
                    stored.add(new String(entries.get(i).data(), StandardCharsets.UTF_8));
                }
                results.add(error);
            }
            return results;
        }
    }

    private final ScriptedKinesis kinesis = new ScriptedKinesis();
    private final SinkCounters counters = new SinkCounters();
    private final List<Long> sleeps = new ArrayList<>();

    private KinesisSinkWriter writer(int[] keyColumns, int maxRetries) {
        return new KinesisSinkWriter("Stream 'out'", "out", kinesis, ENCODER, keyColumns, maxRetries, counters,
                new Backoff(Duration.ofMillis(100), Duration.ofMillis(400)), sleeps::add);
    }

    private static Batch rows(int from, int count) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            rows.add(new Object[] {(long) i, "n" + (i % 3)});
        }
        return Batch.of(SCHEMA, rows);
    }

    private static List<String> expected(int from, int count) {
        List<String> expected = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            expected.add(i + ":n" + (i % 3));
        }
        return expected;
    }

    @Test
    void onlyTheRecordsKinesisDidNotStoreAreSentAgainWithBackOff() {
        // first call: every third record throttled; second: the first of the rest fails again; third: all stored
        kinesis.script.add((i, e) -> i % 3 == 0 ? Optional.of("ProvisionedThroughputExceededException: Rate exceeded for shard")
                : Optional.empty());
        kinesis.script.add((i, e) -> i == 0 ? Optional.of("InternalFailure: Internal service failure.") : Optional.empty());
        try (KinesisSinkWriter writer = writer(new int[] {1}, 5)) {
            writer.write(rows(0, 10));
            writer.flush();
        }
        assertThat(kinesis.calls).hasSize(3);
        assertThat(kinesis.calls.get(0)).hasSize(10);
        assertThat(kinesis.calls.get(1)).extracting(e -> new String(e.data(), StandardCharsets.UTF_8))
                .containsExactly("0:n0", "3:n0", "6:n0", "9:n0");
        assertThat(kinesis.calls.get(2)).extracting(e -> new String(e.data(), StandardCharsets.UTF_8)).containsExactly("0:n0");
        assertThat(kinesis.stored).containsExactlyInAnyOrderElementsOf(expected(0, 10)).doesNotHaveDuplicates();
        assertThat(sleeps).containsExactly(100L, 200L);
        assertThat(counters.snapshot().retries()).isEqualTo(2);
        assertThat(kinesis.calls.get(0)).extracting(PutRecordsCall.Entry::partitionKey).startsWith("n0", "n1", "n2");
    }

    @Test
    void aCallThatFailsAsAWholeIsRepeatedAndTheBackOffStartsOverAfterASuccess() {
        kinesis.callFailures.add(SdkClientException.create("Unable to execute HTTP request", new IOException("Connection reset")));
        try (KinesisSinkWriter writer = writer(new int[0], 3)) {
            writer.write(rows(0, 3));
            writer.flush();
            writer.write(rows(3, 3));
            kinesis.script.add((i, e) -> i == 1 ? Optional.of("ProvisionedThroughputExceededException: slow down") : Optional.empty());
            writer.flush();
        }
        assertThat(kinesis.stored).containsExactlyInAnyOrderElementsOf(expected(0, 6));
        assertThat(sleeps).containsExactly(100L, 100L);
        assertThat(kinesis.calls.get(0).get(0).partitionKey()).as("random keys without 'key.fields'").hasSize(36);
    }

    @Test
    void recordsStillRefusedAfterTheLastRetryFailTheWriteNamingTheError() {
        for (int i = 0; i < 3; i++) {
            kinesis.script.add((index, e) -> new String(e.data(), StandardCharsets.UTF_8).equals("2:n2")
                    ? Optional.of("ProvisionedThroughputExceededException: Rate exceeded")
                    : Optional.empty());
        }
        try (KinesisSinkWriter writer = writer(new int[] {0}, 2)) {
            writer.write(rows(0, 5));
            assertThatThrownBy(writer::flush)
                    .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SINK_ERROR))
                    .hasMessageContaining("did not store 1 record(s)").hasMessageContaining("after 3 attempt(s)")
                    .hasMessageContaining("ProvisionedThroughputExceededException");
        }
        assertThat(kinesis.calls).hasSize(3);
    }

    @Test
    void callsHoldAtMost500RecordsAndFiveMegabytes() {
        try (KinesisSinkWriter writer = writer(new int[] {0}, 0)) {
            writer.write(rows(0, 1234));
            writer.flush();
        }
        assertThat(kinesis.calls).extracting(List::size).containsExactly(500, 500, 234);
        assertThat(kinesis.stored).containsExactlyElementsOf(expected(0, 1234));

        kinesis.calls.clear();
        RecordEncoder big = (batch, row) -> new byte[600 * 1024];
        try (KinesisSinkWriter writer = new KinesisSinkWriter("Stream 'out'", "out", kinesis, big, new int[] {0}, 0, counters,
                Backoff.standard(), sleeps::add)) {
            writer.write(rows(0, 20));
            writer.flush();
        }
        assertThat(kinesis.calls).extracting(List::size).containsExactly(8, 8, 4);
    }

    @Test
    void aRowLargerThanAKinesisRecordIsRefusedWithAClearError() {
        RecordEncoder huge = (batch, row) -> new byte[1024 * 1024];
        try (KinesisSinkWriter writer = new KinesisSinkWriter("Stream 'out'", "out", kinesis, huge, new int[] {0}, 0, counters,
                Backoff.standard(), sleeps::add)) {
            assertThatThrownBy(() -> writer.write(rows(0, 1)))
                    .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SINK_ERROR))
                    .hasMessageContaining("more than the 1 MiB a Kinesis record holds");
        }
    }

    @Test
    void longPartitionKeysAreShortenedToTheirDigest() {
        List<Object[]> rows = List.<Object[]>of(new Object[] {1L, "x".repeat(300)}, new Object[] {2L, "x".repeat(300)});
        try (KinesisSinkWriter writer = writer(new int[] {1, 0}, 0)) {
            writer.write(Batch.of(SCHEMA, rows));
            writer.flush();
        }
        List<PutRecordsCall.Entry> entries = kinesis.calls.get(0);
        assertThat(entries).extracting(PutRecordsCall.Entry::partitionKey).allSatisfy(key -> assertThat(key).hasSize(64));
        assertThat(entries.get(0).partitionKey()).isNotEqualTo(entries.get(1).partitionKey());
    }
}

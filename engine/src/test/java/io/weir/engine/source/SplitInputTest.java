package io.weir.engine.source;

import io.weir.engine.plan.SourceSpec;
import io.weir.engine.testing.ManualClock;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.ConnectorServices;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.error.InMemoryDeadLetterSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static io.weir.engine.testing.TestPlans.KV_TS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A task's share of a stream's files: where the consumer resumes is looked up at the first read, not
 * before (a persistent query's sink recovers first), and not at all when a checkpoint gave every split
 * its position; a restored position of another task's split is not taken.
 */
class SplitInputTest {
    @TempDir
    Path directory;

    @Test
    void startsAtRestoredPositionsWithoutLookingUpWhereTheConsumerResumes() throws Exception {
        Files.writeString(directory.resolve("a.json"), "{\"k\": 1, \"v\": 1, \"ts\": \"2024-01-01T00:00:00Z\"}\n"
                + "{\"k\": 2, \"v\": 2, \"ts\": \"2024-01-01T00:00:01Z\"}\n");
        Files.writeString(directory.resolve("b.json"), "{\"k\": 3, \"v\": 3, \"ts\": \"2024-01-01T00:00:02Z\"}\n");
        OffsetReading files = reading();
        List<String> splits = files.splits("q.events");
        assertThat(splits).hasSize(2);
        long secondLine = Files.readString(directory.resolve("a.json")).indexOf('\n') + 1;
        AtomicInteger lookups = new AtomicInteger();
        Map<String, Long> restored = Map.of(splits.get(0), secondLine, splits.get(1), 0L, "/elsewhere/c.json", 7L);

        try (SplitInput restoredInput = input(files, splits, lookups)) {
            assertThat(lookups).hasValue(0);
            restoredInput.startAt(SplitOffsets.of(restored));
            assertThat(keys(restoredInput)).containsExactly(2L, 3L);
            assertThat(lookups).as("every split was restored").hasValue(0);
            assertThat(restoredInput.reads("/elsewhere/c.json")).isFalse();
            assertThat(restoredInput.position().orElseThrow().offsets()).doesNotContainKey("/elsewhere/c.json");
            assertThatThrownBy(() -> restoredInput.startAt(SplitOffsets.of(restored))).isInstanceOf(IllegalStateException.class);
        }
        try (SplitInput fresh = input(files, splits, lookups)) {
            fresh.startAt(SplitOffsets.of(Map.of(splits.get(1), 0L)));
            assertThat(lookups).hasValue(0);
            assertThat(keys(fresh)).containsExactlyInAnyOrder(1L, 2L, 3L);
            assertThat(lookups).as("the first file was not restored: where it starts was looked up").hasValue(1);
        }
    }

    private SplitInput input(OffsetReading files, List<String> splits, AtomicInteger lookups) {
        return new SplitInput(files, splits, () -> {
            lookups.incrementAndGet();
            return files.startOffsets("q.events");
        }, Optional.of("q.events"), KV_TS, 16, io.weir.spi.type.Projection.all());
    }

    private static List<Long> keys(SplitInput input) {
        List<Long> keys = new ArrayList<>();
        Batch batch;
        while ((batch = input.next(16)) != null) {
            for (Object[] row : batch.rows()) {
                keys.add((Long) row[0]);
            }
        }
        return keys;
    }

    private OffsetReading reading() {
        SourceSpec spec = new SourceSpec("events", ObjectKind.STREAM, Map.of("connector", "file", "path", directory.toString(),
                "format", "json"), KV_TS, 2, Duration.ZERO, Optional.empty());
        SourceOpener opener = new SourceOpener(directory.resolve("data"), new SourceStatistics(), new InMemoryDeadLetterSink(),
                new ManualClock(0), new ConnectorServices());
        OffsetReading reading = opener.source(spec, Optional.of("q.events")).offsetReading().orElseThrow();
        assertThat(reading.dividesSplits()).isTrue();
        return reading;
    }
}

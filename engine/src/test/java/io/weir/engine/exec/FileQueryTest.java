package io.weir.engine.exec;

import io.weir.engine.plan.SourceScan;
import io.weir.engine.plan.SourceSpec;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.source.SourceStatistics;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.error.InMemoryDeadLetterSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.weir.engine.testing.TestPlans.KV_TS;
import static io.weir.engine.testing.TestPlans.aggregate;
import static io.weir.engine.testing.TestPlans.countStar;
import static io.weir.engine.testing.TestPlans.show;
import static org.assertj.core.api.Assertions.assertThat;

/** A continuous query over a bounded JSON file: every window fires, the query ends, quickly. */
class FileQueryTest {
    private final MicroBatchQueryEngine engine = new MicroBatchQueryEngine();

    @AfterEach
    void tearDown() {
        engine.close();
    }

    @Test
    void boundedFileQueryEndsWithEveryWindowWithoutWaitingForBatchIntervals(@TempDir Path directory) throws Exception {
        // 20,000 events, one per ms, keys 0..3: TUMBLE 1 s -> 20 windows x 4 keys of 250 rows each
        Path file = directory.resolve("events.json");
        StringBuilder json = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            json.append("{\"k\": ").append(i % 4).append(", \"v\": 1, \"ts\": \"")
                    .append(java.time.Instant.ofEpochMilli(i)).append("\"}\n");
        }
        Files.writeString(file, json);
        SourceScan scan = new SourceScan(new SourceSpec("events", ObjectKind.STREAM,
                Map.of("connector", "file", "path", file.toString(), "format", "json"),
                KV_TS, 2, Duration.ofMillis(100), Optional.empty()));
        WindowAggregate plan = aggregate(scan, WindowSpec.tumble(2, true, 1000), List.of(0), List.of(countStar()));
        QueryOptions options = new QueryOptions(Duration.ofSeconds(1), 0, 1000, directory, new SourceStatistics(),
                new InMemoryDeadLetterSink(), InstantSource.system());

        long started = System.nanoTime();
        ContinuousQuery query = engine.start("file", plan, options);
        List<Object[]> rows = new ArrayList<>();
        OutputChunk chunk;
        do {
            chunk = query.poll(500, Duration.ofSeconds(10));
            rows.addAll(chunk.rows());
        } while (!chunk.finished());
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        assertThat(chunk.failure()).isEmpty();
        assertThat(rows).hasSize(80);
        assertThat(show(rows.subList(0, 4))).containsExactly("[0, 0, 1000, 250]", "[1, 0, 1000, 250]",
                "[2, 0, 1000, 250]", "[3, 0, 1000, 250]");
        assertThat(show(rows.subList(76, 80))).containsExactly("[0, 19000, 20000, 250]", "[1, 19000, 20000, 250]",
                "[2, 19000, 20000, 250]", "[3, 19000, 20000, 250]");
        assertThat(query.state()).isEqualTo(QueryState.FINISHED);
        assertThat(query.statistics().rowsIn()).isEqualTo(20_000);
        assertThat(elapsed).isLessThan(Duration.ofSeconds(5)); // batch interval 1 s: no waiting between batches
    }
}

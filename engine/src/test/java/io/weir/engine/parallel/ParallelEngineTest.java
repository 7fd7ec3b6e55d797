package io.weir.engine.parallel;

import io.weir.engine.exec.ContinuousQuery;
import io.weir.engine.exec.MicroBatchQueryEngine;
import io.weir.engine.exec.OutputChunk;
import io.weir.engine.exec.QueryOptions;
import io.weir.engine.exec.QueryState;
import io.weir.engine.expression.BatchProjection;
import io.weir.engine.operator.SourceOperator;
import io.weir.engine.plan.Calc;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SourceScan;
import io.weir.engine.plan.SourceSpec;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.source.SourceStatistics;
import io.weir.engine.state.StateMemoryBudget;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.error.InMemoryDeadLetterSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;

import static io.weir.engine.testing.TestPlans.KV_TS;
import static io.weir.engine.testing.TestPlans.aggregate;
import static io.weir.engine.testing.TestPlans.countStar;
import static io.weir.engine.testing.TestPlans.show;
import static org.assertj.core.api.Assertions.assertThat;

/** Queries at parallelism 2 through the engine: on its worker threads, failing cleanly, one pool per engine. */
class ParallelEngineTest {
    @TempDir
    Path directory;

    @Test
    void aQueryRunsOnTheQueryThreadAndTheEnginesWorkersWithTheResultsOfOneTask() throws Exception {
        Path events = writeFiles();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        PlanNode plan = aggregate(recording(scan(events), threads, key -> false), WindowSpec.tumble(2, true, 1000), List.of(0),
                List.of(countStar()));
        try (MicroBatchQueryEngine engine = engine(2)) {
            List<String> parallel = runToEnd(engine.start("p2", plan, options(0)));
            List<String> single = runToEnd(engine.start("p1", plan, options(1)));
            assertThat(parallel).isEqualTo(single).hasSize(4 * 8);
        }
        assertThat(threads).anyMatch(name -> name.startsWith("weir-worker-")).anyMatch(name -> name.startsWith("weir-query-p2"));
    }

    @Test
    void aQueryThatCheckpointsRunsAsItsParallelismsTasksAndSaysSo() throws Exception {
        Path events = writeFiles();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        PlanNode plan = aggregate(recording(scan(events), threads, key -> false), WindowSpec.tumble(2, true, 1000), List.of(0),
                List.of(countStar()));
        try (MicroBatchQueryEngine engine = engine(1)) {
            ContinuousQuery parallel = engine.start("checkpointing-p2", plan, options(2).withResumable(true)
                    .withCheckpointInterval(Duration.ZERO));
            assertThat(parallel.statistics().parallelism()).isEqualTo(2);
            List<String> rows = runToEnd(parallel);
            assertThat(parallel.checkpoints().last()).isPresent();
            ContinuousQuery single = engine.start("checkpointing-p1", plan, options(0).withResumable(true)
                    .withCheckpointInterval(Duration.ZERO));
            assertThat(single.statistics().parallelism()).isEqualTo(1);
            assertThat(rows).isEqualTo(runToEnd(single)).hasSize(4 * 8);
        }
        assertThat(threads).anyMatch(name -> name.startsWith("weir-worker-"));
    }

    @Test
    void aFailingTaskFailsTheQueryWithItsErrorAndTheEngineRunsOtherQueries() throws Exception {
        Path events = writeFiles();
        PlanNode failing = aggregate(recording(scan(events), ConcurrentHashMap.newKeySet(), key -> key == 3),
                WindowSpec.tumble(2, true, 1000), List.of(0), List.of(countStar()));
        PlanNode fine = aggregate(scan(events), WindowSpec.tumble(2, true, 1000), List.of(0), List.of(countStar()));
        try (MicroBatchQueryEngine engine = engine(2)) {
            ContinuousQuery query = engine.start("failing", failing, options(0));
            OutputChunk chunk;
            do {
                chunk = query.poll(1000, Duration.ofSeconds(10));
            } while (!chunk.finished());
            assertThat(chunk.failure()).hasValueSatisfying(e -> {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.DATA_ERROR);
                assertThat(e.getMessage()).contains("key 3");
            });
            assertThat(query.state()).isEqualTo(QueryState.FAILED);
            assertThat(runToEnd(engine.start("fine", fine, options(0)))).hasSize(4 * 8);
        }
    }

    @Test
    void twoEnginesHaveWorkerPoolsOfTheirOwn() throws Exception {
        Path events = writeFiles();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        PlanNode plan = aggregate(recording(scan(events), threads, key -> false), WindowSpec.tumble(2, true, 1000), List.of(0),
                List.of(countStar()));
        MicroBatchQueryEngine first = engine(2);
        try (MicroBatchQueryEngine second = engine(2)) {
            first.close(); // stops its workers: the second engine's queries still run, on its own
            assertThat(runToEnd(second.start("q", plan, options(0)))).hasSize(4 * 8);
        }
        // which thread ran a task depends on timing (the caller takes tasks too): WorkerPoolTest checks the pools
        assertThat(threads).isNotEmpty();
    }

    private static MicroBatchQueryEngine engine(int parallelism) {
        return new MicroBatchQueryEngine(SourceOperator.DEFAULT_MAX_ROWS_PER_BATCH, StateMemoryBudget.unlimited(), parallelism, 2);
    }

    private QueryOptions options(int parallelism) {
        return new QueryOptions(Duration.ofSeconds(1), 0, 100_000, directory, new SourceStatistics(), new InMemoryDeadLetterSink(),
                InstantSource.system(), 500).withParallelism(parallelism);
    }

    private static List<String> runToEnd(ContinuousQuery query) throws InterruptedException {
        List<Object[]> rows = new ArrayList<>();
        OutputChunk chunk;
        do {
            chunk = query.poll(1000, Duration.ofSeconds(10));
            rows.addAll(chunk.rows());
        } while (!chunk.finished());
        assertThat(chunk.failure()).isEmpty();
        assertThat(query.state()).isEqualTo(QueryState.FINISHED);
        return show(rows).stream().sorted().toList();
    }

    /** A Calc passing its rows on, noting the threads it runs on, failing on a key {@code fails} picks. */
    private static Calc recording(PlanNode input, Set<String> threads, LongPredicate fails) {
        BatchProjection projection = (batch, selection, count, context, out) -> {
            threads.add(Thread.currentThread().getName());
            for (int i = 0; i < count; i++) {
                int row = selection[i];
                long key = (Long) batch.value(0, row);
                if (fails.test(key)) {
                    throw new WeirException(ErrorCode.DATA_ERROR, "key " + key + " cannot be processed");
                }
                for (int column = 0; column < 3; column++) {
                    out.set(column, batch.value(column, row));
                }
                out.commitRow();
            }
        };
        return new Calc(input, Optional.empty(), projection, KV_TS, -1, "k, v, ts");
    }

    /** 8,000 events, one per ms, keys 0..3, in 4 files of 2 s each. */
    private Path writeFiles() throws Exception {
        Path events = Files.createDirectories(directory.resolve("events"));
        for (int file = 0; file < 4; file++) {
            StringBuilder json = new StringBuilder();
            for (int i = file * 2000; i < (file + 1) * 2000; i++) {
                json.append("{\"k\": ").append(i % 4).append(", \"v\": 1, \"ts\": \"").append(Instant.ofEpochMilli(i)).append("\"}\n");
            }
            Files.writeString(events.resolve("part-" + file + ".json"), json);
        }
        return events;
    }

    private static SourceScan scan(Path events) {
        return new SourceScan(new SourceSpec("events", ObjectKind.STREAM,
                Map.of("connector", "file", "path", events.toString(), "format", "json"),
                KV_TS, 2, Duration.ofMillis(100), Optional.empty()));
    }
}

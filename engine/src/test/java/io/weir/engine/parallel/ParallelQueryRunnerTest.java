package io.weir.engine.parallel;

import static io.weir.engine.testing.TestPlans.row;
import static io.weir.engine.testing.TestPlans.hottestKeys;
import io.weir.engine.exec.MicroBatchRunner;
import io.weir.engine.exec.QueryRunner;
import io.weir.engine.expression.BatchProjection;
import io.weir.engine.plan.AggregateKind;
import io.weir.engine.plan.Calc;
import io.weir.engine.plan.GroupAggregate;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SinkSpec;
import io.weir.engine.plan.SinkWrite;
import io.weir.engine.plan.SourceScan;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.sink.SinkOpener;
import io.weir.engine.source.SourceOpener;
import io.weir.engine.source.SourceStatistics;
import io.weir.engine.testing.ManualClock;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorServices;
import io.weir.spi.connector.memory.InMemoryData;
import io.weir.spi.error.InMemoryDeadLetterSink;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static io.weir.engine.testing.TestPlans.KV_TS;
import static io.weir.engine.testing.TestPlans.aggregate;
import static io.weir.engine.testing.TestPlans.call;
import static io.weir.engine.testing.TestPlans.countStar;
import static io.weir.engine.testing.TestPlans.show;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A query run as several tasks gives the rows it gives as one task: over files divided among the
 * tasks, with random keys, one hot key, no key, two exchanges, and a task that fails.
 */
class ParallelQueryRunnerTest {
    private static final DataType BIGINT = DataType.of(TypeKind.BIGINT);
    private final WorkerPool pool = new WorkerPool(2);
    @TempDir
    Path directory;

    @AfterEach
    void tearDown() {
        pool.close();
    }

    @Test
    void windowsOfRandomKeysAreTheSameAtEveryParallelism() throws IOException {
        SourceScan events = files(4, 20_000, new Random(1), random -> (long) random.nextInt(500));
        PlanNode plan = aggregate(events, WindowSpec.tumble(2, true, 1000), List.of(0),
                List.of(countStar(), call(AggregateKind.SUM, 1, BIGINT), call(AggregateKind.MAX, 1, BIGINT)));
        assertSameAtParallelism(plan, 2, 3, 5); // at 5, one task has no file: finished from the start
    }

    @Test
    void oneHotKeyGoesToOneTaskAndGivesTheSameWindows() throws IOException {
        SourceScan events = files(3, 15_000, new Random(2), random -> random.nextInt(10) < 9 ? 42L : random.nextInt(50));
        PlanNode plan = aggregate(events, WindowSpec.hop(2, true, 500, 2000), List.of(0), List.of(countStar(),
                call(AggregateKind.SUM, 1, BIGINT)));
        assertSameAtParallelism(plan, 2, 3);
    }

    @Test
    void anAggregateWithoutKeysRunsOnOneTask() throws IOException {
        SourceScan events = files(4, 10_000, new Random(3), random -> (long) random.nextInt(100));
        PlanNode plan = aggregate(events, WindowSpec.tumble(2, true, 1000), List.of(), List.of(countStar(),
                call(AggregateKind.SUM, 1, BIGINT)));
        assertSameAtParallelism(plan, 2);
    }

    @Test
    void cascadedWindowsExchangeTwiceByDifferentKeys() throws IOException {
        SourceScan events = files(4, 20_000, new Random(4), random -> (long) random.nextInt(300));
        // per key and second: count; then per second: the number of keys and the largest count
        PlanNode perKey = aggregate(events, WindowSpec.tumble(2, true, 1000), List.of(0), List.of(countStar()));
        PlanNode perSecond = aggregate(perKey, WindowSpec.windowed(2, 1, true), List.of(), List.of(countStar(),
                call(AggregateKind.MAX, 3, BIGINT)));
        assertSameAtParallelism(perSecond, 2, 3);
    }

    @Test
    void aGroupByWithoutWindowEndsWithTheSameValuePerKey() throws IOException {
        SourceScan events = files(4, 10_000, new Random(5), random -> (long) random.nextInt(200));
        PlanNode plan = new GroupAggregate(events, List.of(0), List.of(countStar(), call(AggregateKind.SUM, 1, BIGINT)),
                GroupAggregate.outputType(events.outputType(), List.of(0), List.of(countStar(), call(AggregateKind.SUM, 1, BIGINT))));
        Map<Object, String> expected = lastPerKey(run(plan, 1));
        assertThat(expected).hasSize(200);
        assertThat(lastPerKey(run(plan, 2))).isEqualTo(expected);
        assertThat(lastPerKey(run(plan, 3))).isEqualTo(expected);
    }

    @Test
    void aFailingTaskFailsTheQueryAndLeavesThePoolUsable() throws IOException {
        SourceScan events = files(2, 4_000, new Random(6), random -> (long) random.nextInt(100));
        BatchProjection failing = (batch, selection, count, context, out) -> {
            for (int i = 0; i < count; i++) {
                int row = selection[i];
                if ((Long) batch.value(0, row) == 77L) {
                    throw new WeirException(ErrorCode.DATA_ERROR, "key 77 is not welcome");
                }
                for (int column = 0; column < 3; column++) {
                    out.set(column, batch.value(column, row));
                }
                out.commitRow();
            }
        };
        Calc calc = new Calc(events, Optional.empty(), failing, KV_TS, -1, "k, v, ts");
        PlanNode plan = aggregate(calc, WindowSpec.tumble(2, true, 1000), List.of(0), List.of(countStar()));
        assertThatThrownBy(() -> run(plan, 2))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.DATA_ERROR))
                .hasMessageContaining("key 77");
        // the pool's threads survived: another query runs on them
        PlanNode fine = aggregate(events, WindowSpec.tumble(2, true, 1000), List.of(0), List.of(countStar()));
        assertThat(sorted(run(fine, 2))).isEqualTo(sorted(run(fine, 1)));
    }

    @Test
    void aSinkIsWrittenByOneWriterWithTheRowsOfOneTask() throws IOException {
        SourceScan events = files(4, 8_000, new Random(9), random -> (long) random.nextInt(50));
        PlanNode counts = aggregate(events, WindowSpec.tumble(2, true, 1000), List.of(0), List.of(countStar()));
        Map<Integer, List<String>> written = new HashMap<>();
        for (int parallelism : new int[] {1, 2}) {
            String output = "parallel-sink-" + parallelism;
            InMemoryData.register(output, List.of(), false);
            try {
                run(new SinkWrite(counts, new SinkSpec(output, Map.of("connector", "memory", "data", output), counts.outputType())),
                        parallelism);
                written.put(parallelism, sorted(InMemoryData.rows(output)));
            } finally {
                InMemoryData.unregister(output);
            }
        }
        assertThat(written.get(1)).hasSize(50 * 8);
        assertThat(written.get(2)).isEqualTo(written.get(1));
    }

    /** Regression (see SharedSubPlanExecutionTest): after an idle spell a join gets both inputs' rows before firing. */
    @Test
    void aJoinAfterAnIdleSpellCountsNoRowLate() {
        Random random = new Random(11);
        List<Object[]> first = new ArrayList<>();
        List<Object[]> second = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            (i < 1_000 ? first : second).add(row((long) random.nextInt(10), (long) random.nextInt(100), i * 50L + random.nextInt(150)));
        }
        String data = "idle-parallel-" + System.nanoTime();
        InMemoryData.register(data, first, false);
        try {
            ManualClock clock = new ManualClock(0);
            SourceOpener opener = new SourceOpener(directory, new SourceStatistics(), new InMemoryDeadLetterSink(), clock,
                    new ConnectorServices());
            List<Object[]> rows = new ArrayList<>();
            try (ParallelQueryRunner runner = new ParallelQueryRunner(hottestKeys(data, Optional.of(Duration.ofMillis(500))), opener,
                    new SinkOpener(directory, clock, new ConnectorServices()), null, Optional.empty(), clock, 97,
                    batch -> rows.addAll(batch.rows()), 2, pool)) {
                for (int batch = 0; batch < 30; batch++) {
                    clock.advance(100);
                    runner.runBatch();
                }
                InMemoryData.append(data, second);
                for (int batch = 0; batch < 40; batch++) {
                    clock.advance(100);
                    runner.runBatch();
                }
                assertThat(runner.lateRows()).isZero();
            }
            assertThat(rows).hasSizeGreaterThan(50);
        } finally {
            InMemoryData.unregister(data);
        }
    }

    private void assertSameAtParallelism(PlanNode plan, int... parallelisms) {
        List<String> expected = sorted(run(plan, 1));
        assertThat(expected).isNotEmpty();
        for (int parallelism : parallelisms) {
            assertThat(sorted(run(plan, parallelism))).as("parallelism %d", parallelism).isEqualTo(expected);
        }
    }

    /** Runs the plan to its end, 700 rows per source and micro-batch, and returns its rows. */
    private List<Object[]> run(PlanNode plan, int parallelism) {
        ManualClock clock = new ManualClock(0);
        SourceOpener opener = new SourceOpener(directory, new SourceStatistics(), new InMemoryDeadLetterSink(), clock,
                new ConnectorServices());
        SinkOpener sinks = new SinkOpener(directory, clock, new ConnectorServices());
        List<Object[]> rows = new ArrayList<>();
        try (MicroBatchRunner runner = parallelism == 1
                ? new QueryRunner(plan, opener, sinks, null, Optional.empty(), clock, 700, batch -> rows.addAll(batch.rows()))
                : new ParallelQueryRunner(plan, opener, sinks, null, Optional.empty(), clock, 700, batch -> rows.addAll(batch.rows()),
                        parallelism, pool)) {
            for (int batch = 0; !runner.isFinished(); batch++) {
                assertThat(batch).as("micro-batches").isLessThan(10_000);
                runner.runBatch();
                clock.advance(10);
            }
            assertThat(runner.lateRows()).isZero();
        }
        return rows;
    }

    private static List<String> sorted(List<Object[]> rows) {
        return show(rows).stream().sorted().toList();
    }

    private static Map<Object, String> lastPerKey(List<Object[]> rows) {
        Map<Object, String> last = new HashMap<>();
        for (Object[] row : rows) {
            last.put(row[0], java.util.Arrays.toString(row));
        }
        return last;
    }

    private SourceScan files(int files, int count, Random random, EventFiles.KeyChoice keys) throws IOException {
        return EventFiles.write(directory, files, count, random, keys);
    }
}

package io.weir.engine.parallel;

import io.weir.engine.checkpoint.CheckpointCompactor;
import io.weir.engine.checkpoint.CheckpointConfig;
import io.weir.engine.checkpoint.CheckpointStorage;
import io.weir.engine.exec.MicroBatchRunner;
import io.weir.engine.exec.QueryRunner;
import io.weir.engine.expression.BatchProjection;
import io.weir.engine.plan.AggregateKind;
import io.weir.engine.plan.Calc;
import io.weir.engine.plan.GroupAggregate;
import io.weir.engine.plan.IntervalJoin;
import io.weir.engine.plan.JoinKind;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SinkSpec;
import io.weir.engine.plan.SinkWrite;
import io.weir.engine.plan.SourceScan;
import io.weir.engine.plan.UnionAll;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.sink.SinkOpener;
import io.weir.engine.source.SharedSources;
import io.weir.engine.source.SourceOpener;
import io.weir.engine.source.SourceStatistics;
import io.weir.engine.testing.ManualClock;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import static io.weir.engine.testing.TestPlans.KV_TS;
import static io.weir.engine.testing.TestPlans.aggregate;
import static io.weir.engine.testing.TestPlans.call;
import static io.weir.engine.testing.TestPlans.countStar;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Persistent queries run as several tasks checkpoint state that restores at any parallelism: a query
 * "crashed" (its runner abandoned, as a killed process leaves it) at one parallelism and started again
 * on the same data directory at another writes, through an exactly-once sink, exactly the rows of an
 * uninterrupted run at parallelism 1, none lost and none twice.
 */
class ParallelCheckpointTest {
    private static final DataType BIGINT = DataType.of(TypeKind.BIGINT);
    private final WorkerPool pool = new WorkerPool(2);
    private final CheckpointCompactor compactor = new CheckpointCompactor();
    private final List<String> outputs = new ArrayList<>();
    @TempDir
    Path directory;

    @AfterEach
    void tearDown() {
        pool.close();
        compactor.close();
        outputs.forEach(InMemoryData::unregister);
    }

    @Test
    void aCheckpointAtParallelism2RestoresAt1And3AndTheReverseWithTheUninterruptedRows() throws IOException {
        SourceScan events = files(4, 12_000, new Random(1), random -> (long) random.nextInt(300));
        PlanNode counts = aggregate(events, WindowSpec.tumble(2, true, 500), List.of(0),
                List.of(countStar(), call(AggregateKind.SUM, 1, BIGINT), call(AggregateKind.MAX, 1, BIGINT)));
        List<String> expected = run(counts, Duration.ofSeconds(3), new int[] {1});
        assertThat(expected).hasSizeGreaterThan(1000);
        assertSame(run(counts, Duration.ofSeconds(3), new int[] {2, 1}, 7), expected);
        assertSame(run(counts, Duration.ofSeconds(3), new int[] {2, 3}, 7), expected);
        assertSame(run(counts, Duration.ofSeconds(3), new int[] {1, 2}, 7), expected);
        assertSame(run(counts, Duration.ofSeconds(3), new int[] {3, 2, 1, 4}, 5, 11, 16), expected);
    }

    @Test
    void crashesAtParallelism2WithAnExactlyOnceSinkLoseAndDuplicateNothing() throws IOException {
        SourceScan events = files(3, 9_000, new Random(2), random -> (long) random.nextInt(100));
        PlanNode counts = aggregate(events, WindowSpec.hop(2, true, 250, 1000), List.of(0),
                List.of(countStar(), call(AggregateKind.SUM, 1, BIGINT)));
        List<String> expected = run(counts, Duration.ofSeconds(5), new int[] {1});
        Random random = new Random(3);
        for (int trial = 0; trial < 3; trial++) {
            int[] crashes = random.ints(3, 1, 25).sorted().distinct().toArray();
            // a checkpoint every 5 batches: every crash leaves batches after the last one to replay
            assertSame(run(counts, Duration.ofSeconds(5), new int[] {2, 2, 2, 2}, crashes), expected,
                    "crashes after batches " + Arrays.toString(crashes));
        }
    }

    @Test
    void oneHotKeyRestoresIntoTheTaskOfItsKeyGroup() throws IOException {
        SourceScan events = files(4, 12_000, new Random(4), random -> random.nextInt(10) < 9 ? 42L : random.nextInt(40));
        PlanNode counts = aggregate(events, WindowSpec.tumble(2, true, 1000), List.of(0), List.of(countStar(),
                call(AggregateKind.SUM, 1, BIGINT)));
        List<String> expected = run(counts, Duration.ZERO, new int[] {1});
        assertSame(run(counts, Duration.ZERO, new int[] {2, 3, 1}, 4, 9), expected);
    }

    @Test
    void sessionsAGlobalWindowAndAGroupByWithoutWindowRestoreAtAnotherParallelism() throws IOException {
        SourceScan events = files(4, 10_000, new Random(5), random -> (long) random.nextInt(200));
        PlanNode sessions = aggregate(events, WindowSpec.session(2, true, 30), List.of(0), List.of(countStar(),
                call(AggregateKind.MAX, 1, BIGINT)));
        List<String> expected = run(sessions, Duration.ofSeconds(2), new int[] {1});
        assertSame(run(sessions, Duration.ofSeconds(2), new int[] {2, 3}, 6), expected);
        assertSame(run(sessions, Duration.ofSeconds(2), new int[] {3, 1}, 6), expected);

        PlanNode global = aggregate(events, WindowSpec.tumble(2, true, 1000), List.of(), List.of(countStar(),
                call(AggregateKind.SUM, 1, BIGINT)));
        expected = run(global, Duration.ofSeconds(2), new int[] {1});
        assertSame(run(global, Duration.ofSeconds(2), new int[] {2, 3, 1}, 5, 9), expected);

        List<io.weir.engine.plan.AggregateCall> calls = List.of(countStar(), call(AggregateKind.SUM, 1, BIGINT));
        PlanNode totals = new GroupAggregate(events, List.of(0), calls, GroupAggregate.outputType(events.outputType(), List.of(0), calls));
        // a changelog: how often a key is updated depends on the batches, its last value does not
        Map<Object, String> last = lastPerKey(run(totals, Duration.ofSeconds(2), new int[] {1}));
        assertThat(last).hasSize(200);
        assertThat(lastPerKey(run(totals, Duration.ofSeconds(2), new int[] {2, 3}, 6))).isEqualTo(last);
        assertThat(lastPerKey(run(totals, Duration.ofSeconds(2), new int[] {3, 1}, 6))).isEqualTo(last);
    }

    @Test
    void aSelfJoinOfASharedScanAndTwoCalcsOfOneScanRestoreAtAnotherParallelism() throws IOException {
        SourceScan events = files(4, 6_000, new Random(6), random -> (long) random.nextInt(500));
        // the scan is one node feeding both sides of the join: two exchanges from one node
        PlanNode join = new IntervalJoin(events, events, List.of(0), List.of(0), 2, 2, 0, 100, JoinKind.INNER,
                Optional.of(within(100)), "r_ts - l_ts BETWEEN 0 AND 100", join(KV_TS, KV_TS));
        PlanNode pairs = aggregate(new Calc(join, Optional.empty(), columns(0, 1, 2), KV_TS, -1, "k, v, ts"),
                WindowSpec.tumble(2, true, 1000), List.of(0), List.of(countStar()));
        List<String> expected = run(pairs, Duration.ofSeconds(2), new int[] {1});
        assertThat(expected).isNotEmpty();
        assertSame(run(pairs, Duration.ofSeconds(2), new int[] {2, 3, 1}, 6, 10), expected);

        // the scan feeds two stateless parents: forward exchanges keep its rows in their task until both ran
        PlanNode union = new UnionAll(List.of(new Calc(events, Optional.empty(), columns(0, 1, 2), KV_TS, -1, "k, v, ts"),
                new Calc(events, Optional.empty(), columns(0, 0, 2), KV_TS, -1, "k, k AS v, ts")), KV_TS);
        PlanNode sums = aggregate(union, WindowSpec.tumble(2, true, 1000), List.of(0), List.of(countStar(),
                call(AggregateKind.SUM, 1, BIGINT)));
        expected = run(sums, Duration.ofSeconds(2), new int[] {1});
        assertSame(run(sums, Duration.ofSeconds(2), new int[] {2}, 100), expected);
        assertSame(run(sums, Duration.ofSeconds(2), new int[] {2, 3, 1}, 6, 10), expected);
    }

    /**
     * Runs the plan into an exactly-once memory sink, 300 rows per source and micro-batch, at
     * {@code parallelisms[0]}, then crashes after the batches in {@code crashAfter} and starts again at
     * the next parallelism each time; returns the sink's rows, sorted.
     */
    private List<String> run(PlanNode plan, Duration interval, int[] parallelisms, int... crashAfter) {
        String output = "pcheck-" + UUID.randomUUID();
        InMemoryData.register(output, List.of(), false);
        outputs.add(output);
        PlanNode query = new SinkWrite(plan, new SinkSpec(output, Map.of("connector", "memory", "data", output,
                "delivery.guarantee", "exactly-once"), plan.outputType()));
        String queryId = "q-" + UUID.randomUUID();
        ManualClock clock = new ManualClock(1_000_000);
        ConnectorServices services = new ConnectorServices();
        int run = 0;
        MicroBatchRunner runner = runner(query, queryId, interval, parallelisms[run], clock, services);
        int crash = 0;
        for (int batch = 1; !runner.isFinished(); batch++) {
            assertThat(batch).as("micro-batches").isLessThan(10_000);
            clock.advance(1_000);
            runner.runBatch();
            if (crash < crashAfter.length && crashAfter[crash] == batch) {
                crash++;
                run = Math.min(run + 1, parallelisms.length - 1);
                // abandoned as a killed process leaves it: no close, no last checkpoint
                runner = runner(query, queryId, interval, parallelisms[run], clock, services);
            }
        }
        runner.checkpointNow();
        runner.close();
        return InMemoryData.rows(output).stream().map(Arrays::toString).sorted().toList();
    }

    private MicroBatchRunner runner(PlanNode plan, String queryId, Duration interval, int parallelism, ManualClock clock,
                                    ConnectorServices services) {
        SourceOpener opener = new SourceOpener(directory, new SourceStatistics(), new InMemoryDeadLetterSink(), clock, services);
        SinkOpener sinks = new SinkOpener(directory, clock, services);
        Optional<CheckpointConfig> checkpoints = Optional.of(new CheckpointConfig(queryId, CheckpointStorage.of(directory, queryId),
                interval, compactor));
        SharedSources shared = new SharedSources(Duration.ZERO, System::nanoTime);
        return parallelism == 1
                ? new QueryRunner(plan, opener, sinks, shared, Optional.of(queryId), checkpoints, clock, 300, batch -> {
                })
                : new ParallelQueryRunner(plan, opener, sinks, shared, Optional.of(queryId), checkpoints, clock, 300, batch -> {
                }, parallelism, pool);
    }

    /** Equal lists, with the rows missing and those too many in the message when not. */
    private static void assertSame(List<String> actual, List<String> expected) {
        assertSame(actual, expected, "");
    }

    private static void assertSame(List<String> actual, List<String> expected, String description) {
        if (!actual.equals(expected)) {
            List<String> missing = new ArrayList<>(expected);
            actual.forEach(missing::remove);
            List<String> extra = new ArrayList<>(actual);
            expected.forEach(extra::remove);
            throw new AssertionError(description + (description.isEmpty() ? "" : ": ") + actual.size() + " rows instead of " + expected.size() + "; missing " + missing.size() + ": "
                    + missing.subList(0, Math.min(10, missing.size())) + "; too many " + extra.size() + ": "
                    + extra.subList(0, Math.min(10, extra.size())));
        }
    }

    private static Map<Object, String> lastPerKey(List<String> sortedRows) {
        // rows as "[k, count, sum]": the largest count per key is its last value
        Map<Object, String> last = new HashMap<>();
        Map<Object, Long> counts = new HashMap<>();
        for (String row : sortedRows) {
            String[] values = row.substring(1, row.length() - 1).split(", ");
            long count = Long.parseLong(values[1]);
            if (counts.getOrDefault(values[0], -1L) < count) {
                counts.put(values[0], count);
                last.put(values[0], row);
            }
        }
        return last;
    }

    private static List<DataType.Field> join(List<DataType.Field> left, List<DataType.Field> right) {
        List<DataType.Field> fields = new ArrayList<>();
        for (DataType.Field field : left) {
            fields.add(new DataType.Field("l_" + field.name(), field.type()));
        }
        for (DataType.Field field : right) {
            fields.add(new DataType.Field("r_" + field.name(), field.type()));
        }
        return fields;
    }

    /** Rows of a self-join of KV_TS whose right time is 0 to {@code millis} after the left one. */
    private static io.weir.engine.expression.BatchFilter within(long millis) {
        return (batch, selection, count, out) -> {
            long[] left = ((io.weir.spi.batch.LongVector) batch.column(2)).values();
            long[] right = ((io.weir.spi.batch.LongVector) batch.column(5)).values();
            int kept = 0;
            for (int i = 0; i < count; i++) {
                int row = selection[i];
                long difference = right[row] - left[row];
                if (difference >= 0 && difference <= millis) {
                    out[kept++] = row;
                }
            }
            return kept;
        };
    }

    /** A projection onto the given input columns. */
    private static BatchProjection columns(int... columns) {
        return (batch, selection, count, context, out) -> {
            for (int i = 0; i < count; i++) {
                int row = selection[i];
                for (int column = 0; column < columns.length; column++) {
                    out.set(column, batch.value(columns[column], row));
                }
                out.commitRow();
            }
        };
    }

    private SourceScan files(int files, int count, Random random, EventFiles.KeyChoice keys) throws IOException {
        return EventFiles.write(directory, files, count, random, keys);
    }
}

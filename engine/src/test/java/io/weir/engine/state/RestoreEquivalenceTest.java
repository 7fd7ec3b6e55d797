package io.weir.engine.state;

import io.weir.engine.aggregate.GroupAggregateOperator;
import io.weir.engine.expression.BatchFilter;
import io.weir.engine.join.IntervalJoinOperator;
import io.weir.engine.join.WindowJoinOperator;
import io.weir.engine.operator.Operator;
import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.AggregateKind;
import io.weir.engine.plan.GroupAggregate;
import io.weir.engine.plan.IntervalJoin;
import io.weir.engine.plan.JoinKind;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowJoin;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.testing.MicroBatchDriver;
import io.weir.engine.testing.MicroBatchDriver.MicroBatch;
import io.weir.engine.window.WindowAggregationBase;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.LongVector;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import static io.weir.engine.testing.TestPlans.row;
import static io.weir.engine.testing.TestPlans.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Checkpoint equivalence: for every stateful operator, running the first k micro-batches, taking a
 * snapshot, restoring it into a new operator of the same plan and running the rest gives, after
 * batch k, exactly the output (and late-row count) of one uninterrupted run; for every k.
 */
class RestoreEquivalenceTest {
    /** The columns the aggregations read: key, long, time, string, decimal, double, filter flag. */
    private static final List<DataType.Field> ROWS = List.of(
            new DataType.Field("k", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("v", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("ts", DataType.timestamp(3)),
            new DataType.Field("s", DataType.of(TypeKind.VARCHAR)),
            new DataType.Field("d", DataType.decimal(10, 2)),
            new DataType.Field("x", DataType.of(TypeKind.DOUBLE)),
            new DataType.Field("f", DataType.of(TypeKind.BOOLEAN)));
    private static final PlanNode INPUT = stream("unused", ROWS, 2, 0, Optional.empty());
    private static final DataType BIGINT = DataType.of(TypeKind.BIGINT);
    private static final DataType DOUBLE = DataType.of(TypeKind.DOUBLE);
    private static final String[] WORDS = {"apple", "pear", "fig", "kiwi", "plum", "lime", "Äpfel", "日本", ""};
    private static final int BATCHES = 8;

    /** Every accumulator kind and the types the task names, FILTER and DISTINCT included. */
    private static final List<AggregateCall> AGGREGATES = List.of(
            new AggregateCall(AggregateKind.COUNT, -1, false, -1, BIGINT.withNullable(false), "cnt"),
            new AggregateCall(AggregateKind.COUNT, -1, false, 6, BIGINT.withNullable(false), "cnt_f"),
            new AggregateCall(AggregateKind.SUM, 1, false, -1, BIGINT, "sum_v"),
            new AggregateCall(AggregateKind.COUNT, 1, true, -1, BIGINT, "distinct_v"),
            new AggregateCall(AggregateKind.COUNT, 3, true, -1, BIGINT, "distinct_s"),
            new AggregateCall(AggregateKind.SUM, 5, true, -1, DOUBLE, "sum_distinct_x"),
            new AggregateCall(AggregateKind.APPROX_COUNT_DISTINCT, 3, false, -1, BIGINT, "approx_s"),
            new AggregateCall(AggregateKind.MIN, 3, false, -1, DataType.of(TypeKind.VARCHAR), "min_s"),
            new AggregateCall(AggregateKind.MAX, 3, false, -1, DataType.of(TypeKind.VARCHAR), "max_s"),
            new AggregateCall(AggregateKind.MIN, 2, false, -1, DataType.timestamp(3), "min_ts"),
            new AggregateCall(AggregateKind.MAX, 5, false, -1, DOUBLE, "max_x"),
            new AggregateCall(AggregateKind.SUM, 4, false, -1, DataType.decimal(19, 2), "sum_d"),
            new AggregateCall(AggregateKind.AVG, 4, false, -1, DataType.decimal(10, 2), "avg_d"),
            new AggregateCall(AggregateKind.VAR_POP, 4, false, -1, DataType.decimal(19, 4), "var_d"),
            new AggregateCall(AggregateKind.AVG, 5, false, -1, DOUBLE, "avg_x"),
            new AggregateCall(AggregateKind.VAR_SAMP, 5, false, -1, DOUBLE, "var_x"),
            new AggregateCall(AggregateKind.STDDEV_POP, 1, false, -1, DOUBLE, "stddev_v"));

    /**
     * {@link #BATCHES} micro-batches of rows with mostly rising times (watermark: the largest time
     * so far minus 5), NULLs in every column, and from the second batch on some late rows.
     */
    private static List<MicroBatch> rows(long seed, int keys, int rowsPerBatch) {
        Random random = new Random(seed);
        List<MicroBatch> batches = new ArrayList<>();
        long maxTime = Long.MIN_VALUE;
        for (int b = 0; b < BATCHES; b++) {
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < rowsPerBatch; i++) {
                long ts = b * 40L + random.nextInt(50);
                if (b > 0 && i % 10 == 0) {
                    ts -= 60; // behind the watermark: late for most windows
                }
                rows.add(row(
                        random.nextInt(30) == 0 ? null : (long) random.nextInt(keys),
                        random.nextInt(20) == 0 ? null : (long) random.nextInt(100) - 50,
                        random.nextInt(50) == 0 ? null : ts,
                        random.nextInt(15) == 0 ? null : WORDS[random.nextInt(WORDS.length)] + random.nextInt(3),
                        random.nextInt(15) == 0 ? null : BigDecimal.valueOf(random.nextInt(100000) - 50000, 2),
                        random.nextInt(15) == 0 ? null : random.nextGaussian() * 1e3,
                        random.nextInt(10) == 0 ? null : random.nextBoolean()));
                if (rows.get(rows.size() - 1)[2] != null) {
                    maxTime = Math.max(maxTime, (Long) rows.get(rows.size() - 1)[2]);
                }
            }
            batches.add(MicroBatch.single(rows, Watermark.active(maxTime - 5), b * 40L));
        }
        return batches;
    }

    private static WindowAggregate windowPlan(WindowSpec window, List<Integer> keys, boolean emitOpenWindows) {
        return new WindowAggregate(INPUT, window, keys, AGGREGATES,
                WindowAggregate.outputType(ROWS, keys, AGGREGATES), emitOpenWindows);
    }

    private static void assertWindowEquivalence(WindowSpec window, boolean emitOpenWindows) {
        WindowAggregate plan = windowPlan(window, List.of(0), emitOpenWindows);
        assertEquivalentAfterRestore(() -> WindowAggregationBase.create(plan), new MicroBatchDriver(List.of(ROWS)),
                rows(window.hashCode(), 12, 60), true, operator -> ((WindowAggregationBase) operator).lateRows());
        assertEquivalentAfterRescale(() -> WindowAggregationBase.create(plan), new MicroBatchDriver(List.of(ROWS)),
                rows(window.hashCode(), 12, 60), List.of(GroupTable.hasher(ROWS, List.of(0))),
                operator -> ((WindowAggregationBase) operator).lateRows());
    }

    /**
     * Rescaling: the input divided by key group among N instances (as a query's tasks get it through
     * its exchanges), their snapshots after batch k combined into one ({@link SnapshottableState#combine};
     * for {@link IncrementalState}, also a full checkpoint snapshot and deltas, each combined, then
     * merged) and restored into M instances, each with its key-group range, fed the rest of the input
     * of their key groups: their output together is the uninterrupted run's, batch by batch, and their
     * late rows add up to its.
     */
    private static void assertEquivalentAfterRescale(Supplier<? extends Operator> factory, MicroBatchDriver driver,
                                                     List<MicroBatch> batches, List<RowKeyHasher> hashers,
                                                     ToLongFunction<Operator> lateRows) {
        Operator whole = factory.get();
        List<List<String>> expected = driver.run(whole, batches);
        List<String> expectedFinish = MicroBatchDriver.finish(whole);
        long expectedLate = lateRows.applyAsLong(whole);
        int[][] rescalings = {{2, 1}, {2, 3}, {3, 2}, {1, 2}, {4, 4}};
        for (int k : new int[] {2, 5}) {
            for (int[] rescaling : rescalings) {
                int from = rescaling[0];
                int to = rescaling[1];
                for (boolean deltas : factory.get() instanceof IncrementalState ? List.of(false, true) : List.of(false)) {
                    String what = "parallelism " + from + " to " + to + " after batch " + k + (deltas ? " (deltas)" : "");
                    List<Operator> before = new ArrayList<>();
                    for (int task = 0; task < from; task++) {
                        before.add(factory.get());
                    }
                    List<List<StateBytes>> checkpoints = new ArrayList<>();
                    for (int b = 0; b < k; b++) {
                        for (int task = 0; task < from; task++) {
                            driver.run(before.get(task), List.of(part(batches.get(b), hashers, task, from)));
                        }
                        if (deltas && (b == 0 || b == k - 1 || b % 2 == 1)) {
                            List<StateBytes> snapshots = new ArrayList<>();
                            for (Operator operator : before) {
                                // copied: the operator reuses its buffers for its next checkpoint snapshot
                                snapshots.add(StateBytes.of(((IncrementalState) operator).checkpointSnapshot(checkpoints.isEmpty())
                                        .toByteArray()));
                            }
                            checkpoints.add(snapshots);
                        }
                    }
                    SnapshottableState first = (SnapshottableState) before.get(0);
                    byte[] combined;
                    if (deltas) {
                        List<byte[]> chain = new ArrayList<>();
                        for (List<StateBytes> checkpoint : checkpoints) {
                            chain.add(first.combine(checkpoint).toByteArray());
                        }
                        combined = KeyedSnapshotMerger.merge(chain);
                    } else {
                        List<StateBytes> snapshots = new ArrayList<>();
                        for (Operator operator : before) {
                            snapshots.add(StateBytes.of(((SnapshottableState) operator).snapshot()));
                        }
                        combined = first.combine(snapshots).toByteArray();
                    }
                    long stateRows = before.stream().mapToLong(operator -> ((SnapshottableState) operator).stateRows()).sum();
                    List<Operator> after = new ArrayList<>();
                    for (int task = 0; task < to; task++) {
                        Operator restored = factory.get();
                        ((SnapshottableState) restored).restore(combined,
                                io.weir.engine.parallel.KeyGroupAssignment.rangeOf(task, to));
                        after.add(restored);
                    }
                    assertThat(after.stream().mapToLong(operator -> ((SnapshottableState) operator).stateRows()).sum())
                            .as("state rows, " + what).isEqualTo(stateRows);
                    for (int b = k; b < batches.size(); b++) {
                        List<String> union = new ArrayList<>();
                        for (int task = 0; task < to; task++) {
                            union.addAll(driver.run(after.get(task), List.of(part(batches.get(b), hashers, task, to))).get(0));
                        }
                        assertSameRows(union, expected.get(b), false, "batch " + b + ", " + what);
                    }
                    List<String> finish = new ArrayList<>();
                    after.forEach(operator -> finish.addAll(MicroBatchDriver.finish(operator)));
                    assertSameRows(finish, expectedFinish, false, "finish, " + what);
                    assertThat(after.stream().mapToLong(lateRows).sum()).as("late rows, " + what).isEqualTo(expectedLate);
                }
            }
        }
    }

    /**
     * Task {@code task}'s rows of {@code batch} among {@code tasks}, by the key group of each row's key,
     * handed over in the chunks of the whole batch (floating-point sums of a group add its rows chunk by
     * chunk), and the watermarks of all.
     */
    private static MicroBatch part(MicroBatch batch, List<RowKeyHasher> hashers, int task, int tasks) {
        List<List<Object[]>> rows = new ArrayList<>();
        List<Integer> chunkEnds = new ArrayList<>();
        for (int input = 0; input < batch.rows().size(); input++) {
            List<Object[]> all = batch.rows().get(input);
            List<Object[]> own = new ArrayList<>();
            int chunkEnd = 0;
            if (!all.isEmpty()) {
                io.weir.spi.batch.Batch data = io.weir.spi.batch.Batch.of(inputTypeOf(all.get(0).length), all);
                long[] hashes = new long[all.size()];
                hashers.get(input).hash(data, hashes);
                for (int row = 0; row < all.size(); row++) {
                    if (io.weir.engine.parallel.KeyGroupAssignment.taskOf(KeyGroups.of(hashes[row]), tasks) == task) {
                        own.add(all.get(row));
                        chunkEnd += row < batch.chunkEnd(input) ? 1 : 0;
                    }
                }
            }
            rows.add(own);
            chunkEnds.add(chunkEnd);
        }
        return new MicroBatch(rows, batch.watermarks(), batch.processingTime(), chunkEnds);
    }

    /** The row type of the inputs of this test by their width. */
    private static List<DataType.Field> inputTypeOf(int columns) {
        return switch (columns) {
            case 7 -> ROWS;
            case 5 -> WINDOWED;
            case 4 -> EVENTS;
            default -> throw new IllegalArgumentException(columns + " columns");
        };
    }

    /**
     * For every k: the output of batches k+1.. (and of finishing) after a restore of the snapshot
     * taken after batch k equals the uninterrupted run's; the restored state snapshots to the same
     * bytes. {@code ordered}: rows within a batch compare in order, otherwise as a multiset (the
     * joins emit a batch's pairs in the order of their hash chains, which a restore rebuilds).
     */
    private static void assertEquivalentAfterRestore(Supplier<? extends Operator> factory, MicroBatchDriver driver,
                                                     List<MicroBatch> batches, boolean ordered,
                                                     ToLongFunction<Operator> lateRows) {
        Operator whole = factory.get();
        List<List<String>> expected = driver.run(whole, batches);
        List<String> expectedFinish = MicroBatchDriver.finish(whole);
        long expectedLate = lateRows.applyAsLong(whole);
        assertThat(expected.stream().mapToInt(List::size).sum()).as("rows emitted before finishing").isPositive();

        for (int k = 1; k < batches.size(); k++) {
            Operator first = factory.get();
            driver.run(first, batches.subList(0, k));
            SnapshottableState firstState = (SnapshottableState) first;
            byte[] snapshot = firstState.snapshot();

            Operator restored = factory.get();
            SnapshottableState restoredState = (SnapshottableState) restored;
            restoredState.restore(snapshot, KeyGroupRange.ALL);
            assertThat(restoredState.snapshot()).as("snapshot of the state restored after batch %d", k).isEqualTo(snapshot);
            assertThat(restoredState.stateRows()).isEqualTo(firstState.stateRows());
            assertThat(lateRows.applyAsLong(restored)).isEqualTo(lateRows.applyAsLong(first));

            List<List<String>> actual = driver.run(restored, batches.subList(k, batches.size()));
            List<String> actualFinish = MicroBatchDriver.finish(restored);
            for (int b = k; b < batches.size(); b++) {
                assertSameRows(actual.get(b - k), expected.get(b), ordered, "batch " + b + " after a restore after batch " + k);
            }
            assertSameRows(actualFinish, expectedFinish, ordered, "finish after a restore after batch " + k);
            assertThat(lateRows.applyAsLong(restored)).as("late rows").isEqualTo(expectedLate);
        }
    }

    private static void assertSameRows(List<String> actual, List<String> expected, boolean ordered, String what) {
        if (ordered) {
            assertThat(actual).as(what).containsExactlyElementsOf(expected);
        } else {
            assertThat(actual).as(what).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void tumblingWindows() {
        assertWindowEquivalence(WindowSpec.tumble(2, true, 20), false);
    }

    @Test
    void hoppingWindows() {
        assertWindowEquivalence(WindowSpec.hop(2, true, 10, 30), false);
    }

    @Test
    void cumulatingWindows() {
        assertWindowEquivalence(WindowSpec.cumulate(2, true, 10, 40), false);
    }

    @Test
    void sessionWindows() {
        assertWindowEquivalence(WindowSpec.session(2, true, 15), false);
    }

    @Test
    void processingTimeWindows() {
        assertWindowEquivalence(WindowSpec.tumble(2, false, 30), false);
    }

    @Test
    void windowsOfViewsEmittingOpenWindows() {
        assertWindowEquivalence(WindowSpec.tumble(2, true, 20), true);
        assertWindowEquivalence(WindowSpec.hop(2, true, 10, 30), true);
        assertWindowEquivalence(WindowSpec.cumulate(2, true, 10, 40), true);
    }

    @Test
    void windowsGroupedByAStringAndALong() {
        WindowAggregate plan = windowPlan(WindowSpec.tumble(2, true, 20), List.of(3, 0), false);
        assertEquivalentAfterRestore(() -> WindowAggregationBase.create(plan), new MicroBatchDriver(List.of(ROWS)),
                rows(7, 4, 60), true, operator -> ((WindowAggregationBase) operator).lateRows());
        assertEquivalentAfterRescale(() -> WindowAggregationBase.create(plan), new MicroBatchDriver(List.of(ROWS)),
                rows(7, 4, 60), List.of(GroupTable.hasher(ROWS, List.of(3, 0))), operator -> ((WindowAggregationBase) operator).lateRows());
    }

    private static GroupAggregate groupPlan(List<Integer> keys, List<AggregateCall> aggregates) {
        return new GroupAggregate(INPUT, keys, aggregates, GroupAggregate.outputType(ROWS, keys, aggregates));
    }

    @Test
    void groupByWithoutAWindow() {
        GroupAggregate plan = groupPlan(List.of(0), AGGREGATES);
        assertEquivalentAfterRestore(() -> new GroupAggregateOperator(plan), new MicroBatchDriver(List.of(ROWS)),
                rows(11, 40, 60), true, operator -> 0);
        assertEquivalentAfterRescale(() -> new GroupAggregateOperator(plan), new MicroBatchDriver(List.of(ROWS)),
                rows(11, 40, 60), List.of(GroupTable.hasher(ROWS, List.of(0))), operator -> 0);
        GroupAggregate byString = groupPlan(List.of(3), AGGREGATES);
        assertEquivalentAfterRestore(() -> new GroupAggregateOperator(byString), new MicroBatchDriver(List.of(ROWS)),
                rows(12, 40, 60), true, operator -> 0);
    }

    @Test
    void approximateCountDistinctPastItsExactSetLimit() {
        // two groups of ~2,000 distinct values each: the sketches turn from exact sets into registers
        List<AggregateCall> calls = List.of(
                new AggregateCall(AggregateKind.APPROX_COUNT_DISTINCT, 1, false, -1, BIGINT, "approx_v"),
                new AggregateCall(AggregateKind.COUNT, 1, true, -1, BIGINT, "distinct_v"));
        List<MicroBatch> batches = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                rows.add(row((long) (i % 2), (long) b * 1000 + i, 5L, null, null, null, null));
            }
            batches.add(MicroBatch.single(rows, Watermark.active(0), 0));
        }
        GroupAggregate plan = groupPlan(List.of(0), calls);
        assertEquivalentAfterRestore(() -> new GroupAggregateOperator(plan), new MicroBatchDriver(List.of(ROWS)),
                batches, true, operator -> 0);
    }

    // ---- joins

    private static final List<DataType.Field> WINDOWED = List.of(
            new DataType.Field("k", BIGINT),
            new DataType.Field("window_start", DataType.timestamp(3)),
            new DataType.Field("window_end", DataType.timestamp(3)),
            new DataType.Field("n", BIGINT),
            new DataType.Field("label", DataType.of(TypeKind.VARCHAR)));
    private static final List<DataType.Field> EVENTS = List.of(
            new DataType.Field("k", BIGINT),
            new DataType.Field("v", BIGINT),
            new DataType.Field("ts", DataType.timestamp(3)),
            new DataType.Field("label", DataType.of(TypeKind.VARCHAR)));

    private static List<DataType.Field> nullable(List<DataType.Field> left, List<DataType.Field> right) {
        List<DataType.Field> fields = new ArrayList<>();
        for (DataType.Field field : left) {
            fields.add(new DataType.Field(field.name(), field.type().withNullable(true)));
        }
        for (DataType.Field field : right) {
            fields.add(new DataType.Field(field.name() + "0", field.type().withNullable(true)));
        }
        return fields;
    }

    /** Both sides' rows: windowed rows (window of 20 ms) or events; each side's watermark lags differently. */
    private static List<MicroBatch> twoSides(long seed, boolean windowed) {
        Random random = new Random(seed);
        List<MicroBatch> batches = new ArrayList<>();
        long[] maxTime = {Long.MIN_VALUE, Long.MIN_VALUE};
        for (int b = 0; b < BATCHES; b++) {
            List<List<Object[]>> sides = new ArrayList<>();
            List<Watermark> watermarks = new ArrayList<>();
            for (int side = 0; side < 2; side++) {
                List<Object[]> rows = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    long ts = b * 30L + random.nextInt(40) - (b > 0 && i % 8 == 0 ? 50 : 0);
                    Long key = random.nextInt(25) == 0 ? null : (long) random.nextInt(8);
                    String label = random.nextInt(10) == 0 ? null : WORDS[random.nextInt(WORDS.length)];
                    if (windowed) {
                        long end = Math.floorDiv(ts, 20) * 20 + 20;
                        rows.add(row(key, end - 20, end, (long) random.nextInt(1000), label));
                    } else {
                        rows.add(row(key, (long) random.nextInt(1000), random.nextInt(40) == 0 ? null : ts, label));
                    }
                    maxTime[side] = Math.max(maxTime[side], ts);
                }
                sides.add(rows);
                watermarks.add(Watermark.active(maxTime[side] - (side == 0 ? 5 : 15)));
            }
            batches.add(new MicroBatch(sides, watermarks, b * 30L));
        }
        return batches;
    }

    @Test
    void windowJoins() {
        for (JoinKind kind : List.of(JoinKind.INNER, JoinKind.LEFT, JoinKind.FULL)) {
            WindowJoin plan = new WindowJoin(stream("l", WINDOWED, 2, 0, Optional.empty()),
                    stream("r", WINDOWED, 2, 0, Optional.empty()), List.of(0, 1, 2), List.of(0, 1, 2), 2, 2, kind,
                    Optional.empty(), "", nullable(WINDOWED, WINDOWED));
            assertEquivalentAfterRestore(() -> new WindowJoinOperator(plan), new MicroBatchDriver(List.of(WINDOWED, WINDOWED)),
                    twoSides(kind.ordinal(), true), false, operator -> ((WindowJoinOperator) operator).lateRows());
            RowKeyHasher keys = io.weir.engine.join.RowStore.hasher(new int[] {0, 1, 2});
            assertEquivalentAfterRescale(() -> new WindowJoinOperator(plan), new MicroBatchDriver(List.of(WINDOWED, WINDOWED)),
                    twoSides(kind.ordinal(), true), List.of(keys, keys), operator -> ((WindowJoinOperator) operator).lateRows());
        }
    }

    /** {@code -5 <= right.ts - left.ts <= 10} over the output row (left ts is column 2, right ts column 6). */
    private static final BatchFilter WITHIN_BOUNDS = (batch, selection, count, out) -> {
        LongVector left = (LongVector) batch.column(2);
        LongVector right = (LongVector) batch.column(6);
        int kept = 0;
        for (int i = 0; i < count; i++) {
            int row = selection[i];
            long difference = right.values()[row] - left.values()[row];
            if (!left.isNull(row) && !right.isNull(row) && difference >= -5 && difference <= 10) {
                out[kept++] = row;
            }
        }
        return kept;
    };

    @Test
    void intervalJoins() {
        for (JoinKind kind : List.of(JoinKind.INNER, JoinKind.LEFT, JoinKind.FULL)) {
            IntervalJoin plan = new IntervalJoin(stream("l", EVENTS, 2, 0, Optional.empty()),
                    stream("r", EVENTS, 2, 0, Optional.empty()), List.of(0), List.of(0), 2, 2, -5, 10, kind,
                    Optional.of(WITHIN_BOUNDS), "bounds", nullable(EVENTS, EVENTS));
            assertEquivalentAfterRestore(() -> new IntervalJoinOperator(plan), new MicroBatchDriver(List.of(EVENTS, EVENTS)),
                    twoSides(10 + kind.ordinal(), false), false, operator -> ((IntervalJoinOperator) operator).lateRows());
            RowKeyHasher keys = io.weir.engine.join.RowStore.hasher(new int[] {0});
            assertEquivalentAfterRescale(() -> new IntervalJoinOperator(plan), new MicroBatchDriver(List.of(EVENTS, EVENTS)),
                    twoSides(10 + kind.ordinal(), false), List.of(keys, keys), operator -> ((IntervalJoinOperator) operator).lateRows());
        }
    }

    // ---- late rows, key groups, mismatches

    @Test
    void lateRowsAfterARestoreAreCountedAsWithoutIt() {
        WindowAggregate plan = windowPlan(WindowSpec.tumble(2, true, 20), List.of(0), false);
        MicroBatchDriver driver = new MicroBatchDriver(List.of(ROWS));
        List<MicroBatch> batches = rows(3, 12, 60);
        WindowAggregationBase first = WindowAggregationBase.create(plan);
        driver.run(first, batches.subList(0, 4));
        WindowAggregationBase restored = WindowAggregationBase.create(plan);
        restored.restore(first.snapshot(), KeyGroupRange.ALL);
        long lateAtSnapshot = restored.lateRows();
        assertThat(lateAtSnapshot).isPositive();
        driver.run(restored, batches.subList(4, BATCHES));
        driver.run(first, batches.subList(4, BATCHES));
        assertThat(restored.lateRows()).isGreaterThan(lateAtSnapshot).isEqualTo(first.lateRows());
    }

    private static int keyGroupOfLong(String row) {
        String key = row.substring(1, row.indexOf(','));
        return KeyGroups.of(key.equals("null") ? KeyHashing.hashNull() : KeyHashing.hashLong(Long.parseLong(key)));
    }

    @Test
    void aRestoreOfSomeKeyGroupsKeepsExactlyTheirKeys() {
        MicroBatchDriver driver = new MicroBatchDriver(List.of(ROWS));
        List<MicroBatch> batches = rows(5, 200, 200);
        List<Supplier<Operator>> factories = List.of(
                () -> WindowAggregationBase.create(windowPlan(WindowSpec.tumble(2, true, 20), List.of(0), false)),
                () -> WindowAggregationBase.create(windowPlan(WindowSpec.session(2, true, 15), List.of(0), false)),
                () -> new GroupAggregateOperator(groupPlan(List.of(0), AGGREGATES)));
        for (Supplier<Operator> factory : factories) {
            Operator whole = factory.get();
            driver.run(whole, batches.subList(0, 3));
            byte[] snapshot = ((SnapshottableState) whole).snapshot();
            List<List<String>> wholeRest = driver.run(whole, batches.subList(3, BATCHES));
            wholeRest.add(MicroBatchDriver.finish(whole));

            List<KeyGroupRange> parts = List.of(new KeyGroupRange(0, 40), new KeyGroupRange(41, 41), new KeyGroupRange(42, 127));
            List<List<String>> union = new ArrayList<>();
            long restoredRows = 0;
            for (KeyGroupRange part : parts) {
                Operator restored = factory.get();
                ((SnapshottableState) restored).restore(snapshot, part);
                restoredRows += ((SnapshottableState) restored).stateRows();
                // the rest of the input, of this part's keys only, as a partitioned query would feed it
                List<MicroBatch> own = batches.subList(3, BATCHES).stream().map(batch -> MicroBatch.single(
                        batch.rows().get(0).stream().filter(r -> part.contains(keyGroupOfLong(Arrays.toString(r)))).toList(),
                        batch.watermarks().get(0), batch.processingTime())).toList();
                List<List<String>> rest = driver.run(restored, own);
                rest.add(MicroBatchDriver.finish(restored));
                for (int b = 0; b < rest.size(); b++) {
                    assertThat(rest.get(b)).allSatisfy(r -> assertThat(part.contains(keyGroupOfLong(r))).as(r).isTrue());
                    if (union.size() <= b) {
                        union.add(new ArrayList<>());
                    }
                    union.get(b).addAll(rest.get(b));
                }
            }
            assertThat(restoredRows).isPositive().isEqualTo(stateRowsAfter(factory, driver, batches));
            for (int b = 0; b < union.size(); b++) {
                assertThat(union.get(b)).containsExactlyInAnyOrderElementsOf(wholeRest.get(b));
            }
        }
    }

    private static long stateRowsAfter(Supplier<Operator> factory, MicroBatchDriver driver, List<MicroBatch> batches) {
        Operator operator = factory.get();
        driver.run(operator, batches.subList(0, 3));
        return ((SnapshottableState) operator).stateRows();
    }

    @Test
    void aSnapshotOfAnotherOperatorOrPlanIsRejected() {
        MicroBatchDriver driver = new MicroBatchDriver(List.of(ROWS));
        WindowAggregationBase tumble = WindowAggregationBase.create(windowPlan(WindowSpec.tumble(2, true, 20), List.of(0), false));
        driver.run(tumble, rows(1, 5, 20).subList(0, 2));
        byte[] snapshot = tumble.snapshot();

        assertRejected(() -> new GroupAggregateOperator(groupPlan(List.of(0), AGGREGATES)).restore(snapshot, KeyGroupRange.ALL),
                "Cannot restore group aggregate state from a snapshot of a window aggregate operator");
        assertRejected(() -> WindowAggregationBase.create(windowPlan(WindowSpec.session(2, true, 20), List.of(0), false))
                .restore(snapshot, KeyGroupRange.ALL), "from a snapshot of a window aggregate operator");
        // same kind, other window size: another layout
        assertRejected(() -> WindowAggregationBase.create(windowPlan(WindowSpec.tumble(2, true, 30), List.of(0), false))
                .restore(snapshot, KeyGroupRange.ALL), "state layout");
        // same window, other aggregates
        WindowAggregate fewer = new WindowAggregate(INPUT, WindowSpec.tumble(2, true, 20), List.of(0), AGGREGATES.subList(0, 3),
                WindowAggregate.outputType(ROWS, List.of(0), AGGREGATES.subList(0, 3)));
        assertRejected(() -> WindowAggregationBase.create(fewer).restore(snapshot, KeyGroupRange.ALL), "state layout");
        IntervalJoin interval = new IntervalJoin(stream("l", EVENTS, 2, 0, Optional.empty()), stream("r", EVENTS, 2, 0, Optional.empty()),
                List.of(0), List.of(0), 2, 2, -5, 10, JoinKind.INNER, Optional.empty(), "", nullable(EVENTS, EVENTS));
        assertRejected(() -> new IntervalJoinOperator(interval).restore(snapshot, KeyGroupRange.ALL),
                "Cannot restore interval join state from a snapshot of a window aggregate operator");

        byte[] otherVersion = snapshot.clone();
        otherVersion[7] = 9;
        assertRejected(() -> tumble.restore(otherVersion, KeyGroupRange.ALL), "snapshot format version 9");
        assertRejected(() -> tumble.restore(new byte[] {1, 2, 3}, KeyGroupRange.ALL), "not an operator snapshot");
        assertRejected(() -> tumble.restore(Arrays.copyOf(snapshot, snapshot.length - 3), KeyGroupRange.ALL), "damaged");
        assertRejected(() -> tumble.restore(Arrays.copyOf(snapshot, snapshot.length + 1), KeyGroupRange.ALL), "damaged");
    }

    /**
     * Incremental checkpoints: after a full checkpoint snapshot and deltas at random batches (windows
     * fire in between: removals), the merge of the chain restores to the uninterrupted run.
     */
    private static void assertEquivalentAfterIncrementalRestore(Supplier<? extends Operator> factory, List<MicroBatch> batches, long seed) {
        MicroBatchDriver driver = new MicroBatchDriver(List.of(ROWS));
        Operator whole = factory.get();
        List<List<String>> expected = driver.run(whole, batches);
        List<String> expectedFinish = MicroBatchDriver.finish(whole);
        Random random = new Random(seed);
        int longestChain = 0;
        for (int trial = 0; trial < 8; trial++) {
            int k = 2 + random.nextInt(batches.size() - 2);
            Operator first = factory.get();
            List<byte[]> chain = new ArrayList<>();
            for (int b = 0; b < k; b++) {
                driver.run(first, batches.subList(b, b + 1));
                if (b == k - 1 || random.nextInt(10) < 7) {
                    chain.add(((IncrementalState) first).checkpointSnapshot(chain.isEmpty()).toByteArray());
                }
            }
            longestChain = Math.max(longestChain, chain.size());
            assertThat(KeyedSnapshot.isDelta(chain.get(0))).isFalse();
            chain.subList(1, chain.size()).forEach(delta -> assertThat(KeyedSnapshot.isDelta(delta)).isTrue());
            Operator restored = factory.get();
            ((SnapshottableState) restored).restore(KeyedSnapshotMerger.merge(chain), KeyGroupRange.ALL);
            assertThat(((SnapshottableState) restored).stateRows()).isEqualTo(((SnapshottableState) first).stateRows());
            List<List<String>> actual = driver.run(restored, batches.subList(k, batches.size()));
            for (int b = k; b < batches.size(); b++) {
                assertSameRows(actual.get(b - k), expected.get(b), true, "batch " + b + " after a restore of " + chain.size()
                        + " checkpoint snapshots up to batch " + k);
            }
            assertSameRows(MicroBatchDriver.finish(restored), expectedFinish, true, "finish after an incremental restore");
        }
        assertThat(longestChain).as("some restore merged several deltas").isGreaterThanOrEqualTo(3);
    }

    @Test
    void windowsRestoreFromAFullSnapshotAndDeltas() {
        for (WindowSpec window : List.of(WindowSpec.tumble(2, true, 20), WindowSpec.hop(2, true, 10, 30),
                WindowSpec.cumulate(2, true, 10, 40))) {
            for (boolean emitOpen : List.of(false, true)) {
                WindowAggregate plan = windowPlan(window, List.of(0), emitOpen);
                assertEquivalentAfterIncrementalRestore(() -> WindowAggregationBase.create(plan), rows(window.hashCode(), 12, 60), 17);
            }
        }
    }

    @Test
    void groupByRestoresFromAFullSnapshotAndDeltas() {
        GroupAggregate plan = groupPlan(List.of(0, 3), AGGREGATES);
        assertEquivalentAfterIncrementalRestore(() -> new GroupAggregateOperator(plan), rows(21, 40, 60), 23);
    }

    @Test
    void aDeltaGrowsWithTheKeysChangedNotWithTheState() {
        List<AggregateCall> count = AGGREGATES.subList(0, 1);
        GroupAggregateOperator operator = new GroupAggregateOperator(groupPlan(List.of(0), count));
        MicroBatchDriver driver = new MicroBatchDriver(List.of(ROWS));
        List<Object[]> all = new ArrayList<>();
        for (long key = 0; key < 100_000; key++) {
            all.add(row(key, 1L, 0L, null, null, null, true));
        }
        driver.run(operator, List.of(MicroBatch.single(all, Watermark.active(0), 0)));
        byte[] full = operator.checkpointSnapshot(true).toByteArray();
        List<Object[]> few = new ArrayList<>();
        for (long key = 0; key < 10; key++) {
            few.add(row(key * 9_999, 1L, 1L, null, null, null, true));
        }
        driver.run(operator, List.of(MicroBatch.single(few, Watermark.active(1), 1)));
        byte[] delta = operator.checkpointSnapshot(false).toByteArray();
        byte[] nothing = operator.checkpointSnapshot(false).toByteArray();

        assertThat(full.length).isGreaterThan(100_000 * 10);
        assertThat(delta.length).as("a delta of 10 keys").isLessThan(200 + 10 * 40);
        assertThat(nothing.length).as("a delta of no change").isLessThan(200);
        assertThat(nothing.length).isLessThan(delta.length);
    }

    @Test
    void aFiredWindowIsRemovedByADeltaWithoutListingItsGroups() {
        WindowAggregationBase tumble = WindowAggregationBase.create(windowPlan(WindowSpec.tumble(2, true, 20), List.of(0),
                false));
        MicroBatchDriver driver = new MicroBatchDriver(List.of(ROWS));
        List<Object[]> firstWindow = new ArrayList<>();
        for (long key = 0; key < 1_000; key++) {
            firstWindow.add(row(key, 1L, 5L, "a", null, null, true));
        }
        driver.run(tumble, List.of(MicroBatch.single(firstWindow, Watermark.active(5), 0)));
        byte[] full = ((IncrementalState) tumble).checkpointSnapshot(true).toByteArray();
        // one row in the next window; the watermark fires the first
        driver.run(tumble, List.of(MicroBatch.single(List.<Object[]>of(row(1L, 1L, 25L, "b", null, null, true)), Watermark.active(25), 1)));
        byte[] delta = ((IncrementalState) tumble).checkpointSnapshot(false).toByteArray();

        assertThat(delta.length).isLessThan(full.length / 20);
        WindowAggregationBase restored = WindowAggregationBase.create(windowPlan(WindowSpec.tumble(2, true, 20), List.of(0), false));
        restored.restore(KeyedSnapshotMerger.merge(List.of(full, delta)), KeyGroupRange.ALL);
        assertThat(restored.stateRows()).isEqualTo(1);
    }

    private static void assertRejected(Runnable restore, String message) {
        assertThatThrownBy(restore::run)
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INTERNAL_ERROR))
                .hasMessageContaining(message);
    }
}

package io.weir.engine.over;

import io.weir.engine.late.LateRowLog;
import io.weir.engine.late.LateRowRouter;
import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.AggregateKind;
import io.weir.engine.plan.OverAggregate;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.state.KeyGroupRange;
import io.weir.engine.state.StateBytes;
import io.weir.engine.testing.MicroBatchDriver;
import io.weir.engine.testing.MicroBatchDriver.MicroBatch;
import io.weir.engine.testing.TestPlans;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Over aggregations of (k, v, ts) rows partitioned by k: frames, watermark order, late rows, TTL, snapshots. */
class OverAggregateOperatorTest {
    private static final PlanNode INPUT = TestPlans.stream("unused", 0);
    private static final DataType BIGINT = DataType.of(TypeKind.BIGINT);
    private static final List<AggregateCall> SUM_COUNT_MIN_MAX = List.of(
            TestPlans.call(AggregateKind.SUM, 1, BIGINT), TestPlans.countStar(),
            TestPlans.call(AggregateKind.MIN, 1, BIGINT), TestPlans.call(AggregateKind.MAX, 1, BIGINT));

    private static OverAggregate over(boolean rows, long preceding, List<AggregateCall> calls) {
        return new OverAggregate(INPUT, List.of(0), 2, rows, preceding, calls,
                OverAggregate.outputType(INPUT.outputType(), calls));
    }

    private static Object[] row(long k, long v, long ts) {
        return new Object[] {k, v, ts};
    }

    private static MicroBatch batch(List<Object[]> rows, long watermark, long now) {
        return MicroBatch.single(rows, new Watermark(watermark, false), now);
    }

    private final MicroBatchDriver driver = new MicroBatchDriver(List.of(TestPlans.KV_TS));

    @Test
    void aRangeFrameSendsRowsInTimeOrderOnceTheWatermarkPassesThemAndPeersSeeEachOther() {
        OverAggregateOperator operator = new OverAggregateOperator(over(false, 1_000, SUM_COUNT_MIN_MAX));
        List<List<String>> out = driver.run(operator, List.of(
                batch(List.<Object[]>of(row(1, 1, 100), row(1, 2, 1_200), row(1, 3, 1_200), row(2, 9, 1_000)), 1_000, 0),
                batch(List.<Object[]>of(row(1, 4, 1_100), row(1, 5, 2_300)), 1_500, 1),
                batch(List.<Object[]>of(), 3_000, 2)));
        // [k, v, ts, sum, count, min, max]; at 1 100 the frame is [100, 1 100]; at 1 200 it is [200, 1 200] with both peers
        assertThat(out.get(0)).containsExactly("[1, 1, 100, 1, 1, 1, 1]", "[2, 9, 1000, 9, 1, 9, 9]");
        assertThat(out.get(1)).containsExactly("[1, 4, 1100, 5, 2, 1, 4]", "[1, 2, 1200, 9, 3, 2, 4]",
                "[1, 3, 1200, 9, 3, 2, 4]");
        assertThat(out.get(2)).containsExactly("[1, 5, 2300, 5, 1, 5, 5]");
    }

    @Test
    void aRowsFrameTakesPeersOneAtATimeAndKeepsTheLastRows() {
        OverAggregateOperator operator = new OverAggregateOperator(over(true, 2, SUM_COUNT_MIN_MAX));
        List<Object[]> rows = new ArrayList<>();
        long[] values = {5, 4, 3, 2, 1, 6, 6};
        for (int i = 0; i < values.length; i++) {
            rows.add(row(1, values[i], i == 6 ? 500 : 100 * (i + 1)));   // the last row is a peer of the fifth
        }
        List<List<String>> out = driver.run(operator, List.of(batch(rows, 10_000, 0)));
        assertThat(out.get(0)).containsExactly("[1, 5, 100, 5, 1, 5, 5]", "[1, 4, 200, 9, 2, 4, 5]",
                "[1, 3, 300, 12, 3, 3, 5]", "[1, 2, 400, 9, 3, 2, 4]", "[1, 1, 500, 6, 3, 1, 3]",
                "[1, 6, 500, 9, 3, 1, 6]", "[1, 6, 600, 13, 3, 1, 6]");
    }

    @Test
    void anUnboundedFrameRunsOnAndTheTtlForgetsIdleKeys() {
        OverAggregateOperator operator = new OverAggregateOperator(over(false, OverAggregate.UNBOUNDED, SUM_COUNT_MIN_MAX));
        operator.expireAfter(Duration.ofSeconds(10));
        List<List<String>> out = driver.run(operator, List.of(
                batch(List.<Object[]>of(row(1, 3, 100), row(2, 1, 100)), 200, 0),
                batch(List.<Object[]>of(row(1, 4, 300), row(1, 5, 300)), 400, 8_000),
                batch(List.<Object[]>of(), 400, 12_000),
                batch(List.<Object[]>of(row(1, 1, 500), row(2, 7, 500)), 600, 13_000)));
        assertThat(out.get(0)).containsExactly("[1, 3, 100, 3, 1, 3, 3]", "[2, 1, 100, 1, 1, 1, 1]");
        assertThat(out.get(1)).containsExactly("[1, 4, 300, 12, 3, 3, 5]", "[1, 5, 300, 12, 3, 3, 5]");
        assertThat(out.get(3)).as("key 2 expired at 12 s, key 1 (updated at 8 s) did not")
                .containsExactly("[1, 1, 500, 13, 4, 1, 5]", "[2, 7, 500, 7, 1, 7, 7]");
    }

    @Test
    void rowsAtOrBehindTheWatermarkAreLateCountedAndRouted() {
        OverAggregateOperator operator = new OverAggregateOperator(over(true, 1, SUM_COUNT_MIN_MAX));
        LateRowLog log = new LateRowLog(10, Duration.ofHours(1), InstantSource.fixed(Instant.ofEpochMilli(5)));
        operator.routeLateRows(new LateRowRouter("q1", "s", log));
        List<List<String>> out = driver.run(operator, List.of(
                batch(List.<Object[]>of(row(1, 1, 100)), 500, 0),
                batch(List.<Object[]>of(row(1, 2, 500), row(1, 3, 400), row(1, 4, 600)), 700, 1)));
        assertThat(out.get(1)).as("the rows at 500 and 400 were behind the watermark (500) when they came")
                .containsExactly("[1, 4, 600, 5, 2, 1, 4]");
        assertThat(operator.lateRows()).isEqualTo(2);
        assertThat(log.rows()).extracting(r -> r.eventTime()).containsExactly(500L, 400L);
    }

    @Test
    void aRangeFrameForgetsRowsNoLaterRowCanSee() {
        OverAggregateOperator operator = new OverAggregateOperator(over(false, 1_000, SUM_COUNT_MIN_MAX));
        driver.run(operator, List.of(batch(List.<Object[]>of(row(1, 1, 100), row(2, 1, 100)), 200, 0)));
        assertThat(operator.stateRows()).isEqualTo(2);
        driver.run(operator, List.of(batch(List.<Object[]>of(row(1, 2, 1_500)), 1_600, 1)));
        assertThat(operator.stateRows()).as("key 2's row at 100 is more than 1 s behind the watermark: key 2 is gone")
                .isEqualTo(1);
    }

    @Test
    void framesMatchAComputationFromAllRowsAcrossSnapshotsAtAnyKeyGroupSplit() {
        for (boolean rowsFrame : new boolean[] {true, false}) {
            for (long preceding : new long[] {0, 3, 700, OverAggregate.UNBOUNDED}) {
                checkAgainstBruteForce(rowsFrame, preceding);
            }
        }
    }

    private void checkAgainstBruteForce(boolean rowsFrame, long preceding) {
        OverAggregate plan = over(rowsFrame, preceding, SUM_COUNT_MIN_MAX);
        Random random = new Random(rowsFrame ? preceding : preceding + 1);
        List<List<Object[]>> batches = new ArrayList<>();
        List<Object[]> all = new ArrayList<>();
        long watermark = 0;
        List<Long> watermarks = new ArrayList<>();
        for (int b = 0; b < 12; b++) {
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                // out of order by up to 300 ms, never behind the watermark; some times repeat (peers)
                long ts = watermark + 1 + random.nextInt(30) * 10;
                Object[] row = row(random.nextInt(6), random.nextInt(100) - 50, ts);
                rows.add(row);
                all.add(row);
            }
            batches.add(rows);
            watermark += 100;
            watermarks.add(watermark);
        }
        OverAggregateOperator operator = new OverAggregateOperator(plan);
        List<String> actual = new ArrayList<>();
        for (int b = 0; b < batches.size(); b++) {
            actual.addAll(driver.run(operator, List.of(batch(batches.get(b), watermarks.get(b), b))).get(0));
            if (b == 5) {
                // a checkpoint, restored at another parallelism: two instances, then combined into one
                byte[] snapshot = operator.snapshot();
                OverAggregateOperator low = new OverAggregateOperator(plan);
                OverAggregateOperator high = new OverAggregateOperator(plan);
                low.restore(snapshot, new KeyGroupRange(0, 40));
                high.restore(snapshot, new KeyGroupRange(41, 127));
                byte[] combined = low.combine(List.of(StateBytes.of(low.snapshot()), StateBytes.of(high.snapshot())))
                        .toByteArray();
                operator = new OverAggregateOperator(plan);
                operator.restore(combined, KeyGroupRange.ALL);
            }
        }
        actual.addAll(MicroBatchDriver.finish(operator));
        assertThat(actual).as("rows=%s preceding=%s", rowsFrame, preceding)
                .containsExactlyInAnyOrderElementsOf(bruteForce(all, rowsFrame, preceding));
    }

    /** Each row with its frame's sum, count, min and max, computed from all rows of its key in (time, arrival) order. */
    private static List<String> bruteForce(List<Object[]> all, boolean rowsFrame, long preceding) {
        List<String> expected = new ArrayList<>();
        for (long k = 0; k < 6; k++) {
            long key = k;
            List<Object[]> rows = new ArrayList<>(all.stream().filter(r -> (long) r[0] == key).toList());
            rows.sort(Comparator.comparingLong(r -> (long) r[2])); // stable: peers keep their arrival order
            for (int i = 0; i < rows.size(); i++) {
                long ts = (long) rows.get(i)[2];
                List<Object[]> frame = new ArrayList<>();
                for (int j = 0; j < rows.size(); j++) {
                    long other = (long) rows.get(j)[2];
                    boolean in = rowsFrame
                            ? j <= i && (preceding == OverAggregate.UNBOUNDED || j >= i - preceding)
                            : other <= ts && (preceding == OverAggregate.UNBOUNDED || other >= ts - preceding);
                    if (in) {
                        frame.add(rows.get(j));
                    }
                }
                long sum = frame.stream().mapToLong(r -> (long) r[1]).sum();
                long min = frame.stream().mapToLong(r -> (long) r[1]).min().orElseThrow();
                long max = frame.stream().mapToLong(r -> (long) r[1]).max().orElseThrow();
                Object[] row = rows.get(i);
                expected.add("[" + row[0] + ", " + row[1] + ", " + row[2] + ", " + sum + ", " + frame.size() + ", " + min
                        + ", " + max + "]");
            }
        }
        return expected;
    }
}

package io.weir.engine.window;

import io.weir.engine.exec.QueryRunner;
import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.Changelog;
import io.weir.engine.plan.SourceScan;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.state.KeyGroupRange;
import io.weir.engine.state.KeyGroups;
import io.weir.engine.testing.ManualClock;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.memory.InMemoryData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.weir.engine.testing.TestPlans.KV_TS;
import static io.weir.engine.testing.TestPlans.aggregate;
import static io.weir.engine.testing.TestPlans.countStar;
import static io.weir.engine.testing.TestPlans.row;
import static io.weir.engine.testing.TestPlans.runner;
import static io.weir.engine.testing.TestPlans.show;
import static io.weir.engine.testing.TestPlans.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Allowed lateness: a fired window's groups are kept until the watermark passes its end plus the
 * lateness; a late row within it updates its group, whose corrected row is emitted at the end of the
 * micro-batch; a row later than that is late as without lateness. Rows: k, v, ts (ms); output: k,
 * window_start, window_end, count. Expected rows worked out by hand in the comments.
 */
class AllowedLatenessTest {
    private static final SourceScan INPUT = stream("unused", 0);
    private final List<String> dataSets = new ArrayList<>();

    @AfterEach
    void unregister() {
        dataSets.forEach(InMemoryData::unregister);
    }

    private static WindowAggregate counts(WindowSpec window, long latenessMillis) {
        return aggregate(INPUT, window, List.of(0), List.of(countStar())).withAllowedLateness(latenessMillis);
    }

    private static List<String> batch(WindowAggregationBase operator, long watermark, Object[]... rows) {
        operator.addInput(Batch.of(KV_TS, List.of(rows)));
        operator.processWatermark(0, Watermark.active(watermark));
        List<Object[]> out = new ArrayList<>();
        Batch batch;
        while ((batch = operator.getOutput()) != null) {
            out.addAll(batch.rows());
        }
        return show(out);
    }

    @Test
    void aLateRowWithinTheLatenessUpdatesItsFiredWindowUntilItExpires() {
        // TUMBLE 10 s, lateness 5 s: [0 s, 10 s) fires at watermark 9.999 s and is kept until 14.999 s
        WindowAggregateOperator operator = (WindowAggregateOperator) WindowAggregationBase.create(
                counts(WindowSpec.tumble(2, true, 10_000), 5_000));
        assertThat(batch(operator, 11_000, row(1L, 0L, 1_000L), row(2L, 0L, 2_000L), row(1L, 0L, 11_000L)))
                .containsExactly("[1, 0, 10000, 1]", "[2, 0, 10000, 1]");
        assertThat(operator.keptWindows()).isEqualTo(1);
        assertThat(operator.openWindows()).isEqualTo(1);

        // 4 s is late (watermark 11 s) but within the lateness: key 1 of [0 s, 10 s) is corrected to 2
        assertThat(batch(operator, 11_000, row(1L, 0L, 4_000L))).containsExactly("[1, 0, 10000, 2]");
        // nothing changed: nothing sent
        assertThat(batch(operator, 12_000)).isEmpty();
        // two rows for key 2 in one batch: one correction with both
        assertThat(batch(operator, 14_000, row(2L, 0L, 5_000L), row(2L, 0L, 9_999L))).containsExactly("[2, 0, 10000, 3]");
        assertThat(operator.lateRows()).isZero();

        // watermark 15 s passes 9.999 s + 5 s: the window is freed; its later rows are late
        assertThat(batch(operator, 15_000)).isEmpty();
        assertThat(operator.keptWindows()).isZero();
        assertThat(batch(operator, 15_000, row(1L, 0L, 3_000L))).isEmpty();
        assertThat(operator.lateRows()).isEqualTo(1);
        assertThat(operator.openGroups()).isEqualTo(1); // key 1 of [10 s, 20 s)

        // the end of the input fires and frees everything
        assertThat(batch(operator, Long.MAX_VALUE)).containsExactly("[1, 10000, 20000, 1]");
        assertThat(operator.openGroups()).isZero();
    }

    @Test
    void aLateRowForANewKeyOfAFiredWindowIsSentAsItsFirstRow() {
        WindowAggregationBase operator = WindowAggregationBase.create(counts(WindowSpec.tumble(2, true, 10_000), 5_000));
        assertThat(batch(operator, 10_000, row(1L, 0L, 1_000L))).containsExactly("[1, 0, 10000, 1]");
        assertThat(batch(operator, 10_000, row(3L, 0L, 8_000L))).containsExactly("[3, 0, 10000, 1]");
    }

    @Test
    void hopAndCumulateWindowsKeepEachFiredWindow() {
        // HOP size 10 s slide 5 s, lateness 5 s: ts 7 s is in [0 s, 10 s) and [5 s, 15 s)
        WindowAggregationBase hop = WindowAggregationBase.create(counts(WindowSpec.hop(2, true, 5_000, 10_000), 5_000));
        assertThat(batch(hop, 15_000, row(1L, 0L, 7_000L)))
                .containsExactly("[1, 0, 10000, 1]", "[1, 5000, 15000, 1]");
        // watermark 15 s: [0 s, 10 s) expired (9.999 + 5 <= 15); [5 s, 15 s) kept until 19.999 s. 8 s updates only it
        assertThat(batch(hop, 15_000, row(1L, 0L, 8_000L))).containsExactly("[1, 5000, 15000, 2]");
        assertThat(hop.lateRows()).isZero();
        // watermark 20 s: every window of 9 s expired (a row is checked against the watermark of the batches before it)
        assertThat(batch(hop, 20_000)).isEmpty();
        assertThat(batch(hop, 20_000, row(1L, 0L, 9_000L))).isEmpty();
        assertThat(hop.lateRows()).isEqualTo(1);

        // CUMULATE size 10 s step 5 s: ts 2 s is in [0 s, 5 s) and [0 s, 10 s)
        WindowAggregationBase cumulate = WindowAggregationBase.create(
                counts(WindowSpec.cumulate(2, true, 5_000, 10_000), 3_000));
        assertThat(batch(cumulate, 10_000, row(1L, 0L, 2_000L)))
                .containsExactly("[1, 0, 5000, 1]", "[1, 0, 10000, 1]");
        // watermark 10 s: [0, 5 s) expired at 7.999 s, [0, 10 s) kept until 12.999 s
        assertThat(batch(cumulate, 10_000, row(1L, 0L, 3_000L))).containsExactly("[1, 0, 10000, 2]");
    }

    @Test
    void keptWindowsSurviveASnapshotWholeOrSplitByKeyGroup() {
        WindowAggregate plan = counts(WindowSpec.tumble(2, true, 10_000), 5_000);
        WindowAggregationBase original = WindowAggregationBase.create(plan);
        List<Object[]> first = new ArrayList<>();
        for (long k = 0; k < 40; k++) {
            first.add(row(k, 0L, 1_000L + k));
        }
        assertThat(batch(original, 11_000, first.toArray(Object[][]::new))).hasSize(40);
        byte[] snapshot = original.snapshot();

        Object[][] late = {row(3L, 0L, 5_000L), row(30L, 0L, 6_000L)};
        List<String> expected = batch(original, 12_000, late);
        assertThat(expected).containsExactlyInAnyOrder("[3, 0, 10000, 2]", "[30, 0, 10000, 2]");

        WindowAggregationBase restored = WindowAggregationBase.create(plan);
        restored.restore(snapshot, KeyGroupRange.ALL);
        assertThat(restored.openGroups()).isEqualTo(40);
        assertThat(batch(restored, 12_000, late)).containsExactlyElementsOf(expected);
        // expired after the restore as before it
        assertThat(batch(restored, 15_000)).isEmpty();
        assertThat(batch(restored, 15_000, row(3L, 0L, 5_000L))).isEmpty();
        assertThat(restored.lateRows()).isEqualTo(1);
        assertThat(restored.openGroups()).isZero();

        // split by key group, each instance corrects its own keys
        int middle = KeyGroups.COUNT / 2;
        WindowAggregationBase low = WindowAggregationBase.create(plan);
        low.restore(snapshot, new KeyGroupRange(0, middle - 1));
        WindowAggregationBase high = WindowAggregationBase.create(plan);
        high.restore(snapshot, new KeyGroupRange(middle, KeyGroups.COUNT - 1));
        assertThat(low.openGroups() + high.openGroups()).isEqualTo(40);
        assertThat(low.openGroups()).isPositive();
        assertThat(high.openGroups()).isPositive();
    }

    @Test
    void sessionsAndProcessingTimeWindowsTakeNoLateness() {
        assertThatThrownBy(() -> counts(WindowSpec.session(2, true, 1_000), 5_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowed lateness");
        assertThatThrownBy(() -> counts(WindowSpec.tumble(2, false, 1_000), 5_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowed lateness");
    }

    @Test
    void throughAChangelogACorrectionIsAnUpdateOfTheRowSentBefore() {
        String data = "lateness-" + System.nanoTime();
        InMemoryData.register(data, List.of(row(1L, 1L, 1_000L), row(1L, 1L, 12_000L)), false);
        dataSets.add(data);
        WindowAggregate counts = aggregate(stream(data, 0), WindowSpec.tumble(2, true, 10_000), List.of(0),
                List.of(countStar())).withAllowedLateness(5_000);
        Changelog changes = new Changelog(counts, List.of(0, 1, 2), false, Changelog.outputType(counts.outputType(), false),
                new Changelog.WindowRows(List.of(1, 2), 25_000, true));
        List<Object[]> out = new ArrayList<>();
        try (QueryRunner runner = runner(changes, new ManualClock(0), out)) {
            runner.runBatch(); // watermark 12 s fires [0 s, 10 s)
            assertThat(show(out)).containsExactly("[INSERT, 1, 0, 10000, 1]");
            out.clear();
            InMemoryData.append(data, List.<Object[]>of(row(1L, 1L, 9_000L)));
            runner.runBatch();
            assertThat(show(out)).containsExactly("[UPDATE_BEFORE, 1, 0, 10000, 1]", "[UPDATE_AFTER, 1, 0, 10000, 2]");
            out.clear();
            InMemoryData.append(data, List.<Object[]>of(row(1L, 1L, 16_000L), row(1L, 1L, 2_000L)));
            runner.runBatch(); // watermark 16 s: [0 s, 10 s) expires as this batch ends, after taking 2 s
            assertThat(show(out)).containsExactly("[UPDATE_BEFORE, 1, 0, 10000, 2]", "[UPDATE_AFTER, 1, 0, 10000, 3]");
            out.clear();
            InMemoryData.append(data, List.<Object[]>of(row(1L, 1L, 3_000L)));
            runner.runBatch();
            assertThat(out).isEmpty();
            assertThat(runner.lateRows()).isEqualTo(1);
        }
    }
}

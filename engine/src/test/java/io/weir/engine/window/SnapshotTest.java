package io.weir.engine.window;

import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.AggregateKind;
import io.weir.engine.plan.SourceScan;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.state.KeyGroupRange;
import io.weir.engine.state.KeyGroups;
import io.weir.spi.batch.Batch;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.weir.engine.testing.TestPlans.KV_TS;
import static io.weir.engine.testing.TestPlans.aggregate;
import static io.weir.engine.testing.TestPlans.call;
import static io.weir.engine.testing.TestPlans.countStar;
import static io.weir.engine.testing.TestPlans.row;
import static io.weir.engine.testing.TestPlans.show;
import static io.weir.engine.testing.TestPlans.stream;
import static org.assertj.core.api.Assertions.assertThat;

/** Window state survives a snapshot/restore round trip, whole or split by key group. */
class SnapshotTest {
    private static final SourceScan INPUT = stream("unused", 0);

    private static List<Object[]> input() {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rows.add(row((long) (i % 37), (long) i, (long) (i % 50)));
        }
        return rows;
    }

    private static List<String> runToEnd(WindowAggregationBase operator, List<Object[]> more) {
        List<Object[]> out = new ArrayList<>();
        operator.addInput(Batch.of(KV_TS, more));
        operator.processWatermark(0, Watermark.FINISHED);
        Batch batch;
        while ((batch = operator.getOutput()) != null) {
            out.addAll(batch.rows());
        }
        return show(out);
    }

    private static void roundTrip(WindowSpec window) {
        WindowAggregate plan = aggregate(INPUT, window, List.of(0),
                List.of(countStar(), call(AggregateKind.SUM, 1, KV_TS.get(1).type()),
                        new io.weir.engine.plan.AggregateCall(AggregateKind.COUNT, 1, true, -1, KV_TS.get(0).type(), "d")));
        List<Object[]> more = List.of(row(1L, 5L, 40L), row(2L, 6L, 49L));

        WindowAggregationBase original = WindowAggregationBase.create(plan);
        original.addInput(Batch.of(KV_TS, input()));
        original.processWatermark(0, Watermark.active(19));
        assertThat(drain(original)).isNotEmpty(); // windows ending by 20 fired before the snapshot
        byte[] snapshot = original.snapshot();
        List<String> expected = runToEnd(original, more);
        assertThat(expected).isNotEmpty();

        WindowAggregationBase restored = WindowAggregationBase.create(plan);
        restored.restore(snapshot, KeyGroupRange.ALL);
        assertThat(runToEnd(restored, more)).containsExactlyElementsOf(expected);

        // two instances owning half the key groups each produce the whole result between them
        int middle = KeyGroups.COUNT / 2;
        WindowAggregationBase low = WindowAggregationBase.create(plan);
        low.restore(snapshot, new KeyGroupRange(0, middle - 1));
        WindowAggregationBase high = WindowAggregationBase.create(plan);
        high.restore(snapshot, new KeyGroupRange(middle, KeyGroups.COUNT - 1));
        assertThat(low.openGroups()).isPositive();
        assertThat(high.openGroups()).isPositive();
        List<String> lowRows = runToEnd(low, List.of());
        List<String> highRows = runToEnd(high, List.of());
        List<String> withoutMore = runToEnd(restoredCopy(plan, snapshot), List.of());
        List<String> union = new ArrayList<>(lowRows);
        union.addAll(highRows);
        assertThat(union).containsExactlyInAnyOrderElementsOf(withoutMore);
    }

    private static List<Object[]> drain(WindowAggregationBase operator) {
        List<Object[]> rows = new ArrayList<>();
        Batch batch;
        while ((batch = operator.getOutput()) != null) {
            rows.addAll(batch.rows());
        }
        return rows;
    }

    /** Distinct (10 ms window, key) pairs of the input with a window end above {@code watermark + 1}. */
    private static long openGroups(long watermark) {
        return input().stream()
                .filter(r -> (long) r[2] / 10 * 10 + 10 - 1 > watermark)
                .map(r -> r[0] + "@" + (long) r[2] / 10)
                .distinct()
                .count();
    }

    private static WindowAggregationBase restoredCopy(WindowAggregate plan, byte[] snapshot) {
        WindowAggregationBase copy = WindowAggregationBase.create(plan);
        copy.restore(snapshot, KeyGroupRange.ALL);
        return copy;
    }

    @Test
    void tumbleStateRoundTrips() {
        roundTrip(WindowSpec.tumble(2, true, 10));
    }

    @Test
    void hopStateRoundTrips() {
        roundTrip(WindowSpec.hop(2, true, 5, 20));
    }

    @Test
    void sessionStateRoundTrips() {
        roundTrip(WindowSpec.session(2, true, 3));
    }

    @Test
    void firedWindowsFreeTheirState() {
        WindowAggregate plan = aggregate(INPUT, WindowSpec.tumble(2, true, 10), List.of(0), List.of(countStar()));
        WindowAggregationBase operator = WindowAggregationBase.create(plan);
        operator.addInput(Batch.of(KV_TS, input()));
        assertThat(operator.openGroups()).isEqualTo(openGroups(Long.MIN_VALUE));
        long bytes = operator.estimatedStateBytes();
        operator.processWatermark(0, Watermark.active(29));
        assertThat(drain(operator)).hasSize((int) (openGroups(Long.MIN_VALUE) - openGroups(29)));
        assertThat(operator.openGroups()).isEqualTo(openGroups(29)).isPositive();
        assertThat(operator.estimatedStateBytes()).isLessThan(bytes);
        operator.processWatermark(0, Watermark.active(49));
        assertThat(operator.openGroups()).isZero();
        assertThat(((WindowAggregateOperator) operator).openWindows()).isZero();
    }
}

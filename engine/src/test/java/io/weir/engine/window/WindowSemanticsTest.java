package io.weir.engine.window;

import io.weir.engine.exec.QueryRunner;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.UnionAll;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.testing.ManualClock;
import io.weir.spi.connector.memory.InMemoryData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.weir.engine.testing.TestPlans.KV_TS;
import static io.weir.engine.testing.TestPlans.aggregate;
import static io.weir.engine.testing.TestPlans.call;
import static io.weir.engine.testing.TestPlans.countStar;
import static io.weir.engine.testing.TestPlans.row;
import static io.weir.engine.testing.TestPlans.runner;
import static io.weir.engine.testing.TestPlans.show;
import static io.weir.engine.testing.TestPlans.stream;
import static io.weir.engine.testing.TestPlans.withProcessingTime;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Window kinds, firing, lateness, sessions and state release, one micro-batch at a time. Expected
 * rows are worked out by hand in the comments; output columns are key, window_start, window_end,
 * aggregates.
 */
class WindowSemanticsTest {
    private final List<String> dataSets = new ArrayList<>();
    private final List<Object[]> out = new ArrayList<>();
    private final ManualClock clock = new ManualClock(0);

    private String data(String name, boolean bounded, Object[]... rows) {
        String unique = name + "-" + System.nanoTime();
        InMemoryData.register(unique, List.of(rows), bounded);
        dataSets.add(unique);
        return unique;
    }

    private static void append(String dataSet, Object[]... rows) {
        InMemoryData.append(dataSet, List.of(rows));
    }

    @AfterEach
    void unregister() {
        dataSets.forEach(InMemoryData::unregister);
    }

    private List<String> take() {
        List<String> rows = show(out);
        out.clear();
        return rows;
    }

    @Test
    void tumbleFiresWhenWatermarkReachesEndMinusOneAndCountsLateRows() {
        String data = data("tumble", false, row(1, 1, 1), row(2, 1, 3), row(1, 1, 9));
        WindowAggregate plan = aggregate(stream(data, 0), WindowSpec.tumble(2, true, 10), List.of(0), List.of(countStar()));
        try (QueryRunner runner = runner(plan, clock, out)) {
            runner.runBatch(); // watermark 9 = end of [0, 10) - 1: fires
            assertThat(take()).containsExactly("[1, 0, 10, 2]", "[2, 0, 10, 1]");
            assertThat(runner.watermarkMillis()).isEqualTo(9);

            append(data, row(1, 1, 5)); // its window fired: late
            append(data, row(1, 1, 12), row(1, 1, 25));
            runner.runBatch(); // watermark 25: fires [10, 20) but not [20, 30)
            assertThat(take()).containsExactly("[1, 10, 20, 1]");
            assertThat(runner.lateRows()).isEqualTo(1);
            WindowAggregateOperator operator = (WindowAggregateOperator) runner.windowOperators().get(0);
            assertThat(operator.openWindows()).isEqualTo(1);
            assertThat(operator.openGroups()).isEqualTo(1);

            append(data, row(3, 1, 28));
            runner.runBatch(); // watermark 28 < 29: [20, 30) still open
            assertThat(take()).isEmpty();
            append(data, row(3, 1, 29));
            runner.runBatch();
            assertThat(take()).containsExactly("[1, 20, 30, 1]", "[3, 20, 30, 2]");
            assertThat(operator.openWindows()).isZero();
            assertThat(operator.openGroups()).isZero();
        }
    }

    @Test
    void hopCountsItsOpenWindowsFromItsSlices() {
        String data = data("open-hop", false, row(1, 1, 12));
        WindowAggregate plan = aggregate(stream(data, 0), WindowSpec.hop(2, true, 5, 10), List.of(0), List.of(countStar()));
        try (QueryRunner runner = runner(plan, clock, out)) {
            runner.runBatch(); // watermark 12: 12 is in [5, 15) and [10, 20), neither fired
            WindowAggregateOperator operator = (WindowAggregateOperator) runner.windowOperators().get(0);
            assertThat(operator.openWindowCount()).isEqualTo(2);
            assertThat(operator.oldestOpenWindowEnd()).isEqualTo(15);
            append(data, row(1, 1, 16));
            runner.runBatch(); // watermark 16 fires [5, 15); open: [10, 20) and [15, 25)
            assertThat(take()).containsExactly("[1, 5, 15, 1]");
            assertThat(operator.openWindowCount()).isEqualTo(2);
            assertThat(operator.oldestOpenWindowEnd()).isEqualTo(20);
            assertThat(runner.operatorStatistics()).anySatisfy(statistics -> {
                assertThat(statistics.windowed()).isTrue();
                assertThat(statistics.openWindows()).isEqualTo(2);
                assertThat(statistics.oldestWindowEnd()).isEqualTo(20);
            });
        }
    }

    @Test
    void watermarkDelayHoldsWindowsOpen() {
        String data = data("delay", false, row(1, 1, 1), row(1, 1, 12));
        WindowAggregate plan = aggregate(stream(data, 5), WindowSpec.tumble(2, true, 10), List.of(0), List.of(countStar()));
        try (QueryRunner runner = runner(plan, clock, out)) {
            runner.runBatch(); // watermark 12 - 5 = 7
            assertThat(take()).isEmpty();
            append(data, row(1, 1, 8)); // within the delay: not late
            append(data, row(1, 1, 14));
            runner.runBatch(); // watermark 9
            assertThat(take()).containsExactly("[1, 0, 10, 2]");
            assertThat(runner.lateRows()).isZero();
        }
    }

    @Test
    void boundedInputFiresEverythingAndFinishes() {
        // HOP slide 5 size 10: ts 3 -> [-5,5) [0,10); ts 7 -> [0,10) [5,15); ts 12 -> [5,15) [10,20)
        String data = data("hop", true, row(1, 1, 3), row(1, 1, 7), row(1, 1, 12));
        WindowAggregate plan = aggregate(stream(data, 0), WindowSpec.hop(2, true, 5, 10), List.of(0), List.of(countStar()));
        try (QueryRunner runner = runner(plan, clock, out)) {
            runner.runBatch();
            assertThat(take()).containsExactly("[1, -5, 5, 1]", "[1, 0, 10, 2]", "[1, 5, 15, 2]", "[1, 10, 20, 1]");
            assertThat(runner.isFinished()).isTrue();
            assertThat(runner.watermarkMillis()).isEqualTo(Long.MAX_VALUE);
        }
    }

    @Test
    void hopRowIsLateOnlyWhenAllItsWindowsFired() {
        String data = data("hoplate", false, row(1, 1, 11));
        WindowAggregate plan = aggregate(stream(data, 0), WindowSpec.hop(2, true, 5, 10), List.of(0), List.of(countStar()));
        try (QueryRunner runner = runner(plan, clock, out)) {
            runner.runBatch(); // watermark 11 fires [0,10) (empty: no state, no row) only
            assertThat(take()).isEmpty();
            // ts 6: [0,10) fired, [5,15) open -> counted there; ts 2: [-5,5) and [0,10) fired -> late
            append(data, row(1, 1, 6), row(1, 1, 2), row(1, 1, 30));
            runner.runBatch(); // watermark 30: fires [5,15) [10,20) [15,25) [20,30)
            assertThat(take()).containsExactly("[1, 5, 15, 2]", "[1, 10, 20, 1]");
            assertThat(runner.lateRows()).isEqualTo(1);
        }
    }

    @Test
    void cumulateWindowsGrowByStep() {
        // step 5, max 15: ts 2 -> [0,5) [0,10) [0,15); 6 -> [0,10) [0,15); 14 -> [0,15); 16 -> [15,20) [15,25) [15,30)
        String data = data("cumulate", true, row(1, 1, 2), row(1, 1, 6), row(1, 1, 14), row(1, 1, 16));
        WindowAggregate plan = aggregate(stream(data, 0), WindowSpec.cumulate(2, true, 5, 15), List.of(0),
                List.of(countStar(), call(io.weir.engine.plan.AggregateKind.MAX, 2, KV_TS.get(2).type())));
        try (QueryRunner runner = runner(plan, clock, out)) {
            runner.runBatch();
            assertThat(take()).containsExactly("[1, 0, 5, 1, 2]", "[1, 0, 10, 2, 6]", "[1, 0, 15, 3, 14]",
                    "[1, 15, 20, 1, 16]", "[1, 15, 25, 1, 16]", "[1, 15, 30, 1, 16]");
        }
    }

    @Test
    void sessionsMergeAcrossBatchesIncludingABridgingRowAndMergeAccumulators() {
        // gap 10, delay 100. Key 1: ts 0 -> [0,10), ts 18 -> [18,28); then ts 9 -> [9,19) bridges both: [0,28)
        String data = data("session", false, row(1, 1, 0), row(1, 10, 18));
        WindowAggregate plan = aggregate(stream(data, 100), WindowSpec.session(2, true, 10), List.of(0),
                List.of(countStar(), call(io.weir.engine.plan.AggregateKind.SUM, 1, KV_TS.get(1).type())));
        try (QueryRunner runner = runner(plan, clock, out)) {
            runner.runBatch();
            SessionWindowAggregateOperator operator = (SessionWindowAggregateOperator) runner.windowOperators().get(0);
            assertThat(operator.openSessions()).isEqualTo(2);
            append(data, row(1, 100, 9), row(2, 7, 5));
            runner.runBatch();
            assertThat(operator.openSessions()).isEqualTo(2); // key 1 merged into one, key 2 opened one
            append(data, row(3, 1, 200));
            runner.runBatch(); // watermark 100: key 2 [5,15) and key 1 [0,28) fire, ordered by end
            assertThat(take()).containsExactly("[2, 5, 15, 1, 7]", "[1, 0, 28, 3, 111]");
            assertThat(operator.openSessions()).isEqualTo(1);

            // key 1 ts 50: [50,60) ended before the watermark and no open session to join: late.
            // key 3 ts 195: [195,205) joins the open [200,210) session although it is behind the watermark.
            append(data, row(1, 1, 50), row(3, 2, 195), row(3, 4, 210));
            runner.runBatch();
            assertThat(runner.lateRows()).isEqualTo(1);
            append(data, row(4, 1, 400));
            runner.runBatch(); // watermark 300
            assertThat(take()).containsExactly("[3, 195, 220, 3, 7]");
        }
    }

    @Test
    void mergingSessionsMergesEveryKindOfAccumulator() {
        // key 1, gap 10: ts 0 (v 1) and ts 18 (v 2) open two sessions; ts 9 (v 1) bridges them
        String data = data("session-merge", false, row(1, 1, 0), row(1, 2, 18));
        io.weir.spi.type.DataType bigint = KV_TS.get(1).type();
        io.weir.spi.type.DataType dbl = io.weir.spi.type.DataType.of(io.weir.spi.type.TypeKind.DOUBLE);
        WindowAggregate plan = aggregate(stream(data, 100), WindowSpec.session(2, true, 10), List.of(0), List.of(
                new io.weir.engine.plan.AggregateCall(io.weir.engine.plan.AggregateKind.COUNT, 1, true, -1, bigint, "cd"),
                call(io.weir.engine.plan.AggregateKind.APPROX_COUNT_DISTINCT, 1, bigint),
                call(io.weir.engine.plan.AggregateKind.MIN, 1, bigint),
                call(io.weir.engine.plan.AggregateKind.MAX, 1, bigint),
                call(io.weir.engine.plan.AggregateKind.AVG, 1, bigint),
                call(io.weir.engine.plan.AggregateKind.VAR_POP, 1, dbl),
                new io.weir.engine.plan.AggregateCall(io.weir.engine.plan.AggregateKind.SUM, 1, true, -1, bigint, "sd")));
        try (QueryRunner runner = runner(plan, clock, out)) {
            runner.runBatch();
            append(data, row(1, 1, 9));
            runner.runBatch();
            append(data, row(2, 1, 500));
            runner.runBatch();
            // v = 1, 2, 1: 2 distinct, min 1, max 2, AVG 4/3 -> 1, VAR_POP (6 - 16/3) / 3, SUM(DISTINCT) 3
            assertThat(take()).containsExactly("[1, 0, 28, 2, 2, 1, 2, 1, " + (6 - 16.0 / 3) / 3 + ", 3]");
        }
    }

    @Test
    void sessionsThatTouchMerge() {
        // gap 10: [0,10) and [10,20) touch -> one session [0,20); ts 25 -> [25,35) separate
        String data = data("touch", true, row(1, 1, 0), row(1, 1, 10), row(1, 1, 25));
        WindowAggregate plan = aggregate(stream(data, 0), WindowSpec.session(2, true, 10), List.of(0), List.of(countStar()));
        try (QueryRunner runner = runner(plan, clock, out)) {
            runner.runBatch();
            assertThat(take()).containsExactly("[1, 0, 20, 2]", "[1, 25, 35, 1]");
        }
    }

    @Test
    void processingTimeWindowsFireWhenTheClockPassesTheirEnd() {
        String data = data("proctime", false, row(1, 1, null), row(1, 1, null));
        PlanNode input = withProcessingTime(stream(data, KV_TS, -1, 0, Optional.empty()));
        WindowAggregate plan = aggregate(input, WindowSpec.tumble(3, false, 1000), List.of(0), List.of(countStar()));
        clock.set(500);
        try (QueryRunner runner = runner(plan, clock, out)) {
            runner.runBatch(); // rows at 500 -> [0, 1000)
            clock.set(999);
            append(data, row(1, 1, null));
            runner.runBatch();
            assertThat(take()).isEmpty();
            clock.set(1000);
            runner.runBatch();
            assertThat(take()).containsExactly("[1, 0, 1000, 3]");
            clock.set(1500);
            append(data, row(2, 1, null));
            runner.runBatch();
            clock.set(2000);
            runner.runBatch();
            assertThat(take()).containsExactly("[2, 1000, 2000, 1]");
            assertThat(runner.lateRows()).isZero();
        }
    }

    @Test
    void idleInputStopsHoldingBackTheWatermark() {
        Optional<Duration> idle = Optional.of(Duration.ofSeconds(1));
        String a = data("idle-a", false, row(1, 1, 1), row(1, 1, 25));
        String b = data("idle-b", false, row(1, 1, 5));
        UnionAll union = new UnionAll(List.of(stream(a, KV_TS, 2, 0, idle), stream(b, KV_TS, 2, 0, idle)), KV_TS);
        WindowAggregate plan = aggregate(union, WindowSpec.tumble(2, true, 10), List.of(0), List.of(countStar()));
        try (QueryRunner runner = runner(plan, clock, out)) {
            runner.runBatch(); // min(25, 5) = 5
            assertThat(runner.watermarkMillis()).isEqualTo(5);
            clock.set(500);
            append(a, row(1, 1, 28));
            runner.runBatch(); // b quiet for 500 ms < 1 s: still holds the watermark at 5
            assertThat(take()).isEmpty();
            assertThat(runner.watermarkMillis()).isEqualTo(5);
            clock.set(1200);
            append(a, row(1, 1, 30));
            runner.runBatch(); // b idle: the watermark is a's, 30
            assertThat(runner.watermarkMillis()).isEqualTo(30);
            assertThat(take()).containsExactly("[1, 0, 10, 2]", "[1, 20, 30, 2]");
        }
    }
}

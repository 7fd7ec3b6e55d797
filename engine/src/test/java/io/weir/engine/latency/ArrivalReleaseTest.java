package io.weir.engine.latency;

import io.weir.engine.exec.QueryRunner;
import io.weir.engine.plan.GroupAggregate;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.testing.ManualClock;
import io.weir.spi.connector.memory.InMemoryData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.weir.engine.testing.TestPlans.aggregate;
import static io.weir.engine.testing.TestPlans.countStar;
import static io.weir.engine.testing.TestPlans.row;
import static io.weir.engine.testing.TestPlans.runner;
import static io.weir.engine.testing.TestPlans.stream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which micro-batch a record's arrival is released in: the one that emits the first result row it contributes to.
 * Rows (k, v, ts ms); each micro-batch's records arrive as it reads them (the memory source states no arrival).
 */
class ArrivalReleaseTest {
    private final List<String> dataSets = new ArrayList<>();
    private final List<Object[]> out = new ArrayList<>();
    private final ManualClock clock = new ManualClock(0);

    private String data(Object[]... rows) {
        String name = "arrivals-" + System.nanoTime();
        InMemoryData.register(name, List.of(rows), false);
        dataSets.add(name);
        return name;
    }

    @AfterEach
    void unregister() {
        dataSets.forEach(InMemoryData::unregister);
    }

    private static RecordedArrivals run(QueryRunner runner) {
        RecordedArrivals released = new RecordedArrivals();
        runner.runBatch(released);
        return released;
    }

    @Test
    void aTumblingWindowsRecordsAreReleasedWhenItFires() {
        String data = data(row(1, 1, 1_000), row(2, 1, 2_000), row(1, 1, 9_000));
        try (QueryRunner runner = runner(aggregate(stream(data, 0), WindowSpec.tumble(2, true, 10_000), List.of(0),
                List.of(countStar())), clock, out)) {
            long beforeFirst = System.nanoTime();
            assertThat(run(runner).records()).isZero(); // the window [0, 10 s) is open
            long afterFirst = System.nanoTime();
            InMemoryData.append(data, List.<Object[]>of(row(1, 1, 12_000)));
            RecordedArrivals second = run(runner); // the watermark passes 10 s: the window's 3 records have their rows now
            assertThat(out).hasSize(2);
            assertThat(second.records()).isEqualTo(3);
            assertThat(second.allWithin(beforeFirst, afterFirst)).isTrue();
        }
    }

    @Test
    void aHoppingWindowsRecordsAreReleasedWithTheFirstWindowTheyAreIn() {
        // HOP 10 s every 5 s: a row at 6 s is in [0, 10 s) and [5 s, 15 s); its first row comes when 10 s passes
        String data = data(row(1, 1, 6_000));
        try (QueryRunner runner = runner(aggregate(stream(data, 0), WindowSpec.hop(2, true, 5_000, 10_000), List.of(0),
                List.of(countStar())), clock, out)) {
            assertThat(run(runner).records()).isZero();
            InMemoryData.append(data, List.<Object[]>of(row(2, 1, 11_000)));
            assertThat(run(runner).records()).isEqualTo(1); // [0, 10 s) fired with the 6 s row only
            InMemoryData.append(data, List.<Object[]>of(row(2, 1, 16_000)));
            assertThat(run(runner).records()).isEqualTo(1); // [5 s, 15 s): the 11 s row's first; the 6 s row's second
        }
    }

    @Test
    void sessionsReleaseTheirRecordsWhenTheyCloseAfterMerging() {
        String data = data(row(1, 1, 1_000), row(1, 1, 4_000), row(2, 1, 1_000));
        try (QueryRunner runner = runner(aggregate(stream(data, 0), WindowSpec.session(2, true, 5_000), List.of(0),
                List.of(countStar())), clock, out)) {
            assertThat(run(runner).records()).isZero();
            InMemoryData.append(data, List.<Object[]>of(row(3, 1, 7_000))); // key 2's session [1 s, 6 s) closes
            assertThat(run(runner).records()).isEqualTo(1);
            InMemoryData.append(data, List.<Object[]>of(row(3, 1, 9_500))); // key 1's session [1 s, 9 s) closes: its 2 rows
            assertThat(run(runner).records()).isEqualTo(2);
        }
    }

    @Test
    void groupByWithoutAWindowReleasesEveryRecordInTheBatchThatReadIt() {
        String data = data(row(1, 1, 1_000), row(1, 2, 2_000), row(2, 1, 3_000));
        PlanNode events = stream(data, 0);
        PlanNode totals = new GroupAggregate(events, List.of(0), List.of(countStar()),
                GroupAggregate.outputType(events.outputType(), List.of(0), List.of(countStar())));
        try (QueryRunner runner = runner(totals, clock, out)) {
            long before = System.nanoTime();
            RecordedArrivals first = run(runner);
            assertThat(first.records()).isEqualTo(3);
            assertThat(first.allWithin(before, System.nanoTime())).isTrue();
            assertThat(run(runner).records()).isZero();
        }
    }

    @Test
    void aRunWithoutMeasurementsHoldsNothing() {
        String data = data(row(1, 1, 1_000));
        try (QueryRunner runner = runner(aggregate(stream(data, 0), WindowSpec.tumble(2, true, 10_000), List.of(0),
                List.of(countStar())), clock, out)) {
            runner.runBatch(); // ResultArrivals.IGNORED
            InMemoryData.append(data, List.<Object[]>of(row(1, 1, 12_000)));
            assertThat(run(runner).records()).isZero(); // the fired window's record was never held
        }
    }
}

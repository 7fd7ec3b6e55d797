package io.weir.engine.window;

import io.weir.engine.exec.QueryRunner;
import io.weir.engine.plan.Changelog;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.testing.ManualClock;
import io.weir.spi.connector.memory.InMemoryData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.weir.engine.testing.TestPlans.countStar;
import static io.weir.engine.testing.TestPlans.row;
import static io.weir.engine.testing.TestPlans.runner;
import static io.weir.engine.testing.TestPlans.show;
import static io.weir.engine.testing.TestPlans.stream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * EMIT EVERY: a window aggregation that sends its open windows' changed groups once per interval of
 * processing time (the injected clock), followed by the changelog that turns them into INSERT and
 * UPDATE_BEFORE/UPDATE_AFTER rows and forgets a window's rows once it has fired. Rows: op, k,
 * window_start, window_end, count; expected rows worked out by hand in the comments.
 */
class EarlyEmissionTest {
    private final List<String> dataSets = new ArrayList<>();
    private final List<Object[]> out = new ArrayList<>();
    private final ManualClock clock = new ManualClock(0);

    private String data(Object[]... rows) {
        String name = "early-" + System.nanoTime();
        InMemoryData.register(name, List.of(rows), false);
        dataSets.add(name);
        return name;
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

    private static Changelog earlyCounts(String data, WindowSpec window, long everyMillis, long retainMillis) {
        WindowAggregate counts = new WindowAggregate(stream(data, 0), window, List.of(0), List.of(countStar()),
                WindowAggregate.outputType(stream(data, 0).outputType(), List.of(0), List.of(countStar())), true, everyMillis);
        return new Changelog(counts, List.of(0, 1, 2), false, Changelog.outputType(counts.outputType(), false),
                new Changelog.WindowRows(List.of(1, 2), retainMillis, true));
    }

    @Test
    void openWindowsAreSentEachIntervalWhenChangedThenTheirFinalRowWhenTheyClose() {
        String data = data(row(1, 1, 1_000), row(2, 1, 2_000));
        try (QueryRunner runner = runner(earlyCounts(data, WindowSpec.tumble(2, true, 10_000), 5_000, 10_000), clock, out)) {
            runner.runBatch(); // processing time 0: the first batch only sets the first interval's end, 5 s
            assertThat(take()).isEmpty();

            clock.set(3_000);
            InMemoryData.append(data, List.<Object[]>of(row(1, 1, 3_000)));
            runner.runBatch(); // 3 s: within the interval, nothing is sent
            assertThat(take()).isEmpty();

            clock.set(5_000);
            runner.runBatch(); // 5 s: the open window [0 s, 10 s) as it is: key 1 twice, key 2 once
            assertThat(take()).containsExactly("[INSERT, 1, 0, 10000, 2]", "[INSERT, 2, 0, 10000, 1]");

            clock.set(7_000);
            InMemoryData.append(data, List.<Object[]>of(row(1, 1, 4_000)));
            runner.runBatch();
            assertThat(take()).isEmpty();
            clock.set(10_500);
            runner.runBatch(); // 10.5 s: only key 1 changed since 5 s
            assertThat(take()).containsExactly("[UPDATE_BEFORE, 1, 0, 10000, 2]", "[UPDATE_AFTER, 1, 0, 10000, 3]");

            clock.set(11_000);
            InMemoryData.append(data, List.<Object[]>of(row(3, 1, 7_000), row(1, 1, 9_000), row(1, 1, 10_500)));
            // watermark 10.5 s fires [0 s, 10 s), its final rows: key 1 changed again, key 2 as last sent, key 3 is new
            runner.runBatch();
            assertThat(take()).containsExactly("[UPDATE_BEFORE, 1, 0, 10000, 3]", "[UPDATE_AFTER, 1, 0, 10000, 4]",
                    "[INSERT, 3, 0, 10000, 1]");

            clock.set(15_000);
            runner.runBatch(); // the next window, open
            assertThat(take()).containsExactly("[INSERT, 1, 10000, 20000, 1]");

            clock.set(16_000);
            InMemoryData.append(data, List.<Object[]>of(row(2, 1, 25_000)));
            runner.runBatch(); // watermark 25 s fires [10 s, 20 s), unchanged; [0 s, 10 s) is forgotten (10 s + 10 s <= 25 s)
            assertThat(take()).isEmpty();
            assertThat(runner.lateRows()).isZero();
        }
    }

    @Test
    void hopWindowsEachSendTheirOwnChanges() {
        // HOP slide 5 s size 10 s: ts 6 s is in [0 s, 10 s) and [5 s, 15 s)
        String data = data(row(1, 1, 6_000));
        try (QueryRunner runner = runner(earlyCounts(data, WindowSpec.hop(2, true, 5_000, 10_000), 1_000, 20_000), clock, out)) {
            runner.runBatch();
            assertThat(take()).isEmpty();
            clock.set(1_000);
            runner.runBatch();
            assertThat(take()).containsExactly("[INSERT, 1, 0, 10000, 1]", "[INSERT, 1, 5000, 15000, 1]");
            clock.set(2_000);
            InMemoryData.append(data, List.<Object[]>of(row(1, 1, 12_000))); // in [5 s, 15 s) and [10 s, 20 s); fires [0 s, 10 s)
            runner.runBatch();
            assertThat(take()).containsExactly("[UPDATE_BEFORE, 1, 5000, 15000, 1]", "[UPDATE_AFTER, 1, 5000, 15000, 2]",
                    "[INSERT, 1, 10000, 20000, 1]");
        }
    }
}

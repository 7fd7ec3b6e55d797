package io.weir.engine.late;

import io.weir.engine.exec.QueryRunner;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.testing.ManualClock;
import io.weir.spi.connector.memory.InMemoryData;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.weir.engine.testing.TestPlans.aggregate;
import static io.weir.engine.testing.TestPlans.countStar;
import static io.weir.engine.testing.TestPlans.row;
import static io.weir.engine.testing.TestPlans.runner;
import static io.weir.engine.testing.TestPlans.stream;
import static org.assertj.core.api.Assertions.assertThat;

/** Late rows routed to a side output: what is kept of each, and how many for how long. */
class LateRowLogTest {
    private final ManualClock clock = new ManualClock(1_000_000);

    @Test
    void aWindowAggregationSendsItsLateRowsWithTheWatermarkTheyMissed() {
        String data = "late-log-" + System.nanoTime();
        InMemoryData.register(data, List.of(row(1, 1, 1), row(2, 1, 12)), false);
        try {
            LateRowLog log = new LateRowLog(100, Duration.ofHours(1), clock);
            WindowAggregate plan = aggregate(stream(data, 0), WindowSpec.tumble(2, true, 10), List.of(0), List.of(countStar()));
            List<Object[]> out = new ArrayList<>();
            try (QueryRunner runner = runner(plan, clock, out)) {
                runner.routeLateRows(new LateRowRouter("q1", "s", log));
                runner.runBatch(); // watermark 12 fires [0, 10)
                clock.advance(5);
                InMemoryData.append(data, List.<Object[]>of(row(3, 7, 4))); // late
                runner.runBatch();
                assertThat(runner.lateRows()).isEqualTo(1);
            }
            assertThat(log.rows()).singleElement().satisfies(late -> {
                assertThat(late.queryId()).isEqualTo("q1");
                assertThat(late.streams()).isEqualTo("s");
                // the row as the aggregation reads it: here straight from the stream
                assertThat(late.row()).isEqualTo("{\"k\": 3, \"v\": 7, \"ts\": \"1970-01-01 00:00:00.004\"}");
                assertThat(late.eventTime()).isEqualTo(4);
                assertThat(late.watermark()).isEqualTo(12);
                assertThat(late.arrivedAt()).isEqualTo(1_000_005);
            });
        } finally {
            InMemoryData.unregister(data);
        }
    }

    @Test
    void keepsTheLatestRowsForTheRetention() {
        LateRowLog log = new LateRowLog(2, Duration.ofSeconds(10), clock);
        log.add(new LateRow("q", "s", "{}", 1, 0, 1_000_000));
        log.add(new LateRow("q", "s", "{}", 2, 0, 1_000_000));
        log.add(new LateRow("q", "s", "{}", 3, 0, 1_005_000));
        assertThat(log.rows()).extracting(LateRow::eventTime).containsExactly(2L, 3L);
        clock.set(1_010_001);
        assertThat(log.rows()).extracting(LateRow::eventTime).containsExactly(3L);
        assertThat(log.dropped()).isEqualTo(2);
    }
}

package io.weir.engine.latency;

import io.weir.spi.batch.Batch;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Records held by the time their results come, released when the progress passes it; long windows stay bounded. */
class ArrivalLedgerTest {
    @Test
    void releasesTheRecordsOfEveryThresholdPassedAndKeepsTheOthers() {
        ArrivalLedger ledger = new ArrivalLedger();
        ledger.hold(1_000, 5, 10); // a window firing at 1000: 10 records arrived at 5, 2 at 7
        ledger.hold(1_000, 7, 2);
        ledger.hold(2_000, 8, 4);
        ledger.hold(2_000, Batch.ARRIVAL_UNKNOWN, 100); // rows of no known arrival are not held
        RecordedArrivals released = new RecordedArrivals();
        ledger.releaseThrough(999, released);
        assertThat(released.runs).isEmpty();
        ledger.releaseThrough(1_500, released);
        assertThat(released.runs).containsExactly(new long[] {5, 10}, new long[] {7, 2});
        assertThat(ledger.records()).isEqualTo(4);
        ledger.move(2_000, 3_000); // e.g. a session merged into a later one
        ledger.releaseThrough(2_500, released);
        assertThat(released.records()).isEqualTo(12);
        ledger.releaseAll(released);
        assertThat(released.records()).isEqualTo(16);
        assertThat(ledger.thresholds()).isZero();
    }

    @Test
    void aLongWindowKeepsABoundedNumberOfRunsAndEveryRecord() {
        ArrivalRuns runs = new ArrivalRuns();
        long records = 0;
        for (int chunk = 0; chunk < 100_000; chunk++) {
            runs.add(chunk * 1_000L, 3); // one chunk every microsecond for a long window
            records += 3;
        }
        assertThat(runs.size()).isLessThanOrEqualTo(ArrivalRuns.MAX_RUNS);
        long total = 0;
        for (int run = 0; run < runs.size(); run++) {
            total += runs.records(run);
            if (run > 0) {
                assertThat(runs.arrival(run)).isGreaterThan(runs.arrival(run - 1)); // still in arrival order
            }
        }
        assertThat(total).isEqualTo(records);
        // the newest arrivals (the shortest latencies) stay exact
        assertThat(runs.arrival(runs.size() - 1)).isEqualTo(99_999 * 1_000L);
    }

    @Test
    void theBatchesCarryTheMeanArrivalTheirReaderStated() {
        io.weir.spi.batch.BatchBuilder builder = new io.weir.spi.batch.BatchBuilder(
                List.of(new io.weir.spi.type.DataType.Field("x", io.weir.spi.type.DataType.of(io.weir.spi.type.TypeKind.BIGINT))));
        for (int i = 0; i < 4; i++) {
            builder.setLong(0, i);
            builder.commitRow();
        }
        builder.arrived(1_000, 3);
        builder.arrived(2_000, 1);
        Batch batch = builder.build();
        assertThat(batch.arrivalNanos()).isEqualTo(1_250);
        assertThat(batch.select(new int[] {1, 2}, 2, null).arrivalNanos()).isEqualTo(1_250);
        builder.setLong(0, 9);
        builder.commitRow();
        assertThat(builder.build().arrivalNanos()).isEqualTo(Batch.ARRIVAL_UNKNOWN); // the next batch's reader said nothing
    }
}

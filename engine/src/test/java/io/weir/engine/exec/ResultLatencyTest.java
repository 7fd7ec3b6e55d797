package io.weir.engine.exec;

import io.weir.engine.latency.LatencyPercentiles;
import io.weir.engine.latency.ResultArrivals;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Each delivered row counts from its batch's start; percentiles cover the last one to two minutes. */
class ResultLatencyTest {
    private static final long MS = 1_000_000L;
    private static final long MINUTE = 60_000 * MS;
    private static final ResultArrivals NONE = new ResultArrivals();

    @Test
    void rowsCountFromTheStartOfTheirBatchInQueueOrder() {
        ResultLatency latency = new ResultLatency(0);
        assertThat(latency.percentiles(0)).isEqualTo(LatencyPercentiles.NONE);
        for (int i = 0; i < 98; i++) {
            latency.queued(100 * MS, NONE); // a batch started at 100 ms
        }
        latency.queued(200 * MS, NONE); // two rows of a later batch
        latency.queued(200 * MS, NONE);
        latency.delivered(97, 210 * MS); // taken at 210 ms: 97 rows waited 110 ms
        latency.delivered(3, 220 * MS); // and at 220 ms: one row 120 ms, two rows of the later batch 20 ms
        LatencyPercentiles percentiles = latency.percentiles(220 * MS);
        assertThat(percentiles.p50Millis()).isCloseTo(110, within(1.0));
        assertThat(percentiles.p99Millis()).isCloseTo(110, within(1.0));
        assertThat(percentiles.maxMillis()).isCloseTo(120, within(1.0));
        latency.delivered(5, 300 * MS); // nothing queued: nothing recorded
        assertThat(latency.percentiles(300 * MS).p50Millis()).isCloseTo(110, within(1.0));
        assertThat(latency.percentiles(300 * MS).maxMillis()).isCloseTo(120, within(1.0));
    }

    @Test
    void oldFiguresAgeOutAfterOneToTwoMinutes() {
        ResultLatency latency = new ResultLatency(0);
        latency.queued(0, NONE);
        latency.delivered(1, 500 * MS); // 500 ms, in the first minute
        latency.queued(MINUTE + MS, NONE);
        latency.delivered(1, MINUTE + 21 * MS); // 20 ms, in the second minute: both count
        assertThat(latency.percentiles(MINUTE + 30 * MS).maxMillis()).isCloseTo(500, within(5.0));
        // in the third minute the first minute's figures are gone
        latency.queued(2 * MINUTE + 2 * MS, NONE);
        latency.delivered(1, 2 * MINUTE + 32 * MS);
        LatencyPercentiles third = latency.percentiles(2 * MINUTE + 40 * MS);
        assertThat(third.maxMillis()).isCloseTo(30, within(1.0));
        assertThat(third.p50Millis()).isCloseTo(20, within(1.0));
        // nothing for minutes: nothing known
        assertThat(latency.percentiles(10 * MINUTE)).isEqualTo(LatencyPercentiles.NONE);
    }

    @Test
    void recordsCountFromTheirArrivalToTheFirstRowOfTheirBatchHandedOut() {
        ResultLatency latency = new ResultLatency(0);
        ResultArrivals first = new ResultArrivals();
        first.contributed(20 * MS, 3); // a window's records: 3 arrived at 20 ms, 1 at 90 ms
        first.contributed(90 * MS, 1);
        latency.queued(100 * MS, first); // its one row
        ResultArrivals second = new ResultArrivals();
        second.contributed(150 * MS, 4); // a later batch's 4 records, whose rows are not taken yet
        latency.queued(200 * MS, second);
        latency.delivered(1, 120 * MS);
        LatencyPercentiles endToEnd = latency.endToEndPercentiles(120 * MS);
        assertThat(endToEnd.p50Millis()).isCloseTo(100, within(1.0));
        assertThat(endToEnd.maxMillis()).isCloseTo(100, within(1.0));
        assertThat(latency.percentiles(120 * MS).maxMillis()).isCloseTo(20, within(1.0)); // the result latency
        latency.delivered(1, 260 * MS);
        endToEnd = latency.endToEndPercentiles(260 * MS);
        assertThat(endToEnd.p50Millis()).isCloseTo(100, within(1.0)); // 1 of 30 ms, 3 of 100 ms, 4 of 110 ms
        assertThat(endToEnd.p99Millis()).isCloseTo(110, within(1.5));
        // records whose batch produced no row handed out are not measured
        ResultArrivals unseen = new ResultArrivals();
        unseen.contributed(300 * MS, 1000);
        latency.delivered(1, 400 * MS);
        assertThat(latency.endToEndPercentiles(400 * MS).maxMillis()).isCloseTo(110, within(1.5));
    }

    @Test
    void rowsHandedToASinkCountWhenTheirBatchWroteThem() {
        ResultLatency latency = new ResultLatency(0);
        ResultArrivals arrivals = new ResultArrivals();
        arrivals.contributed(10 * MS, 5);
        latency.written(50 * MS, arrivals, 2, 80 * MS);
        assertThat(latency.percentiles(80 * MS).p50Millis()).isCloseTo(30, within(1.0));
        assertThat(latency.endToEndPercentiles(80 * MS).p50Millis()).isCloseTo(70, within(1.0));
        latency.written(90 * MS, new ResultArrivals(), 0, 95 * MS); // a batch that wrote nothing
        assertThat(latency.percentiles(95 * MS).maxMillis()).isCloseTo(30, within(1.0));
    }

    @Test
    void droppedRowsAreNotCounted() {
        ResultLatency latency = new ResultLatency(0);
        latency.queued(0, NONE);
        latency.clear();
        latency.delivered(1, MS);
        assertThat(latency.percentiles(MS)).isEqualTo(LatencyPercentiles.NONE);
    }
}

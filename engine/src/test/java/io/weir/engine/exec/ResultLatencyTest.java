package io.weir.engine.exec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Each delivered row counts from its batch's start; percentiles cover the last one to two minutes. */
class ResultLatencyTest {
    private static final long MS = 1_000_000L;
    private static final long MINUTE = 60_000 * MS;

    @Test
    void rowsCountFromTheStartOfTheirBatchInQueueOrder() {
        ResultLatency latency = new ResultLatency(0);
        assertThat(latency.percentiles(0)).isEqualTo(LatencyPercentiles.NONE);
        for (int i = 0; i < 98; i++) {
            latency.queued(100 * MS); // a batch started at 100 ms
        }
        latency.queued(200 * MS); // two rows of a later batch
        latency.queued(200 * MS);
        for (int i = 0; i < 100; i++) {
            latency.delivered(210 * MS); // all taken at 210 ms: 98 rows waited 110 ms, 2 rows 10 ms
        }
        LatencyPercentiles percentiles = latency.percentiles(210 * MS);
        assertThat(percentiles.p50Millis()).isCloseTo(110, within(1.0));
        assertThat(percentiles.p99Millis()).isCloseTo(110, within(1.0));
        assertThat(percentiles.maxMillis()).isCloseTo(110, within(1.0));
        latency.delivered(300 * MS); // nothing queued: nothing recorded
        assertThat(latency.percentiles(300 * MS).p50Millis()).isCloseTo(110, within(1.0));
    }

    @Test
    void oldFiguresAgeOutAfterOneToTwoMinutes() {
        ResultLatency latency = new ResultLatency(0);
        latency.queued(0);
        latency.delivered(500 * MS); // 500 ms, in the first minute
        latency.queued(MINUTE + MS);
        latency.delivered(MINUTE + 21 * MS); // 20 ms, in the second minute: both count
        assertThat(latency.percentiles(MINUTE + 30 * MS).maxMillis()).isCloseTo(500, within(5.0));
        // in the third minute the first minute's figures are gone
        latency.queued(2 * MINUTE + 2 * MS);
        latency.delivered(2 * MINUTE + 32 * MS);
        LatencyPercentiles third = latency.percentiles(2 * MINUTE + 40 * MS);
        assertThat(third.maxMillis()).isCloseTo(30, within(1.0));
        assertThat(third.p50Millis()).isCloseTo(20, within(1.0));
        // nothing for minutes: nothing known
        assertThat(latency.percentiles(10 * MINUTE)).isEqualTo(LatencyPercentiles.NONE);
    }

    @Test
    void droppedRowsAreNotCounted() {
        ResultLatency latency = new ResultLatency(0);
        latency.queued(0);
        latency.clear();
        latency.delivered(MS);
        assertThat(latency.percentiles(MS)).isEqualTo(LatencyPercentiles.NONE);
    }
}

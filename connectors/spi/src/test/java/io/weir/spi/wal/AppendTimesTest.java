package io.weir.spi.wal;

import io.weir.spi.batch.Batch;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The arrival of each of the newest appends, by offset; older offsets have none, up to the oldest append kept. */
class AppendTimesTest {
    @Test
    void findsTheAppendOfAnOffset() {
        AppendTimes times = new AppendTimes();
        times.appended(10, 13, 1_000);
        times.appended(13, 14, 2_000);
        times.appended(20, 25, 3_000); // offsets 14..19 were appended before the server started
        assertThat(times.of(10)).isEqualTo(new AppendTimes.Append(10, 13, 1_000));
        assertThat(times.of(12).nanos()).isEqualTo(1_000);
        assertThat(times.of(13)).isEqualTo(new AppendTimes.Append(13, 14, 2_000));
        assertThat(times.of(24).nanos()).isEqualTo(3_000);
        assertThat(times.of(5)).isEqualTo(new AppendTimes.Append(5, 10, Batch.ARRIVAL_UNKNOWN));
        assertThat(times.of(15)).isEqualTo(new AppendTimes.Append(15, 20, Batch.ARRIVAL_UNKNOWN));
        assertThat(times.of(25)).isEqualTo(new AppendTimes.Append(25, Long.MAX_VALUE, Batch.ARRIVAL_UNKNOWN));
    }

    @Test
    void keepsOnlyTheNewestAppends() {
        AppendTimes times = new AppendTimes();
        for (long i = 0; i < AppendTimes.CAPACITY + 10; i++) {
            times.appended(2 * i, 2 * i + 2, 100 + i);
        }
        assertThat(times.of(0).nanos()).isEqualTo(Batch.ARRIVAL_UNKNOWN);
        assertThat(times.of(19).nanos()).isEqualTo(Batch.ARRIVAL_UNKNOWN);
        assertThat(times.of(20).nanos()).isEqualTo(110);
        long last = AppendTimes.CAPACITY + 9;
        assertThat(times.of(2 * last + 1)).isEqualTo(new AppendTimes.Append(2 * last, 2 * last + 2, 100 + last));
    }
}

package io.weir.engine.state;

import io.weir.engine.plan.WindowSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** How many windows (or shared slices) hold state at once, as EXPLAIN estimates it. */
class StateEstimatesTest {
    @Test
    void openWindowsAreTheSizePlusTheWatermarkDelayInSlides() {
        assertThat(StateEstimates.openWindows(WindowSpec.tumble(0, true, 10_000), Duration.ZERO)).isEqualTo(1);
        assertThat(StateEstimates.openWindows(WindowSpec.tumble(0, true, 10_000), Duration.ofSeconds(2))).isEqualTo(2);
        assertThat(StateEstimates.openWindows(WindowSpec.tumble(0, true, 1_000), Duration.ofSeconds(5))).isEqualTo(6);
        assertThat(StateEstimates.openWindows(WindowSpec.hop(0, true, 2_000, 10_000), Duration.ofSeconds(2))).isEqualTo(6);
        assertThat(StateEstimates.openWindows(WindowSpec.cumulate(0, true, 10_000, 60_000), Duration.ofSeconds(5))).isEqualTo(7);
        assertThat(StateEstimates.openWindows(WindowSpec.tumble(0, false, 10_000), Duration.ofSeconds(30)))
                .as("processing time: no watermark to wait for").isEqualTo(1);
    }
}

package io.weir.engine.operator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WatermarkTest {
    @Test
    void activeInputsDecideAndIdleOrFinishedOnesDoNotHoldBack() {
        assertThat(Watermark.combine(Watermark.active(10), Watermark.active(4))).isEqualTo(Watermark.active(4));
        assertThat(Watermark.combine(Watermark.active(10), new Watermark(4, true))).isEqualTo(Watermark.active(10));
        assertThat(Watermark.combine(Watermark.active(10), Watermark.FINISHED)).isEqualTo(Watermark.active(10));
    }

    @Test
    void allIdleTakesTheMostAdvancedAndAllFinishedIsFinished() {
        assertThat(Watermark.combine(new Watermark(10, true), new Watermark(4, true)))
                .isEqualTo(new Watermark(10, true));
        // A finished input is at +infinity; idle inputs do not hold it back (a bounded file UNION ALL a quiet stream).
        assertThat(Watermark.combine(new Watermark(10, true), new Watermark(Long.MIN_VALUE, true), Watermark.FINISHED))
                .isEqualTo(Watermark.FINISHED);
        assertThat(Watermark.combine(Watermark.FINISHED, Watermark.FINISHED)).isEqualTo(Watermark.FINISHED);
    }
}

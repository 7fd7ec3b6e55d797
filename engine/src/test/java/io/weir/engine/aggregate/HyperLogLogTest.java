package io.weir.engine.aggregate;

import io.weir.engine.state.KeyHashing;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HyperLogLogTest {
    @Test
    void smallSetsAreCountedExactly() {
        HyperLogLog sketch = new HyperLogLog();
        for (int repeat = 0; repeat < 3; repeat++) {
            for (long value = 0; value < 200; value++) {
                sketch.add(KeyHashing.hashLong(value));
            }
        }
        assertThat(sketch.estimate()).isEqualTo(200);
    }

    @Test
    void largeSetsAreEstimatedWithinAFewPercentInBoundedMemory() {
        HyperLogLog sketch = new HyperLogLog();
        for (long value = 0; value < 100_000; value++) {
            sketch.add(KeyHashing.hashLong(value));
        }
        assertThat((double) sketch.estimate()).isCloseTo(100_000, within(5_000.0));
        assertThat(sketch.bytes()).isEqualTo(HyperLogLog.REGISTERS);
    }

    @Test
    void mergingSketchesCountsTheUnion() {
        HyperLogLog left = new HyperLogLog();
        HyperLogLog right = new HyperLogLog();
        for (long value = 0; value < 30_000; value++) {
            left.add(KeyHashing.hashLong(value));
            right.add(KeyHashing.hashLong(value + 15_000));
        }
        HyperLogLog small = new HyperLogLog();
        small.add(KeyHashing.hashLong(-1));
        left.merge(right);
        left.merge(small);
        assertThat((double) left.estimate()).isCloseTo(45_001, within(2_500.0));
    }
}

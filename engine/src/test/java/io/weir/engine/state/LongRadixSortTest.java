package io.weir.engine.state;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The radix sort orders as a stable comparison sort by the same columns does, equal keys keeping their order. */
class LongRadixSortTest {
    @Test
    void ordersByColumnsNullsFirstKeepingTheOrderOfEqualKeys() {
        Random random = new Random(3);
        int count = 10_000;
        long[][] values = new long[2][count];
        boolean[][] nulls = new boolean[2][count];
        long[] extremes = {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE};
        for (int i = 0; i < count; i++) {
            values[0][i] = extremes[random.nextInt(extremes.length)];
            nulls[0][i] = random.nextInt(8) == 0;
            values[1][i] = random.nextInt(5) - 2; // many equal pairs: their order must stay that of the input
            nulls[1][i] = random.nextInt(6) == 0;
        }
        int[] input = new int[count];
        for (int i = 0; i < count; i++) {
            input[i] = count - 1 - i; // not ascending, so that keeping the input order is visible
        }
        int[] expected = input.clone();
        IntSorter.sort(expected, count, (left, right) -> {
            for (int column = 0; column < 2; column++) {
                int order = nulls[column][left] || nulls[column][right]
                        ? Boolean.compare(nulls[column][right], nulls[column][left])
                        : Long.compare(values[column][left], values[column][right]);
                if (order != 0) {
                    return order;
                }
            }
            return 0;
        });

        LongRadixSort radix = new LongRadixSort(input, count);
        radix.sortBy(values[1], nulls[1]);
        radix.sortBy(values[0], nulls[0]);

        assertThat(radix.entries()).containsExactly(expected);
    }

    @Test
    void aColumnOfOneValueOrAllNullLeavesTheOrder() {
        int[] input = {4, 2, 0, 3, 1};
        LongRadixSort radix = new LongRadixSort(input.clone(), input.length);
        radix.sortBy(new long[] {7, 7, 7, 7, 7}, new boolean[5]);
        radix.sortBy(new long[5], new boolean[] {true, true, true, true, true});
        assertThat(radix.entries()).containsExactly(input);
    }
}

package io.weir.engine.window;

import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.AggregateKind;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.state.KeyGroupRange;
import io.weir.engine.testing.MicroBatchDriver;
import io.weir.engine.testing.MicroBatchDriver.MicroBatch;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static io.weir.engine.testing.TestPlans.row;
import static io.weir.engine.testing.TestPlans.stream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * HOP windows kept as shared slices give exactly the rows (in the same order) and late-row counts of a
 * table per window: for slides that divide the size and that do not (slices of their gcd), a slide
 * longer than the size (rows between windows), late and out-of-order rows, NULL keys and times, every
 * exact aggregate (floating-point sums are merged in another order, so they are left out), and a
 * restore of the sliced state in the middle.
 */
class HopSlicesTest {
    private static final List<DataType.Field> ROWS = List.of(
            new DataType.Field("k", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("v", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("ts", DataType.timestamp(3)),
            new DataType.Field("s", DataType.of(TypeKind.VARCHAR)),
            new DataType.Field("d", DataType.decimal(10, 2)),
            new DataType.Field("x", DataType.of(TypeKind.DOUBLE)),
            new DataType.Field("f", DataType.of(TypeKind.BOOLEAN)));
    private static final DataType BIGINT = DataType.of(TypeKind.BIGINT);
    private static final List<AggregateCall> AGGREGATES = List.of(
            new AggregateCall(AggregateKind.COUNT, -1, false, -1, BIGINT.withNullable(false), "cnt"),
            new AggregateCall(AggregateKind.COUNT, -1, false, 6, BIGINT.withNullable(false), "cnt_f"),
            new AggregateCall(AggregateKind.SUM, 1, false, -1, BIGINT, "sum_v"),
            new AggregateCall(AggregateKind.COUNT, 1, true, -1, BIGINT, "distinct_v"),
            new AggregateCall(AggregateKind.COUNT, 3, true, -1, BIGINT, "distinct_s"),
            new AggregateCall(AggregateKind.APPROX_COUNT_DISTINCT, 3, false, -1, BIGINT, "approx_s"),
            new AggregateCall(AggregateKind.MIN, 3, false, -1, DataType.of(TypeKind.VARCHAR), "min_s"),
            new AggregateCall(AggregateKind.MAX, 3, false, -1, DataType.of(TypeKind.VARCHAR), "max_s"),
            new AggregateCall(AggregateKind.MIN, 2, false, -1, DataType.timestamp(3), "min_ts"),
            new AggregateCall(AggregateKind.MAX, 5, false, -1, DataType.of(TypeKind.DOUBLE), "max_x"),
            new AggregateCall(AggregateKind.SUM, 4, false, -1, DataType.decimal(19, 2), "sum_d"),
            new AggregateCall(AggregateKind.AVG, 4, false, -1, DataType.decimal(10, 2), "avg_d"),
            new AggregateCall(AggregateKind.AVG, 1, false, -1, BIGINT, "avg_v"));

    @ParameterizedTest(name = "HOP slide {0} size {1}, keyed by {2}")
    @CsvSource({"10, 30, k", "4, 10, k", "7, 7, k", "15, 10, k", "6, 20, s", "5, 60, k+s"})
    void slicesGiveTheRowsOfATablePerWindow(long slide, long size, String keys) {
        List<Integer> keyColumns = switch (keys) {
            case "k" -> List.of(0);
            case "s" -> List.of(3);
            default -> List.of(0, 3);
        };
        WindowAggregate plan = new WindowAggregate(stream("unused", ROWS, 2, 0, Optional.empty()), WindowSpec.hop(2, true, slide, size),
                keyColumns, AGGREGATES, WindowAggregate.outputType(ROWS, keyColumns, AGGREGATES));
        MicroBatchDriver driver = new MicroBatchDriver(List.of(ROWS));
        for (long seed = 0; seed < 6; seed++) {
            List<MicroBatch> batches = batches(seed * 31 + slide * 7 + size);
            WindowAggregateOperator perWindow = new WindowAggregateOperator(plan, false);
            List<List<String>> expected = driver.run(perWindow, batches);
            expected.add(MicroBatchDriver.finish(perWindow));
            assertThat(expected.stream().mapToInt(List::size).sum()).isPositive();

            WindowAggregateOperator sliced = new WindowAggregateOperator(plan);
            List<List<String>> actual = driver.run(sliced, batches);
            actual.add(MicroBatchDriver.finish(sliced));
            assertThat(actual).as("seed %d", seed).isEqualTo(expected);
            assertThat(sliced.lateRows()).isEqualTo(perWindow.lateRows()).isPositive();

            // the same across a restore of the slices after batch k
            int k = 2 + (int) (seed % 4);
            WindowAggregateOperator first = new WindowAggregateOperator(plan);
            driver.run(first, batches.subList(0, k));
            WindowAggregateOperator restored = new WindowAggregateOperator(plan);
            restored.restore(first.snapshot(), KeyGroupRange.ALL);
            List<List<String>> rest = driver.run(restored, batches.subList(k, batches.size()));
            rest.add(MicroBatchDriver.finish(restored));
            assertThat(rest).as("seed %d restored after batch %d", seed, k).isEqualTo(expected.subList(k, expected.size()));
        }
    }

    /** Ten micro-batches, mostly rising times with some late ones, NULLs in every column. */
    private static List<MicroBatch> batches(long seed) {
        Random random = new Random(seed);
        String[] words = {"apple", "pear", "fig", "kiwi", "日本", ""};
        List<MicroBatch> batches = new ArrayList<>();
        long maxTime = Long.MIN_VALUE;
        for (int b = 0; b < 10; b++) {
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                long ts = b * 25L + random.nextInt(40) - 10;
                if (b > 0 && i % 9 == 0) {
                    ts -= 50 + random.nextInt(30); // behind the watermark: late for some or all of its windows
                }
                rows.add(row(
                        random.nextInt(25) == 0 ? null : (long) random.nextInt(7),
                        random.nextInt(20) == 0 ? null : (long) random.nextInt(100) - 50,
                        random.nextInt(50) == 0 ? null : ts,
                        random.nextInt(15) == 0 ? null : words[random.nextInt(words.length)],
                        random.nextInt(15) == 0 ? null : BigDecimal.valueOf(random.nextInt(100000) - 50000, 2),
                        random.nextInt(15) == 0 ? null : random.nextGaussian() * 1e3,
                        random.nextInt(10) == 0 ? null : random.nextBoolean()));
                if (rows.get(rows.size() - 1)[2] != null) {
                    maxTime = Math.max(maxTime, (Long) rows.get(rows.size() - 1)[2]);
                }
            }
            batches.add(MicroBatch.single(rows, Watermark.active(maxTime - 5), b * 25L));
        }
        return batches;
    }
}

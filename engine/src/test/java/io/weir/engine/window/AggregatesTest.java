package io.weir.engine.window;

import io.weir.engine.exec.QueryRunner;
import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.AggregateKind;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.testing.ManualClock;
import io.weir.spi.connector.memory.InMemoryData;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static io.weir.engine.testing.TestPlans.aggregate;
import static io.weir.engine.testing.TestPlans.row;
import static io.weir.engine.testing.TestPlans.runner;
import static io.weir.engine.testing.TestPlans.stream;
import static org.assertj.core.api.Assertions.assertThat;

/** Every aggregate, DISTINCT and FILTER over one tumbling window, against values worked out by hand. */
class AggregatesTest {
    private static final DataType INT = DataType.of(TypeKind.INTEGER);
    private static final DataType BIGINT = DataType.of(TypeKind.BIGINT).withNullable(false);
    private static final DataType DOUBLE = DataType.of(TypeKind.DOUBLE);
    private static final DataType DEC = DataType.decimal(10, 2);
    private static final List<DataType.Field> SCHEMA = List.of(
            new DataType.Field("k", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("v", INT),
            new DataType.Field("d", DOUBLE),
            new DataType.Field("ts", DataType.timestamp(3)),
            new DataType.Field("flag", DataType.of(TypeKind.BOOLEAN)),
            new DataType.Field("dec", DEC),
            new DataType.Field("s", DataType.varchar()));

    private static AggregateCall call(AggregateKind kind, int argument, boolean distinct, int filter, DataType type) {
        return new AggregateCall(kind, argument, distinct, filter, type, kind + "_" + argument);
    }

    @Test
    void everyAggregateMatchesHandComputedValues() {
        String data = "aggregates-" + System.nanoTime();
        InMemoryData.register(data, List.of(
                row(1, 1, 1.5, 0, true, new BigDecimal("1.10"), "b"),
                row(1, 2, 2.5, 1, false, new BigDecimal("2.25"), "a"),
                row(1, 2, null, 2, true, null, "c"),
                row(1, null, 4.0, 3, null, null, null),
                row(1, 5, 0.5, 4, true, null, "a"),
                row(2, 7, null, 3, false, null, null)), true);
        List<AggregateCall> calls = List.of(
                call(AggregateKind.COUNT, -1, false, -1, BIGINT),
                call(AggregateKind.COUNT, 1, false, -1, BIGINT),
                call(AggregateKind.COUNT, 1, true, -1, BIGINT),
                call(AggregateKind.SUM, 1, false, -1, INT),
                call(AggregateKind.SUM, 1, true, -1, INT),
                call(AggregateKind.MIN, 1, false, -1, INT),
                call(AggregateKind.MAX, 1, false, -1, INT),
                call(AggregateKind.AVG, 1, false, -1, INT),
                call(AggregateKind.AVG, 2, false, -1, DOUBLE),
                call(AggregateKind.VAR_POP, 1, false, -1, INT),
                call(AggregateKind.VAR_SAMP, 1, false, -1, INT),
                call(AggregateKind.STDDEV_POP, 2, false, -1, DOUBLE),
                call(AggregateKind.STDDEV_SAMP, 2, false, -1, DOUBLE),
                call(AggregateKind.APPROX_COUNT_DISTINCT, 1, false, -1, BIGINT),
                call(AggregateKind.COUNT, -1, false, 4, BIGINT),
                call(AggregateKind.SUM, 1, false, 4, INT),
                call(AggregateKind.SUM, 5, false, -1, DataType.decimal(38, 2)),
                call(AggregateKind.AVG, 5, false, -1, DEC),
                call(AggregateKind.MIN, 6, false, -1, DataType.varchar()),
                call(AggregateKind.MAX, 6, false, -1, DataType.varchar()));
        WindowAggregate plan = aggregate(stream(data, SCHEMA, 3, 0, Optional.empty()), WindowSpec.tumble(3, true, 10),
                List.of(0), calls);
        List<Object[]> out = new ArrayList<>();
        try (QueryRunner runner = runner(plan, new ManualClock(0), out)) {
            runner.runBatch();
        } finally {
            InMemoryData.unregister(data);
        }
        // key 1: v = 1, 2, 2, NULL, 5; d = 1.5, 2.5, NULL, 4.0, 0.5; FILTER true on rows 1, 3, 5
        // VAR_POP(v) integer: (34 - 10*10/4) / 4 = 9/4 = 2; VAR_SAMP: 9/3 = 3
        // d: sum 8.5, squares 24.75, n 4: (24.75 - 8.5*8.5/4) = 6.6875
        double d = 24.75 - 8.5 * 8.5 / 4;
        List<Object> expected1 = Arrays.asList(1L, 0L, 10L, 5L, 4L, 3L, 10L, 8L, 1L, 5L, 2L, 2.125, 2L, 3L,
                Math.pow(d / 4, 0.5), Math.pow(d / 3, 0.5), 3L, 3L, 8L, new BigDecimal("3.35"), new BigDecimal("1.68"),
                "a", "c");
        List<Object> expected2 = Arrays.asList(2L, 0L, 10L, 1L, 1L, 1L, 7L, 7L, 7L, 7L, 7L, null, 0L, null,
                null, null, 1L, 0L, null, null, null, null, null);
        assertThat(out).hasSize(2);
        assertThat(Arrays.asList(out.get(0))).isEqualTo(expected1);
        assertThat(Arrays.asList(out.get(1))).isEqualTo(expected2);
    }
}

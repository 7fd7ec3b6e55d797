package io.weir.engine.operator;

import io.weir.engine.aggregate.UserAggregate;
import io.weir.engine.exec.QueryRunner;
import io.weir.engine.parallel.ParallelQueryRunner;
import io.weir.engine.parallel.WorkerPool;
import io.weir.engine.sink.SinkOpener;
import io.weir.engine.source.SourceOpener;
import io.weir.engine.source.SourceStatistics;
import io.weir.engine.expression.BatchProjection;
import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.AggregateKind;
import io.weir.engine.plan.Calc;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.testing.ManualClock;
import io.weir.engine.testing.TestPlans;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorServices;
import io.weir.spi.connector.memory.InMemoryData;
import io.weir.spi.error.InMemoryDeadLetterSink;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A user-defined function failing on a row names where the row was read, in a projection and in an aggregation. */
class FunctionFailurePositionTest {
    private final String input = "failing-" + UUID.randomUUID();
    private final ManualClock clock = new ManualClock(0);

    @AfterEach
    void unregister() {
        InMemoryData.unregister(input);
    }

    private void rows(long... values) {
        List<Object[]> rows = new ArrayList<>();
        for (long value : values) {
            rows.add(new Object[] {1L, value, Instant.ofEpochMilli(value)});
        }
        InMemoryData.register(input, rows, true);
    }

    /** What a compiled call of a function that fails on values above 5 throws. */
    private static WeirException failure(long value) {
        return new WeirException(ErrorCode.FUNCTION_FAILED, "Function picky(BIGINT) failed on the row with arguments ("
                + value + "): java.lang.IllegalArgumentException: too big");
    }

    @Test
    void aProjectionNamesTheRowItFailedOn() {
        rows(1, 2, 7, 3);
        PlanNode source = TestPlans.stream(input, 0);
        BatchProjection picky = (batch, selection, count, context, out) -> {
            for (int i = 0; i < count; i++) {
                long value = (Long) batch.value(1, selection[i]);
                if (value > 5) {
                    throw failure(value);
                }
                out.setLong(0, value);
                out.commitRow();
            }
        };
        Calc calc = new Calc(source, Optional.empty(), picky, List.of(new DataType.Field("p", DataType.of(TypeKind.BIGINT))),
                -1, "picky(v) AS p");
        QueryRunner runner = TestPlans.runner(calc, clock, new ArrayList<>());
        assertThatThrownBy(runner::runBatch).isInstanceOf(WeirException.class)
                .hasMessageContaining("failed on the row with arguments (7)")
                .hasMessageEndingWith("The row was read from stream '" + input + "', in-memory data set '" + input
                        + "' at offset 2.");
        runner.close();
    }

    @Test
    void anAggregationNamesTheRowsOfTheBatchItFailedOn() {
        rows(1, 2, 7, 3);
        PlanNode source = TestPlans.stream(input, 0);
        UserAggregate picky = pickyAggregate();
        AggregateCall call = new AggregateCall(AggregateKind.USER, 1, false, -1, DataType.of(TypeKind.BIGINT), "p", picky);
        QueryRunner runner = TestPlans.runner(TestPlans.aggregate(source, WindowSpec.tumble(2, true, 1_000), List.of(0),
                List.of(call)), clock, new ArrayList<>());
        assertThatThrownBy(runner::runBatch).isInstanceOf(WeirException.class)
                .hasMessageStartingWith("Aggregate function picky failed in add(7).")
                .hasMessageEndingWith("The row is one of those read from stream '" + input + "', in-memory data set '" + input
                        + "' offsets 0 to 3.");
        runner.close();
    }

    /** At parallelism 2 the rows reach the aggregation through an exchange, which keeps where its producer read them. */
    @Test
    void anAggregationBehindAnExchangeNamesTheRowsOfTheBatchItFailedOn(@TempDir Path directory) {
        rows(1, 2, 7, 3);
        PlanNode source = TestPlans.stream(input, 0);
        AggregateCall call = new AggregateCall(AggregateKind.USER, 1, false, -1, DataType.of(TypeKind.BIGINT), "p", pickyAggregate());
        PlanNode plan = TestPlans.aggregate(source, WindowSpec.tumble(2, true, 1_000), List.of(0), List.of(call));
        SourceOpener opener = new SourceOpener(directory, new SourceStatistics(), new InMemoryDeadLetterSink(), clock,
                new ConnectorServices());
        WorkerPool pool = new WorkerPool(2);
        try (ParallelQueryRunner runner = new ParallelQueryRunner(plan, opener, new SinkOpener(directory, clock, new ConnectorServices()),
                null, Optional.empty(), clock, 700, batch -> { }, 2, pool)) {
            assertThatThrownBy(runner::runBatch).isInstanceOf(WeirException.class)
                    .hasMessageContaining("Aggregate function picky failed in add(7).")
                    .hasMessageEndingWith("The row is one of those read from stream '" + input + "', in-memory data set '" + input
                            + "' offsets 0 to 3.");
        } finally {
            pool.close();
        }
    }

    /** A user-defined aggregate that fails on values above 5. */
    private static UserAggregate pickyAggregate() {
        return new UserAggregate() {
            @Override
            public String name() {
                return "picky";
            }

            @Override
            public Object create() {
                return new long[1];
            }

            @Override
            public void add(Object accumulator, Object value) {
                if ((Long) value > 5) {
                    throw new WeirException(ErrorCode.FUNCTION_FAILED, "Aggregate function picky failed in add(" + value + ")");
                }
                ((long[]) accumulator)[0] += (Long) value;
            }

            @Override
            public void merge(Object into, Object from) {
                ((long[]) into)[0] += ((long[]) from)[0];
            }

            @Override
            public Object result(Object accumulator) {
                return ((long[]) accumulator)[0];
            }

            @Override
            public byte[] serialize(Object accumulator) {
                return new byte[0];
            }

            @Override
            public Object deserialize(byte[] state) {
                return new long[1];
            }

            @Override
            public String stateLayout() {
                return "picky";
            }
        };
    }
}

package io.weir.engine.operator;

import io.weir.engine.aggregate.UserAggregate;
import io.weir.engine.exec.MicroBatchRunner;
import io.weir.engine.exec.QueryRunner;
import io.weir.engine.parallel.ParallelQueryRunner;
import io.weir.engine.parallel.WorkerPool;
import io.weir.engine.sink.SinkOpener;
import io.weir.engine.source.SourceOpener;
import io.weir.engine.source.SourceStatistics;
import io.weir.engine.state.KeyGroupRange;
import io.weir.engine.state.StateBytes;
import io.weir.engine.expression.BatchProjection;
import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.AggregateKind;
import io.weir.engine.over.OverAggregateOperator;
import io.weir.engine.plan.Calc;
import io.weir.engine.plan.OverAggregate;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.testing.ManualClock;
import io.weir.engine.testing.TestPlans;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorServices;
import io.weir.spi.connector.memory.InMemoryData;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.error.InMemoryDeadLetterSink;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A user-defined function failing on a row names where the row was read, in a projection, in an aggregation and in an
 * OVER aggregation (which holds its rows until the watermark passes them, also across a checkpoint).
 */
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
        // the aggregate fails in the micro-batch that reads the row
        assertThat(failureAtParallelismTwo(directory, plan, 1)).isInstanceOf(WeirException.class)
                .hasMessageContaining("Aggregate function picky failed in add(7).")
                .hasMessageEndingWith("The row is one of those read from stream '" + input + "', in-memory data set '" + input
                        + "' offsets 0 to 3.");
    }

    /** What running {@code plan} as two tasks fails with within {@code batches} micro-batches; null if it does not fail. */
    private Throwable failureAtParallelismTwo(Path directory, PlanNode plan, int batches) {
        SourceOpener opener = new SourceOpener(directory, new SourceStatistics(), new InMemoryDeadLetterSink(), clock,
                new ConnectorServices());
        WorkerPool pool = new WorkerPool(2);
        try (ParallelQueryRunner runner = new ParallelQueryRunner(plan, opener, new SinkOpener(directory, clock, new ConnectorServices()),
                null, Optional.empty(), clock, 700, batch -> { }, 2, pool)) {
            return failureWithin(runner, batches);
        } finally {
            pool.close();
        }
    }

    /** What {@code runner} fails with within {@code batches} micro-batches; null if it does not fail. */
    private static Throwable failureWithin(MicroBatchRunner runner, int batches) {
        return catchThrowable(() -> {
            for (int batch = 0; batch < batches; batch++) {
                runner.runBatch();
            }
        });
    }

    /** An OVER aggregation of p = picky(v) over each row and the one before it, per k. */
    private OverAggregate pickyOver(PlanNode source, UserAggregate aggregate) {
        AggregateCall call = new AggregateCall(AggregateKind.USER, 1, false, -1, DataType.of(TypeKind.BIGINT), "p", aggregate);
        return new OverAggregate(source, List.of(0), 2, true, 1, List.of(call),
                OverAggregate.outputType(source.outputType(), List.of(call)));
    }

    /** The rows wait for the watermark: the function fails on one long after its batch, and names it. */
    @Test
    void anOverAggregationNamesTheRowItFailedOn() {
        rows(1, 2, 7, 3);
        QueryRunner runner = TestPlans.runner(pickyOver(TestPlans.stream(input, 0), pickyAggregate()), clock, new ArrayList<>());
        assertThat(failureWithin(runner, 10)).isInstanceOf(WeirException.class)
                .hasMessageStartingWith("Aggregate function picky failed in add(7).")
                .hasMessageEndingWith("The row was read from stream '" + input + "', in-memory data set '" + input
                        + "' at offset 2.");
        runner.close();
    }

    /** A projection of picky(v) over what an OVER aggregation (a count per k) sends: each of its rows is one it read. */
    private PlanNode pickyAfterOver() {
        AggregateCall count = TestPlans.countStar();
        PlanNode source = TestPlans.stream(input, 0);
        OverAggregate over = new OverAggregate(source, List.of(0), 2, true, 1, List.of(count),
                OverAggregate.outputType(source.outputType(), List.of(count)));
        BatchProjection picky = (batch, selection, count2, context, out) -> {
            for (int i = 0; i < count2; i++) {
                long value = (Long) batch.value(1, selection[i]);
                if (value > 5) {
                    throw failure(value);
                }
                out.setLong(0, value);
                out.commitRow();
            }
        };
        return new Calc(over, Optional.empty(), picky, List.of(new DataType.Field("p", DataType.of(TypeKind.BIGINT))), -1,
                "picky(v) AS p");
    }

    @Test
    void aProjectionAfterAnOverAggregationNamesTheRowItFailedOn() {
        rows(1, 2, 7, 3);
        QueryRunner runner = TestPlans.runner(pickyAfterOver(), clock, new ArrayList<>());
        assertThat(failureWithin(runner, 10)).isInstanceOf(WeirException.class)
                .hasMessageContaining("failed on the row with arguments (7)")
                .hasMessageEndingWith("The row was read from stream '" + input + "', in-memory data set '" + input
                        + "' at offset 2.");
        runner.close();
    }

    @Test
    void aProjectionAfterAnOverAggregationBehindAnExchangeNamesTheRowItFailedOn(@TempDir Path directory) {
        rows(1, 2, 7, 3);
        assertThat(failureAtParallelismTwo(directory, pickyAfterOver(), 10)).isInstanceOf(WeirException.class)
                .hasMessageContaining("failed on the row with arguments (7)")
                .hasMessageEndingWith("The row was read from stream '" + input + "', in-memory data set '" + input
                        + "' at offset 2.");
    }

    @Test
    void anOverAggregationBehindAnExchangeNamesTheRowItFailedOn(@TempDir Path directory) {
        rows(1, 2, 7, 3);
        PlanNode plan = pickyOver(TestPlans.stream(input, 0), pickyAggregate());
        assertThat(failureAtParallelismTwo(directory, plan, 10)).isInstanceOf(WeirException.class)
                .hasMessageContaining("Aggregate function picky failed in add(7).")
                .hasMessageEndingWith("The row was read from stream '" + input + "', in-memory data set '" + input
                        + "' at offset 2.");
    }

    /** Where the rows of a source of two files were read. */
    private static final RowPositions TWO_FILES = new RowPositions() {
        @Override
        public String split(int splitId) {
            return "stream 'clicks', /data/clicks-" + splitId + ".json";
        }

        @Override
        public String range(Batch batch) {
            throw new UnsupportedOperationException("an OVER aggregation names one row");
        }
    };

    /** (k, v, ts) rows read from split {@code split} of {@link #TWO_FILES}, at offsets 100 * v. */
    private static Batch kvTs(int split, long[]... rows) {
        BatchBuilder builder = new BatchBuilder(TestPlans.KV_TS);
        builder.setSplit(split);
        for (long[] row : rows) {
            builder.setOffset(100 * row[1]);
            builder.setLong(0, row[0]);
            builder.setLong(1, row[1]);
            builder.setLong(2, row[2]);
            builder.commitRow();
        }
        return builder.build();
    }

    private static void drain(OverAggregateOperator over) {
        while (over.getOutput() != null) {
            // the rows sent before the function failed
        }
    }

    /**
     * A row held in a checkpoint keeps where it was read: the function fails on it after the restore (here into
     * two instances, combined into one, as a query restored at another parallelism and back is), and names it.
     */
    @Test
    void anOverAggregationNamesARowRestoredFromACheckpoint() {
        OverAggregate plan = pickyOver(TestPlans.stream(input, 0), pickyAggregate());
        OverAggregateOperator over = new OverAggregateOperator(plan);
        over.addInput(kvTs(0, new long[] {1, 1, 100}, new long[] {1, 2, 200}, new long[] {2, 3, 150}), TWO_FILES);
        over.addInput(kvTs(1, new long[] {1, 7, 900}, new long[] {2, 4, 950}), TWO_FILES);
        over.processWatermark(0, new Watermark(500, false));
        drain(over);
        byte[] snapshot = over.snapshot();

        OverAggregateOperator low = new OverAggregateOperator(plan);
        OverAggregateOperator high = new OverAggregateOperator(plan);
        low.restore(snapshot, new KeyGroupRange(0, 63));
        high.restore(snapshot, new KeyGroupRange(64, 127));
        byte[] combined = low.combine(List.of(StateBytes.of(low.snapshot()), StateBytes.of(high.snapshot()))).toByteArray();
        OverAggregateOperator restored = new OverAggregateOperator(plan);
        restored.restore(combined, KeyGroupRange.ALL);
        assertThatThrownBy(() -> restored.processWatermark(0, new Watermark(1_000, false)))
                .isInstanceOf(WeirException.class)
                .hasMessageStartingWith("Aggregate function picky failed in add(7).")
                .hasMessageEndingWith("The row was read from stream 'clicks', /data/clicks-1.json at offset 700.");
    }

    /** Failing on the aggregates sent with a row (its frame's result) names the row too. */
    @Test
    void anOverAggregationNamesTheRowWhoseAggregatesItFailedOn() {
        OverAggregateOperator over = new OverAggregateOperator(pickyOver(TestPlans.stream(input, 0), pickyResult()));
        over.addInput(kvTs(0, new long[] {1, 1, 100}, new long[] {1, 2, 200}, new long[] {1, 5, 300}), TWO_FILES);
        over.addInput(kvTs(1, new long[] {1, 4, 400}), TWO_FILES);
        // the frame of 5 at 300 ms is 2 + 5, of 4 at 400 ms 5 + 4: over 8
        assertThatThrownBy(() -> over.processWatermark(0, new Watermark(1_000, false)))
                .isInstanceOf(WeirException.class)
                .hasMessageStartingWith("Aggregate function picky failed in result() of 9.")
                .hasMessageEndingWith("The row it computed the aggregates of was read from stream 'clicks',"
                        + " /data/clicks-1.json at offset 400.");
    }

    /**
     * A checkpoint an earlier version wrote (without where its rows were read) is still restored; a function failing
     * on one of its rows says that where the row was read is not known, also after another checkpoint. Written by
     * the operator before it kept positions: k = 1's rows at 100 and 200 ms in the frame, v = 7 at 900 ms waiting.
     */
    @Test
    void anOverAggregationRestoresACheckpointOfAnEarlierVersion() {
        OverAggregate plan = pickyOver(TestPlans.stream(input, 0), pickyAggregate());
        byte[] earlier = Base64.getDecoder().decode(EARLIER_CHECKPOINT);
        OverAggregateOperator restored = new OverAggregateOperator(plan);
        restored.restore(earlier, KeyGroupRange.ALL);
        OverAggregateOperator again = new OverAggregateOperator(plan);
        again.restore(restored.snapshot(), KeyGroupRange.ALL);
        for (OverAggregateOperator over : List.of(restored, again)) {
            // the frame is restored: k = 1 at 800 ms is sent with 2 + 3 (the frame's last row and itself)
            over.addInput(kvTs(0, new long[] {1, 3, 800}), TWO_FILES);
            over.processWatermark(0, new Watermark(850, false));
            List<String> sent = new ArrayList<>();
            for (Batch batch = over.getOutput(); batch != null; batch = over.getOutput()) {
                sent.addAll(TestPlans.collectAll(batch));
            }
            assertThat(sent).containsExactly("[1, 3, 800, 5]");
            assertThatThrownBy(() -> over.processWatermark(0, new Watermark(1_000, false)))
                    .isInstanceOf(WeirException.class)
                    .hasMessageStartingWith("Aggregate function picky failed in add(7).")
                    .hasMessageEndingWith("Where the row was read is not known: it was restored from a checkpoint written by"
                            + " an earlier version of Weir, which did not keep it.");
        }
    }

    private static final String EARLIER_CHECKPOINT = "V1NrMQAAAAEAAAAABG92ZXIAAABkZnJhbWU9Uk9XUyAxIGtleXM9WzBdIHRpbWU9MiBjb2x1bW5zPVtCSUdJTlQsIEJJR0lOVCwgVElNRVNUQU1QXSBhZ2dyZWdhdGVzPVtVc2VyQWNjdW11bGF0b3IocGlja3kpXQAAABEAAAAAAAAB9AAAAAAAAAAAAAAAAAIAAAAxAAAAAQAAAD4JAAAAAAAAAAACND+Sb7EZM52NAAAAAAAAAAAAAAAAAAAAAQAAAAAAAAAAAgAAAAAAAAAAAwAAAAAAAAAAlgAAAEkAAAABAAAAdAkAAAAAAAAAAAFqooqfSS1hWA0AAAAAAAAAAAAAAAEAAAAAAAAAAAEAAAAAAAAAAAcAAAAAAAAAA4QAAAACAAAAAAAAAAABAAAAAAAAAAABAAAAAAAAAABkAAAAAAAAAAABAAAAAAAAAAACAAAAAAAAAADI";

    /** A user-defined aggregate summing its values, whose result fails above 8. */
    private static UserAggregate pickyResult() {
        UserAggregate sum = pickyAggregate();
        return new UserAggregate() {
            @Override
            public String name() {
                return "picky";
            }

            @Override
            public Object create() {
                return sum.create();
            }

            @Override
            public void add(Object accumulator, Object value) {
                sum.add(accumulator, value);
            }

            @Override
            public void merge(Object into, Object from) {
                sum.merge(into, from);
            }

            @Override
            public Object result(Object accumulator) {
                long total = (Long) sum.result(accumulator);
                if (total > 8) {
                    throw new WeirException(ErrorCode.FUNCTION_FAILED, "Aggregate function picky failed in result() of " + total);
                }
                return total;
            }

            @Override
            public byte[] serialize(Object accumulator) {
                return sum.serialize(accumulator);
            }

            @Override
            public Object deserialize(byte[] state) {
                return sum.deserialize(state);
            }

            @Override
            public String stateLayout() {
                return "picky";
            }
        };
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

package io.weir.engine.testing;

import io.weir.engine.exec.QueryRunner;
import io.weir.engine.expression.BatchFilter;
import io.weir.engine.expression.BatchProjection;
import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.AggregateKind;
import io.weir.engine.plan.Calc;
import io.weir.engine.plan.JoinKind;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SourceScan;
import io.weir.engine.plan.SourceSpec;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowJoin;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.source.SourceOpener;
import io.weir.engine.source.SourceStatistics;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.ConnectorServices;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.error.InMemoryDeadLetterSink;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Builds plans by hand over the memory connector, as the planner would. */
public final class TestPlans {
    /** k BIGINT, v BIGINT, ts TIMESTAMP(3). */
    public static final List<DataType.Field> KV_TS = List.of(
            new DataType.Field("k", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("v", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("ts", DataType.timestamp(3)));

    private TestPlans() {
    }

    public static SourceScan stream(String dataSet, List<DataType.Field> schema, int eventTimeColumn, long delayMillis,
                                    Optional<Duration> idleTimeout) {
        return new SourceScan(new SourceSpec(dataSet, ObjectKind.STREAM, Map.of("connector", "memory", "data", dataSet),
                schema, eventTimeColumn, Duration.ofMillis(delayMillis), idleTimeout));
    }

    public static SourceScan stream(String dataSet, long delayMillis) {
        return stream(dataSet, KV_TS, 2, delayMillis, Optional.empty());
    }

    public static AggregateCall call(AggregateKind kind, int argument, DataType resultType) {
        return new AggregateCall(kind, argument, false, -1, resultType, kind.name().toLowerCase() + "_" + argument);
    }

    public static AggregateCall countStar() {
        return new AggregateCall(AggregateKind.COUNT, -1, false, -1, DataType.of(TypeKind.BIGINT).withNullable(false), "cnt");
    }

    public static WindowAggregate aggregate(PlanNode input, WindowSpec window, List<Integer> keys, List<AggregateCall> calls) {
        return new WindowAggregate(input, window, keys, calls, WindowAggregate.outputType(input.outputType(), keys, calls));
    }

    /** A Calc that copies the input columns and appends the batch's processing time as {@code pt}. */
    public static Calc withProcessingTime(PlanNode input) {
        List<DataType.Field> output = new ArrayList<>(input.outputType());
        output.add(new DataType.Field("pt", DataType.timestamp(3).withNullable(false)));
        int columns = input.outputType().size();
        BatchProjection projection = (batch, selection, count, context, out) -> {
            for (int i = 0; i < count; i++) {
                int row = selection[i];
                for (int column = 0; column < columns; column++) {
                    out.set(column, batch.value(column, row));
                }
                out.setLong(columns, context.processingTimeMillis());
                out.commitRow();
            }
        };
        return new Calc(input, Optional.empty(), projection, output, -1, "*, PROCTIME() AS pt");
    }

    public static QueryRunner runner(PlanNode plan, InstantSource clock, List<Object[]> sink) {
        SourceOpener opener = new SourceOpener(Path.of("target", "test-data"), new SourceStatistics(), new InMemoryDeadLetterSink(), clock,
                new ConnectorServices());
        return new QueryRunner(plan, opener, clock, 1 << 16, batch -> sink.addAll(batch.rows()));
    }

    public static Object[] row(Object... values) {
        return values;
    }

    /** Rows as comparable strings, e.g. {@code [1, 0, 10, 3]}. */
    public static List<String> show(List<Object[]> rows) {
        return rows.stream().map(Arrays::toString).collect(Collectors.toList());
    }

    public static List<String> collectAll(Batch batch) {
        return show(batch.rows());
    }

    /**
     * Nexmark q5's shape: the count per key and HOP window, joined with the largest count of its
     * window. Built as the planner converts it: the count twice, each over a scan of its own
     * ({@code SharedSubPlans.share} makes it one). Over {@link #KV_TS} rows with a 200 ms watermark delay.
     */
    /** {@link #hottestKeys(String, Optional)} without an idle timeout. */
    public static PlanNode hottestKeys(String data) {
        return hottestKeys(data, Optional.empty());
    }

    public static PlanNode hottestKeys(String data, Optional<Duration> idleTimeout) {
        WindowAggregate counts = countPerKey(data, idleTimeout);
        AggregateCall max = new AggregateCall(AggregateKind.MAX, 3, false, -1, DataType.of(TypeKind.BIGINT), "maxn");
        // k, window_start, window_end, cnt -> window_start, window_end, maxn (over the input's windows)
        WindowAggregate maxima = aggregate(countPerKey(data, idleTimeout), WindowSpec.windowed(2, 1, true), List.of(), List.of(max));
        List<DataType.Field> output = new ArrayList<>(counts.outputType());
        maxima.outputType().forEach(f -> output.add(new DataType.Field(f.name() + "0", f.type())));
        BatchFilter hottest = (batch, selection, count, out) -> {
            int kept = 0;
            for (int i = 0; i < count; i++) {
                if ((long) batch.value(3, selection[i]) >= (long) batch.value(6, selection[i])) {
                    out[kept++] = selection[i];
                }
            }
            return kept;
        };
        return new WindowJoin(counts, maxima, List.of(1, 2), List.of(0, 1), 2, 1, JoinKind.INNER, Optional.of(hottest),
                "cnt >= maxn", output);
    }

    private static WindowAggregate countPerKey(String data, Optional<Duration> idleTimeout) {
        return aggregate(stream(data, KV_TS, 2, 200, idleTimeout), WindowSpec.hop(2, true, 2_000, 10_000), List.of(0),
                List.of(countStar()));
    }

}

package io.weir.engine.plan;

import io.weir.engine.expression.BatchProjection;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ScanProjectionTest {
    /** a, b, c, d BIGINT, ts TIMESTAMP(3) (the event time). */
    private static final List<DataType.Field> ROW = List.of(field("a"), field("b"), field("c"), field("d"),
            new DataType.Field("ts", DataType.timestamp(3)));
    private static final BatchProjection NONE = (batch, selection, count, context, out) -> {
    };

    private static DataType.Field field(String name) {
        return new DataType.Field(name, DataType.of(TypeKind.BIGINT));
    }

    private static SourceScan scan(String name) {
        return new SourceScan(new SourceSpec(name, ObjectKind.STREAM, Map.of("connector", "memory"), ROW, 4, Duration.ZERO,
                Optional.empty()));
    }

    /** A Calc over {@code input} reading {@code reads}, with {@code outputs} columns copied from the first ones read. */
    private static Calc calc(PlanNode input, List<Integer> reads, int outputs) {
        List<DataType.Field> output = reads.subList(0, outputs).stream().map(i -> input.outputType().get(i)).toList();
        int eventTime = reads.subList(0, outputs).indexOf(4);
        return new Calc(input, Optional.empty(), NONE, output, eventTime, "test", Projection.of(reads));
    }

    private static Projection projectionOf(PlanNode node) {
        while (!(node instanceof SourceScan)) {
            node = node.inputs().get(0);
        }
        return ((SourceScan) node).spec().projection();
    }

    @Test
    void aScanReadsWhatTheCalcAboveItReadsAndItsEventTime() {
        PlanNode plan = ScanProjection.apply(calc(scan("s"), List.of(1, 2), 1));
        assertThat(projectionOf(plan)).isEqualTo(Projection.of(1, 2, 4));
        assertThat(((SourceScan) plan.inputs().get(0)).explain()).contains("columns read=[b, c, ts]");
    }

    @Test
    void aScanAtTheRootOrUnderASinkReadsEverything() {
        assertThat(projectionOf(ScanProjection.apply(scan("s")))).isEqualTo(Projection.all());
        assertThat(new SourceScan(scan("s").spec().withProjection(Projection.of(0, 1, 2, 3, 4))).spec().projection())
                .isEqualTo(Projection.all());
    }

    @Test
    void aWindowAggregateReadsItsKeysArgumentsFiltersAndTime() {
        PlanNode input = calc(scan("s"), List.of(4, 0, 1, 2, 3), 5);
        AggregateCall max = new AggregateCall(AggregateKind.MAX, 2, false, 3, DataType.of(TypeKind.BIGINT), "m");
        WindowAggregate aggregate = new WindowAggregate(input, WindowSpec.tumble(0, true, 1000), List.of(1), List.of(max),
                WindowAggregate.outputType(input.outputType(), List.of(1), List.of(max)));
        // the Calc reads all its five inputs: the scan reads everything the Calc reads
        assertThat(projectionOf(ScanProjection.apply(aggregate))).isEqualTo(Projection.all());
        // directly over the scan: keys a, argument c, filter d, time ts
        WindowAggregate direct = new WindowAggregate(scan("s"), WindowSpec.tumble(4, true, 1000), List.of(0),
                List.of(new AggregateCall(AggregateKind.MAX, 2, false, 3, DataType.of(TypeKind.BIGINT), "m")),
                WindowAggregate.outputType(ROW, List.of(0), List.of(max)));
        assertThat(projectionOf(ScanProjection.apply(direct))).isEqualTo(Projection.of(0, 2, 3, 4));
    }

    @Test
    void aUnionPassesItsNeedsToEachInputAndAScanReadTwiceReadsWhatBothNeed() {
        SourceScan shared = scan("s");
        UnionAll union = new UnionAll(List.of(calc(shared, List.of(0, 4), 2), calc(scan("t"), List.of(1, 4), 2)),
                List.of(field("x"), new DataType.Field("ts", DataType.timestamp(3))));
        PlanNode plan = ScanProjection.apply(calc(union, List.of(0), 1));
        assertThat(projectionOf(plan.inputs().get(0).inputs().get(0))).isEqualTo(Projection.of(0, 4));
        assertThat(projectionOf(plan.inputs().get(0).inputs().get(1))).isEqualTo(Projection.of(1, 4));
        // one scan node read by two Calcs (a DAG): it reads the union of their columns
        UnionAll twice = new UnionAll(List.of(calc(shared, List.of(0, 4), 2), calc(shared, List.of(2, 4), 2)),
                union.outputType());
        PlanNode rebuilt = ScanProjection.apply(twice);
        assertThat(projectionOf(rebuilt.inputs().get(0))).isEqualTo(Projection.of(0, 2, 4));
        assertThat(rebuilt.inputs().get(0).inputs().get(0)).isSameAs(rebuilt.inputs().get(1).inputs().get(0));
    }

    @Test
    void aCalcOfUnknownReadsAndAJoinConditionReadEverything() {
        Calc unknown = new Calc(scan("s"), Optional.empty(), NONE, List.of(field("a")), -1, "test");
        assertThat(projectionOf(ScanProjection.apply(unknown))).isEqualTo(Projection.all());
        PlanNode left = calc(scan("l"), List.of(0, 4), 2);
        PlanNode right = calc(scan("r"), List.of(1, 4), 2);
        List<DataType.Field> output = new java.util.ArrayList<>(left.outputType());
        output.addAll(right.outputType());
        IntervalJoin join = new IntervalJoin(left, right, List.of(0), List.of(0), 1, 1, -1000, 1000, JoinKind.INNER,
                Optional.empty(), "", output);
        // a Calc below the join reads what it reads, whatever the join needs of it
        PlanNode plan = ScanProjection.apply(calc(join, List.of(0), 1));
        assertThat(projectionOf(plan.inputs().get(0).inputs().get(0))).isEqualTo(Projection.of(0, 4));
        assertThat(projectionOf(plan.inputs().get(0).inputs().get(1))).isEqualTo(Projection.of(1, 4));
    }
}

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

class SharedSubPlansTest {
    /** a, b, c BIGINT, ts TIMESTAMP(3) (the event time). */
    private static final List<DataType.Field> ROW = List.of(field("a"), field("b"), field("c"),
            new DataType.Field("ts", DataType.timestamp(3)));

    private static DataType.Field field(String name) {
        return new DataType.Field(name, DataType.of(TypeKind.BIGINT));
    }

    private static SourceScan scan(String name) {
        return new SourceScan(new SourceSpec(name, ObjectKind.STREAM, Map.of("connector", "memory", "data", name), ROW, 3,
                Duration.ofSeconds(1), Optional.empty()));
    }

    /** A Calc copying input columns {@code reads} (each compiled anew, as the planner does), described by them. */
    private static Calc calc(PlanNode input, List<Integer> reads) {
        BatchProjection code = (batch, selection, count, context, out) -> {
        };
        List<DataType.Field> output = reads.stream().map(i -> input.outputType().get(i)).toList();
        return new Calc(input, Optional.empty(), code, output, reads.indexOf(3), "project=" + reads, Projection.of(reads));
    }

    private static WindowAggregate countPerA(PlanNode input) {
        List<AggregateCall> calls = List.of(new AggregateCall(AggregateKind.COUNT, -1, false, -1,
                DataType.of(TypeKind.BIGINT).withNullable(false), "n"));
        return new WindowAggregate(input, WindowSpec.tumble(1, true, 10_000), List.of(0), calls,
                WindowAggregate.outputType(input.outputType(), List.of(0), calls));
    }

    private static UnionAll union(PlanNode left, PlanNode right) {
        return new UnionAll(List.of(left, right), left.outputType());
    }

    @Test
    void equalSubPlansBecomeOneNode() {
        // the same count per window built twice, from two scans of the stream, as Calcite's plan of q5 has it
        PlanNode plan = union(countPerA(calc(scan("bids"), List.of(0, 3))), countPerA(calc(scan("bids"), List.of(0, 3))));
        PlanNode shared = SharedSubPlans.share(plan);
        assertThat(shared.inputs().get(0)).isSameAs(shared.inputs().get(1));
        assertThat(shared.outputType()).isEqualTo(plan.outputType());
    }

    @Test
    void subPlansThatDifferShareWhatTheyHaveInCommon() {
        // different Calcs over one stream: one scan, two Calcs
        PlanNode plan = union(calc(scan("bids"), List.of(0, 3)), calc(scan("bids"), List.of(1, 3)));
        PlanNode shared = SharedSubPlans.share(plan);
        assertThat(shared.inputs().get(0)).isNotSameAs(shared.inputs().get(1));
        assertThat(shared.inputs().get(0).inputs().get(0)).isSameAs(shared.inputs().get(1).inputs().get(0));
        // the one scan then reads the columns of both
        PlanNode projected = ScanProjection.apply(shared);
        SourceScan scan = (SourceScan) projected.inputs().get(0).inputs().get(0);
        assertThat(projected.inputs().get(1).inputs().get(0)).isSameAs(scan);
        assertThat(scan.spec().projection()).isEqualTo(Projection.of(0, 1, 3));
    }

    @Test
    void scansOfDifferentStreamsOrWithDifferentOptionsStayApart() {
        PlanNode plan = union(calc(scan("bids"), List.of(0, 3)), calc(scan("asks"), List.of(0, 3)));
        PlanNode shared = SharedSubPlans.share(plan);
        assertThat(shared.inputs().get(0).inputs().get(0)).isNotSameAs(shared.inputs().get(1).inputs().get(0));
        SourceScan slower = new SourceScan(new SourceSpec("bids", ObjectKind.STREAM, Map.of("connector", "memory", "data", "bids"),
                ROW, 3, Duration.ofSeconds(2), Optional.empty()));
        shared = SharedSubPlans.share(union(scan("bids"), slower));
        assertThat(shared.inputs().get(0)).isNotSameAs(shared.inputs().get(1));
    }

    @Test
    void aNodeTheCallerKeepsApartIsNotSharedButItsInputsAre() {
        PlanNode plan = union(calc(scan("bids"), List.of(0, 3)), calc(scan("bids"), List.of(0, 3)));
        PlanNode shared = SharedSubPlans.share(plan, node -> !(node instanceof Calc));
        assertThat(shared.inputs().get(0)).isNotSameAs(shared.inputs().get(1));
        assertThat(shared.inputs().get(0).inputs().get(0)).isSameAs(shared.inputs().get(1).inputs().get(0));
    }

    @Test
    void aSelfJoinReadsItsStreamOnce() {
        SourceScan left = scan("bids");
        SourceScan right = scan("bids");
        List<DataType.Field> output = new java.util.ArrayList<>(ROW);
        ROW.forEach(f -> output.add(new DataType.Field(f.name() + "0", f.type())));
        IntervalJoin join = new IntervalJoin(left, right, List.of(0), List.of(0), 3, 3, -1000, 1000, JoinKind.INNER,
                Optional.empty(), "", output);
        IntervalJoin shared = (IntervalJoin) SharedSubPlans.share(join);
        assertThat(shared.left()).isSameAs(shared.right());
        assertThat(shared.explain()).isEqualTo(join.explain());
    }

    @Test
    void aPlanWithoutEqualSubPlansIsLeftAsItIs() {
        PlanNode plan = countPerA(calc(scan("bids"), List.of(0, 3)));
        assertThat(SharedSubPlans.share(plan)).isSameAs(plan);
    }
}

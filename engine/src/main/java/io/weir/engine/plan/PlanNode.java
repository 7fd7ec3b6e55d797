package io.weir.engine.plan;

import io.weir.spi.type.DataType;

import java.util.List;

/**
 * A node of a continuous query's physical plan (the micro-batch operator DAG), made by the planner
 * and run by the engine. Immutable.
 */
public sealed interface PlanNode permits SourceScan, Calc, WindowAggregate, GroupAggregate, Changelog, UnionAll, SinkWrite,
        LookupJoin, WindowJoin, IntervalJoin, Rank, OverAggregate {
    /** The columns this node produces, in order. */
    List<DataType.Field> outputType();

    List<PlanNode> inputs();

    /** One line for EXPLAIN: the operator, its keys, window spec and the state it keeps. */
    String explain();
}

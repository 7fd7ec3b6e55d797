package io.weir.engine.plan;

import java.util.List;

/** Copies a plan node with other inputs, for passes that rewrite a plan bottom-up. */
public final class PlanInputs {
    private PlanInputs() {
    }

    /**
     * {@code node} reading {@code inputs} (as many as {@code node.inputs()}, in order) instead of its
     * own; {@code node} itself when they are the same nodes. A source scan has no inputs.
     */
    public static PlanNode replace(PlanNode node, List<PlanNode> inputs) {
        List<PlanNode> current = node.inputs();
        if (inputs.size() != current.size()) {
            throw new IllegalArgumentException(node.getClass().getSimpleName() + " has " + current.size() + " inputs, not "
                    + inputs.size());
        }
        boolean same = true;
        for (int i = 0; i < inputs.size(); i++) {
            same &= inputs.get(i) == current.get(i);
        }
        if (same) {
            return node;
        }
        if (node instanceof Calc calc) {
            return new Calc(inputs.get(0), calc.filter(), calc.projection(), calc.outputType(), calc.eventTimeColumn(),
                    calc.description(), calc.inputColumns());
        } else if (node instanceof WindowAggregate aggregate) {
            return new WindowAggregate(inputs.get(0), aggregate.window(), aggregate.groupKeys(), aggregate.aggregates(),
                    aggregate.outputType(), aggregate.emitOpenWindows(), aggregate.emitIntervalMillis(),
                    aggregate.allowedLatenessMillis());
        } else if (node instanceof GroupAggregate aggregate) {
            return new GroupAggregate(inputs.get(0), aggregate.groupKeys(), aggregate.aggregates(), aggregate.outputType());
        } else if (node instanceof Changelog changelog) {
            return new Changelog(inputs.get(0), changelog.keyColumns(), changelog.keepColumn(), changelog.outputType(),
                    changelog.windows());
        } else if (node instanceof Rank rank) {
            return new Rank(inputs.get(0), rank.kind(), rank.partitionKeys(), rank.orderKeys(), rank.limit(), rank.eventTime(),
                    rank.outputType());
        } else if (node instanceof OverAggregate over) {
            return new OverAggregate(inputs.get(0), over.partitionKeys(), over.timeColumn(), over.rows(), over.preceding(),
                    over.aggregates(), over.outputType());
        } else if (node instanceof UnionAll union) {
            return new UnionAll(inputs, union.outputType());
        } else if (node instanceof SinkWrite write) {
            return new SinkWrite(inputs.get(0), write.spec());
        } else if (node instanceof LookupJoin lookup) {
            return new LookupJoin(inputs.get(0), lookup.table(), lookup.streamKeys(), lookup.tableKeys(), lookup.kind(),
                    lookup.condition(), lookup.conditionText(), lookup.refreshInterval(), lookup.outputType());
        } else if (node instanceof WindowJoin join) {
            return new WindowJoin(inputs.get(0), inputs.get(1), join.leftKeys(), join.rightKeys(), join.leftWindowEnd(),
                    join.rightWindowEnd(), join.kind(), join.condition(), join.conditionText(), join.outputType());
        } else if (node instanceof IntervalJoin join) {
            return new IntervalJoin(inputs.get(0), inputs.get(1), join.leftKeys(), join.rightKeys(), join.leftTime(),
                    join.rightTime(), join.lowerMillis(), join.upperMillis(), join.kind(), join.condition(),
                    join.conditionText(), join.outputType());
        }
        throw new IllegalArgumentException("unknown plan node " + node.getClass().getName());
    }
}

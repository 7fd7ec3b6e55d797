package io.weir.engine.join;

import io.weir.engine.operator.Operator;
import io.weir.engine.plan.IntervalJoin;
import io.weir.engine.plan.LookupJoin;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.WindowJoin;
import io.weir.engine.source.SourceOpener;

/** Makes the operator of a join plan node. */
public final class JoinOperators {
    private JoinOperators() {
    }

    public static boolean isJoin(PlanNode node) {
        return node instanceof LookupJoin || node instanceof WindowJoin || node instanceof IntervalJoin;
    }

    /** The operator for {@code node}, one of the joins; a lookup join reads its table now. */
    public static Operator create(PlanNode node, SourceOpener opener) {
        if (node instanceof LookupJoin lookup) {
            return new LookupJoinOperator(lookup, opener);
        }
        if (node instanceof WindowJoin window) {
            return new WindowJoinOperator(window);
        }
        if (node instanceof IntervalJoin interval) {
            return new IntervalJoinOperator(interval);
        }
        throw new IllegalArgumentException("not a join: " + node.getClass().getName());
    }

    /** Rows the operator dropped as late (window joins), 0 for others. */
    public static long lateRows(Operator operator) {
        if (operator instanceof WindowJoinOperator window) {
            return window.lateRows();
        }
        return operator instanceof IntervalJoinOperator interval ? interval.lateRows() : 0;
    }
}

package io.weir.sql.subquery;

import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.sql2rel.RelDecorrelator;

import java.util.List;

/**
 * Sub-queries (IN, EXISTS, scalar) of a logical plan turned into joins before the plan is optimized. Done
 * once, up front, on the whole plan: left to the optimizer's own program, a correlated NOT EXISTS beside
 * other conditions of the same WHERE (psql's {@code \dT}) kept a correlation variable that code generation
 * then could not implement.
 */
public final class SubQueries {
    private static final HepProgram SUB_QUERY_REMOVAL = new HepProgramBuilder()
            .addRuleCollection(List.of(CoreRules.FILTER_SUB_QUERY_TO_CORRELATE, CoreRules.PROJECT_SUB_QUERY_TO_CORRELATE,
                    CoreRules.JOIN_SUB_QUERY_TO_CORRELATE))
            .build();

    private SubQueries() {
    }

    /** Whether any expression of the plan holds a sub-query. */
    public static boolean present(RelNode plan) {
        boolean[] found = {false};
        new RelVisitor() {
            @Override
            public void visit(RelNode node, int ordinal, RelNode parent) {
                node.accept(new RexShuttle() {
                    @Override
                    public RexNode visitSubQuery(RexSubQuery subQuery) {
                        found[0] = true;
                        return subQuery;
                    }
                });
                super.visit(node, ordinal, parent);
            }
        }.go(plan);
        return found[0];
    }

    /** The plan with its sub-queries as correlated joins, then decorrelated into plain joins where Calcite can. */
    public static RelNode decorrelated(RelNode plan) {
        HepPlanner hep = new HepPlanner(SUB_QUERY_REMOVAL);
        hep.setRoot(plan);
        RelNode removed = hep.findBestExp();
        return RelDecorrelator.decorrelateQuery(removed, RelFactories.LOGICAL_BUILDER.create(removed.getCluster(), null));
    }
}

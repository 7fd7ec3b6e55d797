package io.weir.sql.stream;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code NOT EXISTS (SELECT ... FROM t WHERE t.k = s.k ...)} as an anti-join: Calcite removes the subquery into
 * a LEFT join with the distinct keys of the subquery, each marked TRUE, and keeps the rows whose mark IS NULL.
 * That shape becomes an ANTI join with the subquery's rows themselves (no aggregate: an anti-join keeps a row
 * once whatever the number of partners), under a projection that keeps the join's row type (the subquery's
 * columns NULL, as they were for the rows kept).
 */
final class AntiJoins {
    private AntiJoins() {
    }

    static RelNode rewrite(RelNode plan) {
        return plan.accept(new RelShuttleImpl() {
            @Override
            public RelNode visit(LogicalFilter filter) {
                RelNode visited = super.visit(filter);
                return visited instanceof LogicalFilter rewritten ? antiJoin(rewritten) : visited;
            }
        });
    }

    private static RelNode antiJoin(LogicalFilter filter) {
        if (!(filter.getCondition() instanceof RexCall isNull) || isNull.getKind() != SqlKind.IS_NULL
                || !(isNull.getOperands().get(0) instanceof RexInputRef marked)
                || !(filter.getInput() instanceof LogicalJoin join) || join.getJoinType() != JoinRelType.LEFT
                || !(join.getRight() instanceof LogicalProject keys) || !(keys.getInput() instanceof LogicalAggregate distinct)
                || !distinct.getAggCallList().isEmpty()) {
            return filter;
        }
        int leftCount = join.getLeft().getRowType().getFieldCount();
        int mark = marked.getIndex() - leftCount;
        if (mark < 0 || !(keys.getProjects().get(mark) instanceof RexLiteral literal) || !Boolean.TRUE.equals(literal.getValueAs(Boolean.class))) {
            return filter;
        }
        // the same columns over the aggregate's input: a group key's column is the input column it groups by
        List<Integer> groupColumns = distinct.getGroupSet().asList();
        RexShuttle toInput = new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                return new RexInputRef(groupColumns.get(ref.getIndex()), ref.getType());
            }
        };
        List<RexNode> projects = new ArrayList<>();
        for (RexNode project : keys.getProjects()) {
            projects.add(project.accept(toInput));
        }
        RelNode rows = LogicalProject.create(distinct.getInput(), List.of(), projects, keys.getRowType());
        LogicalJoin anti = LogicalJoin.create(join.getLeft(), rows, join.getHints(), join.getCondition(), join.getVariablesSet(),
                JoinRelType.ANTI);
        RexBuilder rex = join.getCluster().getRexBuilder();
        List<RexNode> columns = new ArrayList<>();
        for (int i = 0; i < leftCount; i++) {
            columns.add(rex.makeInputRef(anti, i));
        }
        join.getRowType().getFieldList().subList(leftCount, join.getRowType().getFieldCount())
                .forEach(field -> columns.add(rex.makeNullLiteral(field.getType())));
        return LogicalProject.create(anti, List.of(), columns, join.getRowType());
    }
}

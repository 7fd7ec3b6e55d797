package io.weir.sql.stream;

import io.weir.spi.WeirException;
import io.weir.sql.statement.ResultColumn;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.ImmutableBitSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * A query whose outermost operation is a GROUP BY: the aggregate, the projections of the query's
 * columns over the aggregate's, and its HAVING as a condition. Results kept or sent per group (a
 * materialized view's rows, a continuous query's changes) treat the HAVING not as a filter but as
 * whether the group's row belongs in the result, so that a group that stops satisfying it leaves.
 *
 * @param condition the HAVING over the aggregate's columns, when there is one
 */
record TopAggregate(Aggregate aggregate, List<RexNode> projects, Optional<RexNode> condition) {
    /** The name of the trailing column that carries the HAVING's verdict. */
    static final String KEEP_COLUMN = "$keep";

    TopAggregate {
        requireNonNull(aggregate, "aggregate is null");
        projects = List.copyOf(projects);
        requireNonNull(condition, "condition is null");
    }

    /** The GROUP BY at the top of {@code query} (directly, or under one projection and HAVING), if any. */
    static Optional<TopAggregate> of(RelNode query) {
        if (query instanceof Aggregate aggregate) {
            List<RexNode> projects = new ArrayList<>();
            for (int i = 0; i < aggregate.getRowType().getFieldCount(); i++) {
                projects.add(RexInputRef.of(i, aggregate.getRowType()));
            }
            return Optional.of(new TopAggregate(aggregate, projects, Optional.empty()));
        }
        if (query instanceof Calc calc && calc.getInput() instanceof Aggregate aggregate) {
            RexProgram program = calc.getProgram();
            List<RexNode> projects = program.getProjectList().stream().map(program::expandLocalRef).toList();
            Optional<RexNode> condition = Optional.ofNullable(program.getCondition()).map(program::expandLocalRef);
            return Optional.of(new TopAggregate(aggregate, projects, condition));
        }
        return Optional.empty();
    }

    /** The projections, then the HAVING's verdict as a last nullable BOOLEAN column when there is one. */
    List<RexNode> projectsWithKeep() {
        List<RexNode> all = new ArrayList<>(projects);
        condition.ifPresent(all::add);
        return all;
    }

    /** The row type of {@link #projectsWithKeep()}, the projections named as the query's columns. */
    RelDataType outputType(RelDataTypeFactory typeFactory, List<ResultColumn> columns) {
        RelDataTypeFactory.Builder type = typeFactory.builder();
        for (int i = 0; i < projects.size(); i++) {
            type.add(columns.get(i).name(), projects.get(i).getType());
        }
        condition.ifPresent(having -> type.add(KEEP_COLUMN, typeFactory.createTypeWithNullability(
                typeFactory.createSqlType(SqlTypeName.BOOLEAN), true)));
        return type.uniquify().build();
    }

    /**
     * The query's columns that identify a group: every grouping column must be selected (as itself,
     * or a timestamp key as an expression of it when another timestamp key is selected: a window's end
     * when its start is).
     *
     * @param why the start of the error for a grouping column that is not selected, e.g. "A materialized
     *        view over GROUP BY keeps one row per group"
     */
    List<Integer> keyColumns(String why, Function<String, WeirException> reject) {
        List<Integer> keys = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        boolean timestampKeyFound = false;
        for (int group = 0; group < aggregate.getGroupCount(); group++) {
            int found = -1;
            for (int j = 0; j < projects.size() && found < 0; j++) {
                if (projects.get(j) instanceof RexInputRef ref && ref.getIndex() == group) {
                    found = j;
                }
            }
            for (int j = 0; j < projects.size() && found < 0; j++) {
                ImmutableBitSet used = RelOptUtil.InputFinder.bits(projects.get(j));
                if (used.cardinality() == 1 && used.nextSetBit(0) == group && isTimestamp(group)) {
                    found = j;
                }
            }
            if (found >= 0) {
                keys.add(found);
                timestampKeyFound |= isTimestamp(group);
            } else {
                missing.add(group);
            }
        }
        for (int group : missing) {
            if (!(isTimestamp(group) && timestampKeyFound)) {
                throw reject.apply(why + ", so it must select every grouping column: add '"
                        + aggregate.getRowType().getFieldNames().get(group) + "' to the SELECT list");
            }
        }
        return keys;
    }

    private boolean isTimestamp(int field) {
        return aggregate.getRowType().getFieldList().get(field).getType().getSqlTypeName().getFamily()
                == SqlTypeName.TIMESTAMP.getFamily();
    }
}

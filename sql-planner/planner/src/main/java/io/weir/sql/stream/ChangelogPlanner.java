package io.weir.sql.stream;

import io.weir.engine.plan.Changelog;
import io.weir.engine.plan.GroupAggregate;
import io.weir.engine.plan.PlanNode;
import io.weir.spi.WeirException;
import io.weir.spi.type.DataType;
import io.weir.sql.statement.ResultColumn;
import org.apache.calcite.rel.RelNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Plans a continuous query whose outermost operation is a GROUP BY without a window ({@code SELECT
 * STREAM k, COUNT(*) FROM s GROUP BY k}): a stream never ends, so its groups never close; the query
 * sends each group's changes instead, as a {@link Changelog} of the updating aggregation with an
 * {@code op} column first. A HAVING decides whether a group's row is in the result (a group that stops
 * satisfying it is deleted). A GROUP BY without a window anywhere else in a continuous query is still
 * refused (the operators above it would have to take updates).
 */
final class ChangelogPlanner {
    private ChangelogPlanner() {
    }

    /** The plan of {@code query} as a change stream, or empty when its outermost operation is not a GROUP BY without a window. */
    static Optional<PlanNode> plan(RelNode query, List<ResultColumn> columns, PhysicalPlanConverter converter,
                                   Function<String, WeirException> reject) {
        Optional<TopAggregate> top = TopAggregate.of(query);
        if (top.isEmpty()) {
            return Optional.empty();
        }
        PlanNode grouped = converter.outermostAggregate(top.get().aggregate());
        if (!(grouped instanceof GroupAggregate)) {
            return Optional.empty(); // windowed: its windows' final rows, planned as usual
        }
        List<Integer> keys = top.get().keyColumns("A continuous query over GROUP BY without a window sends the changes of"
                + " each group", reject);
        boolean keep = top.get().condition().isPresent();
        PlanNode rows = converter.project(grouped, top.get().aggregate().getRowType(), top.get().projectsWithKeep(),
                top.get().outputType(query.getCluster().getTypeFactory(), columns));
        return Optional.of(new Changelog(rows, keys, keep, Changelog.outputType(rows.outputType(), keep)));
    }

    /** The result columns of a change stream: {@code op}, then the query's. */
    static List<ResultColumn> columns(List<ResultColumn> queryColumns) {
        List<ResultColumn> columns = new ArrayList<>();
        columns.add(new ResultColumn(Changelog.OP_COLUMN, DataType.varchar().withNullable(false)));
        columns.addAll(queryColumns);
        return columns;
    }
}

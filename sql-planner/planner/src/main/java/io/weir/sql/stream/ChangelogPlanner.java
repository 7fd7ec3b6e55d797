package io.weir.sql.stream;

import io.weir.engine.plan.Calc;
import io.weir.engine.plan.Changelog;
import io.weir.engine.plan.WindowAggregate;
import io.weir.spi.type.TypeKind;
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
        return plan(query, columns, converter, reject, new WindowEmission(WindowEmission.Kind.AFTER_WATERMARK, 0, null), 0);
    }

    /**
     * The plan of {@code query} as a change stream: a GROUP BY without a window, or with {@code EMIT EVERY}
     * a windowed one, whose open windows' values are sent as updates once per interval (the window
     * aggregation emits the groups changed since the last time; the {@link Changelog} pairs each with the
     * row sent before, and forgets a window's rows once it has fired). Empty for any other query: its
     * windows' final rows, planned as usual.
     *
     * @param emission EMIT EVERY or not; an EMIT EVERY clause (not a session's default) where it does not
     *        apply is refused
     * @param latenessMillis the session's {@code 'allowed-lateness'}: with it, a windowed GROUP BY over event time
     *        is also a change stream, whose windows' corrections (late rows within the lateness) are updates
     */
    static Optional<PlanNode> plan(RelNode query, List<ResultColumn> columns, PhysicalPlanConverter converter,
                                   Function<String, WeirException> reject, WindowEmission emission, long latenessMillis) {
        boolean early = emission.kind() == WindowEmission.Kind.EVERY;
        Optional<TopAggregate> top = TopAggregate.of(query);
        if (top.isEmpty()) {
            if (early && emission.clause() != null) {
                throw emission.reject("EMIT EVERY sends the current values of open windows: the query must end with a"
                        + " windowed GROUP BY (GROUP BY window_start, window_end, ...)");
            }
            return Optional.empty();
        }
        PlanNode grouped = early
                ? converter.outermostAggregate(top.get().aggregate(), WindowAggregatePlanner.OpenWindows.every(emission.everyMillis()))
                : converter.outermostAggregate(top.get().aggregate());
        if (!(grouped instanceof GroupAggregate)) {
            boolean late = AllowedLateness.applies(grouped, latenessMillis, reject);
            if (late) {
                grouped = AllowedLateness.apply(grouped, latenessMillis, reject);
            }
            return early || late
                    ? Optional.of(earlyWindows(query, columns, converter, reject, top.get(), grouped, emission,
                    late ? latenessMillis : 0))
                    : Optional.empty(); // windowed: its windows' final rows, planned as usual
        }
        List<Integer> keys = top.get().keyColumns("A continuous query over GROUP BY without a window sends the changes of"
                + " each group", reject);
        boolean keep = top.get().condition().isPresent();
        PlanNode rows = converter.project(grouped, top.get().aggregate().getRowType(), top.get().projectsWithKeep(),
                top.get().outputType(query.getCluster().getTypeFactory(), columns));
        return Optional.of(new Changelog(rows, keys, keep, Changelog.outputType(rows.outputType(), keep)));
    }

    private static PlanNode earlyWindows(RelNode query, List<ResultColumn> columns, PhysicalPlanConverter converter,
                                         Function<String, WeirException> reject, TopAggregate top, PlanNode grouped,
                                         WindowEmission emission, long latenessMillis) {
        PlanNode node = grouped;
        while (node instanceof Calc calc) {
            node = calc.input();
        }
        if (!(node instanceof WindowAggregate window) || window.window().sizeMillis() <= 0) {
            if (latenessMillis > 0 && emission.kind() != WindowEmission.Kind.EVERY) {
                throw reject.apply("'allowed-lateness' applies to TUMBLE, HOP and CUMULATE windows");
            }
            throw emission.reject("EMIT EVERY applies to TUMBLE, HOP and CUMULATE windows; this query's GROUP BY groups by"
                    + " the windows of a query below it. Use EMIT AFTER WATERMARK");
        }
        String what = emission.kind() == WindowEmission.Kind.EVERY ? "A continuous query with EMIT EVERY"
                : "A continuous query with 'allowed-lateness'";
        List<Integer> keys = top.keyColumns(what + " sends the changes of each window's groups", reject);
        boolean keep = top.condition().isPresent();
        PlanNode rows = converter.project(grouped, top.aggregate().getRowType(), top.projectsWithKeep(),
                top.outputType(query.getCluster().getTypeFactory(), columns));
        List<Integer> timeColumns = keys.stream()
                .filter(k -> rows.outputType().get(k).type().kind() == TypeKind.TIMESTAMP).toList();
        if (timeColumns.isEmpty()) {
            throw reject.apply(what + " sends the changes of each window's groups, so it must"
                    + " select its window's start or end (window_start, window_end)");
        }
        // a window's rows are kept until well after it fired (and after its allowed lateness): its start (or end)
        // plus twice its size and the lateness
        Changelog.WindowRows windows = new Changelog.WindowRows(timeColumns, 2 * window.window().sizeMillis() + latenessMillis,
                window.window().eventTime());
        return new Changelog(rows, keys, keep, Changelog.outputType(rows.outputType(), keep), windows);
    }

    /** The result columns of a change stream: {@code op}, then the query's. */
    static List<ResultColumn> columns(List<ResultColumn> queryColumns) {
        List<ResultColumn> columns = new ArrayList<>();
        columns.add(new ResultColumn(Changelog.OP_COLUMN, DataType.varchar().withNullable(false)));
        columns.addAll(queryColumns);
        return columns;
    }
}

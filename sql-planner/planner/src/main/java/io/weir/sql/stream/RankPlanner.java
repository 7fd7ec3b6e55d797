package io.weir.sql.stream;

import io.weir.engine.plan.Changelog;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.Rank;
import io.weir.spi.WeirException;
import io.weir.spi.type.DataType;
import io.weir.sql.statement.ResultColumn;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.TableFunctionScan;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlWindowTableFunction;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.ImmutableBitSet;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Plans Flink's Top-N and deduplication forms: a {@code ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...)}
 * (Calcite's {@link Window}) under a filter bounding it ({@code rn <= N}, {@code rn < N}, {@code rn = 1}):
 * <ul>
 *   <li>PARTITION BY a window aggregation's {@code window_start, window_end}: window Top-N, each window's top
 *   rows once it fires ({@link Rank.Kind#WINDOW});</li>
 *   <li>{@code rn = 1} ordered by the time attribute (event time or PROCTIME()) ascending: deduplication
 *   keeping the first row, append-only ({@link Rank.Kind#KEEP_FIRST});</li>
 *   <li>{@code rn = 1} ordered by the time attribute descending: keeping the last row, and anything else an
 *   updating Top-N: both send updates, so they are only planned at the top of a {@code SELECT STREAM},
 *   as a change stream ({@link #changes}).</li>
 * </ul>
 * Anything else with OVER is refused, saying what is supported.
 */
final class RankPlanner {
    static final String SUPPORTED = "Continuous queries support OVER windows only as ROW_NUMBER() OVER (PARTITION BY ... ORDER BY"
            + " ...) AS rn in a subquery, filtered by WHERE rn <= N (Top-N) or rn = 1 (deduplication)";

    private final RexBuilder rexBuilder;
    private final CalcPlanner calcs;
    private final Function<RelNode, PlanNode> converter;
    private final BiFunction<StreamingConstruct, String, WeirException> rejecter;
    private final boolean finalWindows;

    /**
     * @param finalWindows whether window aggregations send only their windows' final rows (not a view's or an
     *        EMIT EVERY query's updates of open windows), which window Top-N ranks
     */
    RankPlanner(RexBuilder rexBuilder, CalcPlanner calcs, Function<RelNode, PlanNode> converter,
                BiFunction<StreamingConstruct, String, WeirException> rejecter, boolean finalWindows) {
        this.rexBuilder = requireNonNull(rexBuilder, "rexBuilder is null");
        this.calcs = requireNonNull(calcs, "calcs is null");
        this.converter = requireNonNull(converter, "converter is null");
        this.rejecter = requireNonNull(rejecter, "rejecter is null");
        this.finalWindows = finalWindows;
    }

    /** A ranking: the OVER window, its Rank (input converted), and the filter left after the row-number bound. */
    private record Ranking(Window window, Rank rank, RexNode rest) {
    }

    /**
     * Plans {@code calc}, a filter and projection over a ROW_NUMBER() window, as a window Top-N or a keep-first
     * deduplication; the forms that send updates are refused here (they are planned by {@link #changes}).
     */
    PlanNode plan(Calc calc) {
        Ranking ranking = ranking(calc, kind -> true);
        Rank.Kind kind = ranking.rank().kind();
        if (kind == Rank.Kind.KEEP_LAST || kind == Rank.Kind.UPDATING) {
            throw reject((kind == Rank.Kind.KEEP_LAST ? "Deduplication keeping the last row (ORDER BY the time column DESC)"
                    : "Top-N over a stream (not per window)") + " sends updates as rows change, so it must be the outermost"
                    + " operation of a SELECT STREAM (whose result is then a change stream with an op column) or of an INSERT"
                    + " INTO a sink with a PRIMARY KEY on its PARTITION BY columns" + (kind == Rank.Kind.UPDATING
                    ? " and row number" : "") + ", or a materialized view's query; it cannot be read by another operation"
                    + " yet. Window Top-N (PARTITION BY window_start, window_end) and keeping the first row (ORDER BY the"
                    + " time column ASC) can");
        }
        RexProgram program = calc.getProgram();
        List<RexNode> projects = program.getProjectList().stream().map(program::expandLocalRef).toList();
        return calcs.calc(ranking.rank(), ranking.window().getRowType(), ranking.rest(), new ArrayList<>(projects),
                calc.getRowType());
    }

    /**
     * The change stream of a query whose outermost operation is a keep-last deduplication or an updating Top-N:
     * the Rank's rows, projected as the query's columns (with whether the filter left keeps them), under a
     * {@link Changelog} keyed by the partition keys (and, for Top-N, the row number). Empty for any other query.
     */
    Optional<PlanNode> changes(RelNode query, List<ResultColumn> columns, Function<String, WeirException> reject) {
        if (!(query instanceof Calc calc) || !(calc.getInput() instanceof Window window) || !OverPlanner.isRanking(window)) {
            return Optional.empty();
        }
        Ranking ranking = ranking(calc, kind -> kind == Rank.Kind.KEEP_LAST || kind == Rank.Kind.UPDATING);
        if (ranking == null) {
            return Optional.empty();
        }
        Rank rank = ranking.rank();
        RexProgram program = calc.getProgram();
        List<RexNode> projects = new ArrayList<>(program.getProjectList().stream().map(program::expandLocalRef).toList());
        List<Integer> keys = keyColumns(ranking, projects, reject);
        RelDataTypeFactory typeFactory = rexBuilder.getTypeFactory();
        RelDataTypeFactory.Builder type = typeFactory.builder();
        for (int i = 0; i < projects.size(); i++) {
            type.add(columns.get(i).name(), projects.get(i).getType());
        }
        boolean keep = ranking.rest() != null;
        if (keep) {
            projects.add(ranking.rest());
            type.add(TopAggregate.KEEP_COLUMN, typeFactory.createTypeWithNullability(
                    typeFactory.createSqlType(SqlTypeName.BOOLEAN), true));
        }
        PlanNode rows = calcs.calc(rank, ranking.window().getRowType(), null, projects, type.uniquify().build());
        List<DataType.Field> rowType = rows.outputType();
        return Optional.of(new Changelog(rows, keys, keep, Changelog.outputType(rowType, keep)));
    }

    /** The ranking {@code calc} filters, or null when its kind is not {@code wanted} (its input then not converted). */
    /** A keep-last deduplication's or updating Top-N's rows for an upsert sink, and the query columns that key them. */
    record Upserts(PlanNode rows, List<Integer> keyColumns, String what) {
    }

    /**
     * The rows of a query whose outermost operation is a keep-last deduplication or an updating Top-N, for an
     * {@code INSERT INTO} a sink with a primary key or a materialized view (each row replaces the row of its key): the Rank's rows
     * projected as the query's columns, keyed by the PARTITION BY columns (and the row number). Empty for any
     * other query. A condition besides the row number is refused: a row that stops satisfying it would have to
     * be deleted from the sink.
     */
    Optional<Upserts> upserts(RelNode query, Function<String, WeirException> reject) {
        if (!(query instanceof Calc calc) || !(calc.getInput() instanceof Window window) || !OverPlanner.isRanking(window)) {
            return Optional.empty();
        }
        Ranking ranking = ranking(calc, kind -> kind == Rank.Kind.KEEP_LAST || kind == Rank.Kind.UPDATING);
        if (ranking == null) {
            return Optional.empty();
        }
        String what = ranking.rank().kind() == Rank.Kind.KEEP_LAST ? "Deduplication keeping the last row"
                : "Top-N over a stream";
        if (ranking.rest() != null) {
            throw reject.apply(what + " in a materialized view or into a sink with a PRIMARY KEY replaces each key's row,"
                    + " and cannot remove a row that stops satisfying a further condition: filter before ranking (in the"
                    + " sub-query), or read it with SELECT STREAM, whose change stream deletes such rows");
        }
        RexProgram program = calc.getProgram();
        List<RexNode> projects = new ArrayList<>(program.getProjectList().stream().map(program::expandLocalRef).toList());
        List<Integer> keys = keyColumns(ranking, projects, reject);
        PlanNode rows = calcs.calc(ranking.rank(), ranking.window().getRowType(), null, projects, calc.getRowType());
        return Optional.of(new Upserts(rows, keys, what));
    }

    /** The positions in {@code projects} of the PARTITION BY columns (and, for Top-N, the row number), which must be selected. */
    private static List<Integer> keyColumns(Ranking ranking, List<RexNode> projects, Function<String, WeirException> reject) {
        Rank rank = ranking.rank();
        List<Integer> keys = new ArrayList<>();
        List<Integer> keyFields = new ArrayList<>(rank.partitionKeys());
        String why = rank.kind() == Rank.Kind.KEEP_LAST
                ? "Deduplication keeping the last row sends each partition's row as it changes, so it must select the"
                + " PARTITION BY columns"
                : "Top-N over a stream sends the rows of each rank as they change, so it must select the PARTITION BY"
                + " columns and the row number";
        if (rank.kind() == Rank.Kind.UPDATING) {
            keyFields.add(rank.input().outputType().size());
        }
        for (int field : keyFields) {
            int found = -1;
            for (int j = 0; j < projects.size() && found < 0; j++) {
                if (projects.get(j) instanceof RexInputRef ref && ref.getIndex() == field) {
                    found = j;
                }
            }
            if (found < 0) {
                throw reject.apply(why + ": add '" + ranking.window().getRowType().getFieldNames().get(field)
                        + "' to the SELECT list");
            }
            keys.add(found);
        }
        return keys;
    }

    private Ranking ranking(Calc calc, java.util.function.Predicate<Rank.Kind> wanted) {
        Window window = (Window) calc.getInput();
        if (window.groups.size() != 1 || window.groups.get(0).aggCalls.size() != 1) {
            throw reject(SUPPORTED + ": one ROW_NUMBER() per query");
        }
        Window.Group group = window.groups.get(0);
        Window.RexWinAggCall call = group.aggCalls.get(0);
        if (call.getKind() != SqlKind.ROW_NUMBER) {
            throw reject(SUPPORTED + "; " + call.getOperator().getName() + "() OVER is not supported yet");
        }
        if (group.orderKeys.getFieldCollations().isEmpty()) {
            throw reject(SUPPORTED + ": ROW_NUMBER() needs an ORDER BY in its OVER clause");
        }
        int rowNumber = window.getInput().getRowType().getFieldCount();
        RexProgram program = calc.getProgram();
        RexNode condition = program.getCondition() == null ? null : program.expandLocalRef(program.getCondition());
        long limit = 0;
        List<RexNode> rest = new ArrayList<>();
        for (RexNode conjunct : condition == null ? List.<RexNode>of() : RelOptUtil.conjunctions(condition)) {
            long bound = bound(conjunct, rowNumber);
            if (bound > 0 && limit == 0) {
                limit = bound;
            } else if (RelOptUtil.InputFinder.bits(conjunct).get(rowNumber)) {
                throw reject(SUPPORTED + "; bound the row number once, by rn <= N, rn < N or rn = 1 (N a literal),"
                        + " not otherwise");
            } else {
                rest.add(conjunct);
            }
        }
        if (limit == 0) {
            throw reject(SUPPORTED + ": a stream never ends, so the row number must be bounded; add WHERE rn <= N"
                    + " around the subquery");
        }
        List<Integer> partitionKeys = group.keys.asList();
        List<Rank.SortKey> orderKeys = new ArrayList<>();
        for (RelFieldCollation collation : group.orderKeys.getFieldCollations()) {
            boolean descending = collation.getDirection().isDescending();
            RelFieldCollation.NullDirection nulls = collation.nullDirection == RelFieldCollation.NullDirection.UNSPECIFIED
                    ? collation.getDirection().defaultNullDirection() : collation.nullDirection;
            orderKeys.add(new Rank.SortKey(collation.getFieldIndex(), descending, nulls == RelFieldCollation.NullDirection.FIRST));
        }
        RelNode input = window.getInput();
        Rank.Kind kind;
        boolean eventTime = false;
        WindowBounds bounds = new WindowBounds();
        for (int key : partitionKeys) {
            bounds.add(origin(input, key, false));
        }
        if (bounds.start && bounds.end) {
            if (!bounds.aggregated) {
                throw reject("Window Top-N ranks the rows of a window aggregation (GROUP BY window_start, window_end, ...);"
                        + " ranking a window table function's rows directly is not supported yet: aggregate them first");
            }
            if (!finalWindows) {
                throw reject("Window Top-N ranks each window's final rows: it is not supported in materialized views, upserting"
                        + " INSERT INTO or with EMIT EVERY, whose windows send updates. Use EMIT AFTER WATERMARK");
            }
            kind = Rank.Kind.WINDOW;
        } else if (bounds.start || bounds.end) {
            throw reject("Window Top-N partitions by both window_start and window_end of a window aggregation: add the"
                    + " other to PARTITION BY");
        } else {
            TimeAttributes.TimeAttribute time = orderKeys.size() == 1
                    ? TimeAttributes.field(input, orderKeys.get(0).column()) : TimeAttributes.TimeAttribute.NONE;
            if (limit == 1 && time != TimeAttributes.TimeAttribute.NONE) {
                kind = orderKeys.get(0).descending() ? Rank.Kind.KEEP_LAST : Rank.Kind.KEEP_FIRST;
                eventTime = time == TimeAttributes.TimeAttribute.EVENT_TIME;
            } else {
                kind = Rank.Kind.UPDATING;
            }
        }
        if (!wanted.test(kind)) {
            return null;
        }
        PlanNode inputNode = converter.apply(input);
        Rank rank = new Rank(inputNode, kind, partitionKeys, orderKeys, limit, eventTime,
                Rank.outputType(inputNode.outputType()));
        RexNode remaining = rest.isEmpty() ? null : RexUtil.composeConjunction(rexBuilder, rest);
        return new Ranking(window, rank, remaining);
    }

    /** The largest row number {@code conjunct} allows when it bounds field {@code rowNumber} by a literal; 0 otherwise. */
    private static long bound(RexNode conjunct, int rowNumber) {
        if (!(conjunct instanceof RexCall call) || call.getOperands().size() != 2) {
            return 0;
        }
        RexNode left = call.getOperands().get(0);
        RexNode right = call.getOperands().get(1);
        SqlKind kind = call.getKind();
        if (isRowNumber(right, rowNumber) && literal(left) != null) {
            kind = kind.reverse();
            RexNode swap = left;
            left = right;
            right = swap;
        }
        if (!isRowNumber(left, rowNumber)) {
            return 0;
        }
        BigDecimal value = literal(right);
        if (value == null || value.scale() > 0 && value.stripTrailingZeros().scale() > 0) {
            return 0;
        }
        long n = value.longValue();
        return switch (kind) {
            case LESS_THAN_OR_EQUAL -> Math.max(0, n);
            case LESS_THAN -> Math.max(0, n - 1);
            case EQUALS -> n == 1 ? 1 : 0;
            default -> 0;
        };
    }

    private static boolean isRowNumber(RexNode node, int rowNumber) {
        RexNode stripped = RexUtil.removeCast(node);
        return stripped instanceof RexInputRef ref && ref.getIndex() == rowNumber;
    }

    private static BigDecimal literal(RexNode node) {
        RexNode stripped = RexUtil.removeCast(node);
        return stripped instanceof RexLiteral literal && !literal.isNull() ? literal.getValueAs(BigDecimal.class) : null;
    }

    /** What the PARTITION BY columns are of a window table function's bounds, and whether a GROUP BY is between. */
    private static final class WindowBounds {
        boolean start;
        boolean end;
        boolean aggregated;

        void add(Origin origin) {
            if (origin == null) {
                return;
            }
            start |= origin.start();
            end |= !origin.start();
            aggregated |= origin.aggregated();
        }
    }

    private record Origin(boolean start, boolean aggregated) {
    }

    /**
     * Whether field {@code field} of {@code rel} is, through projections and group keys, the window_start or
     * window_end column of a window table function; null when it is not.
     */
    private static Origin origin(RelNode rel, int field, boolean aggregated) {
        if (rel instanceof Calc calc) {
            RexProgram program = calc.getProgram();
            RexNode expression = program.expandLocalRef(program.getProjectList().get(field));
            return expression instanceof RexInputRef ref ? origin(calc.getInput(), ref.getIndex(), aggregated) : null;
        }
        if (rel instanceof Aggregate aggregate && aggregate.getGroupSets().size() == 1) {
            ImmutableBitSet groups = aggregate.getGroupSet();
            return field < aggregate.getGroupCount() ? origin(aggregate.getInput(), groups.nth(field), true) : null;
        }
        if (rel instanceof TableFunctionScan scan && scan.getCall() instanceof RexCall call
                && call.getOperator() instanceof SqlWindowTableFunction) {
            RelDataType type = scan.getRowType();
            int count = type.getFieldCount();
            if (field == count - 2) {
                return new Origin(true, aggregated);
            }
            if (field == count - 1) {
                return new Origin(false, aggregated);
            }
        }
        return null;
    }

    private WeirException reject(String message) {
        return rejecter.apply(StreamingConstruct.QUERY, message);
    }
}

package io.weir.sql.stream;

import io.weir.engine.expression.BatchFilter;
import io.weir.engine.plan.Calc;
import io.weir.engine.plan.IntervalJoin;
import io.weir.engine.plan.JoinKind;
import io.weir.engine.plan.LookupJoin;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SourceScan;
import io.weir.engine.plan.SourceSpec;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowJoin;
import io.weir.spi.WeirException;
import io.weir.spi.connector.CommonOptions;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.option.OptionParsing;
import io.weir.spi.type.DataType;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ObjectType;
import io.weir.sql.schema.CatalogTable;
import io.weir.sql.schema.TypeMapping;
import io.weir.sql.stream.codegen.ExpressionCompiler;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Plans joins in continuous queries as one of three kinds, or rejects them saying what to write:
 * <ul>
 *   <li>a stream joined (INNER or LEFT) with a registered TABLE on key equalities: a {@link LookupJoin};</li>
 *   <li>two windowed aggregations joined on window_start, window_end (and keys): a {@link WindowJoin};</li>
 *   <li>two streams joined with a lower and an upper bound on the difference of their event times,
 *       e.g. {@code b.ts BETWEEN a.ts - INTERVAL '1' MINUTE AND a.ts}: an {@link IntervalJoin}.</li>
 * </ul>
 * Any other join of two streams would have to keep every row of both forever, and is rejected.
 */
final class JoinPlanner {
    static final String UNBOUNDED = "it would have to keep every row of both streams forever. Write an interval"
            + " join, bounding one event time by the other's on both sides: ON a.k = b.k AND b.ts BETWEEN"
            + " a.ts - INTERVAL '1' MINUTE AND a.ts + INTERVAL '1' MINUTE (ts: the streams' WATERMARK columns); or join"
            + " two windowed aggregations ON a.k = b.k AND a.window_start = b.window_start AND a.window_end = b.window_end;"
            + " to enrich a stream with reference data, declare that data as a TABLE and join the stream with it";

    private final RexBuilder rexBuilder;
    private final CalcPlanner calcs;
    private final ExpressionCompiler compiler;
    private final Function<RelNode, PlanNode> converter;
    private final BiFunction<StreamingConstruct, String, WeirException> rejecter;

    JoinPlanner(RexBuilder rexBuilder, CalcPlanner calcs, Function<RelNode, PlanNode> converter,
                BiFunction<StreamingConstruct, String, WeirException> rejecter) {
        this.rexBuilder = requireNonNull(rexBuilder, "rexBuilder is null");
        this.calcs = requireNonNull(calcs, "calcs is null");
        this.compiler = new ExpressionCompiler(rexBuilder);
        this.converter = requireNonNull(converter, "converter is null");
        this.rejecter = requireNonNull(rejecter, "rejecter is null");
    }

    private WeirException reject(String message) {
        return rejecter.apply(StreamingConstruct.JOIN, message);
    }

    /** Whether {@code rel} is a scan of a registered TABLE (bounded reference data). */
    static boolean isReferenceTable(RelNode rel) {
        return table(rel).isPresent();
    }

    /** The reference table {@code rel} reads: a scan of it, possibly under Calcs (computed columns, casts, filters). */
    private static Optional<CatalogObject> table(RelNode rel) {
        if (rel instanceof org.apache.calcite.rel.core.Calc calc) {
            return table(calc.getInput());
        }
        if (rel instanceof TableScan scan) {
            CatalogTable table = scan.getTable().unwrap(CatalogTable.class);
            if (table != null && table.object().type() == ObjectType.TABLE) {
                return Optional.of(table.object());
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code rel} reads reference tables only through lookup joins (so it is a stream, possibly
     * enriched, as the left side of a lookup join must be).
     */
    private static boolean isStream(RelNode rel) {
        if (isReferenceTable(rel)) {
            return false;
        }
        if (rel instanceof Join join && isReferenceTable(join.getRight())) {
            return isStream(join.getLeft());
        }
        for (RelNode input : rel.getInputs()) {
            if (!isStream(input)) {
                return false;
            }
        }
        return true;
    }

    PlanNode plan(Join join) {
        JoinKind kind = switch (join.getJoinType()) {
            case INNER -> JoinKind.INNER;
            case LEFT -> JoinKind.LEFT;
            case RIGHT -> JoinKind.RIGHT;
            case FULL -> JoinKind.FULL;
            case SEMI -> JoinKind.SEMI;
            case ANTI -> JoinKind.ANTI;
            default -> throw reject(join.getJoinType() + " joins are not supported in continuous queries; write a JOIN");
        };
        JoinInfo info = join.analyzeCondition();
        RelNode left = join.getLeft();
        RelNode right = join.getRight();
        checkKeyTypes(join, info);
        if (isReferenceTable(right) && isStream(left)) {
            return lookup(join, kind, info);
        }
        if (isReferenceTable(left) && isStream(right)) {
            throw reject("Put the stream first when joining it with reference table '" + table(left).get().name()
                    + "': FROM stream s [LEFT] JOIN " + table(left).get().name() + " t ON s.k = t.k");
        }
        if (kind.keepsLeftColumnsOnly()) {
            throw reject("IN and EXISTS in a continuous query look rows up in a reference table: write ... WHERE k IN (SELECT k"
                    + " FROM table ...) or WHERE EXISTS (SELECT 1 FROM table t WHERE t.k = s.k); over a stream, write a JOIN");
        }
        if (!isStream(left) || !isStream(right)) {
            throw reject("A lookup join reads one reference table: write FROM stream s [LEFT] JOIN table t"
                    + " ON s.k = t.k [AND other conditions], or JOIN (SELECT ... FROM table WHERE ...) t; the table side"
                    + " cannot join or aggregate tables");
        }
        return streamJoin(join, kind, info);
    }

    private void checkKeyTypes(Join join, JoinInfo info) {
        List<RelDataType> leftTypes = join.getLeft().getRowType().getFieldList().stream().map(f -> f.getType()).toList();
        List<RelDataType> rightTypes = join.getRight().getRowType().getFieldList().stream().map(f -> f.getType()).toList();
        for (int i = 0; i < info.leftKeys.size(); i++) {
            DataType leftType = TypeMapping.toDataType(leftTypes.get(info.leftKeys.get(i)), "a join key");
            DataType rightType = TypeMapping.toDataType(rightTypes.get(info.rightKeys.get(i)), "a join key");
            if (leftType.kind().representation() != rightType.kind().representation()) {
                throw reject("The join keys '" + join.getLeft().getRowType().getFieldNames().get(info.leftKeys.get(i))
                        + "' (" + leftType + ") and '" + join.getRight().getRowType().getFieldNames().get(info.rightKeys.get(i))
                        + "' (" + rightType + ") have different types; CAST one to the other's type");
            }
        }
    }

    private Optional<BatchFilter> condition(Join join, RexNode residual) {
        return condition(join.getRowType(), residual);
    }

    private Optional<BatchFilter> condition(RelDataType pairType, RexNode residual) {
        return residual.isAlwaysTrue() ? Optional.empty() : Optional.of(compiler.compileFilter(pairType, residual));
    }

    private String conditionText(Join join, RexNode residual) {
        return conditionText(join.getRowType(), residual);
    }

    private String conditionText(RelDataType pairType, RexNode residual) {
        return residual.isAlwaysTrue() ? "" : CalcPlanner.render(residual, pairType.getFieldNames());
    }

    private PlanNode lookup(Join join, JoinKind kind, JoinInfo info) {
        CatalogObject table = table(join.getRight()).orElseThrow();
        if (kind == JoinKind.RIGHT || kind == JoinKind.FULL) {
            throw reject("A " + kind + " JOIN with reference table '" + table.name() + "' would have to emit the table rows"
                    + " no stream row ever matches, which a continuous query never knows. Use JOIN or LEFT JOIN, with the"
                    + " stream first");
        }
        if (info.leftKeys.isEmpty()) {
            throw reject("A join with reference table '" + table.name() + "' looks rows up by key: add an equality of"
                    + " columns to ON, e.g. ON s.k = " + table.name() + ".k");
        }
        PlanNode tableNode = tableNode(join.getRight(), table);
        Optional<Duration> refresh = Optional.ofNullable(table.options().get(CommonOptions.REFRESH_INTERVAL.key()))
                .map(OptionParsing::parseDuration);
        RexNode residual = info.getRemaining(rexBuilder);
        PlanNode stream = converter.apply(join.getLeft());
        // a semi- or anti-join's row type is the stream's alone; its condition reads the table's columns too
        RelDataType pairType = kind.keepsLeftColumnsOnly()
                ? join.getCluster().getTypeFactory().createJoinType(join.getLeft().getRowType(), join.getRight().getRowType())
                : join.getRowType();
        return new LookupJoin(stream, tableNode, info.leftKeys, info.rightKeys, kind, condition(pairType, residual),
                conditionText(pairType, residual), refresh, CalcPlanner.fields(join.getRowType()));
    }

    /** The table's scan, with the Calcs above it in the plan fused into one, applied when the table is loaded. */
    private PlanNode tableNode(RelNode rel, CatalogObject table) {
        if (rel instanceof org.apache.calcite.rel.core.Calc calc) {
            RexProgram program = calc.getProgram();
            List<RexNode> projects = program.getProjectList().stream().map(program::expandLocalRef).toList();
            RexNode condition = program.getCondition() == null ? null : program.expandLocalRef(program.getCondition());
            return calcs.calc(tableNode(calc.getInput(), table), calc.getInput().getRowType(), condition,
                    new java.util.ArrayList<>(projects), calc.getRowType());
        }
        List<DataType.Field> readerSchema = table.readerSchema();
        if (!readerSchema.stream().map(DataType.Field::name).toList().equals(rel.getRowType().getFieldNames())) {
            throw reject("Table '" + table.name() + "' has METADATA columns, which lookup joins do not read yet;"
                    + " join a table without them");
        }
        return new SourceScan(new SourceSpec(table.name(), ObjectKind.TABLE, table.options(), table.physicalSchema(), -1,
                Duration.ZERO, Optional.empty(), table.metadataColumns()));
    }

    private PlanNode streamJoin(Join join, JoinKind kind, JoinInfo info) {
        RexNode residual = info.getRemaining(rexBuilder);
        int leftCount = join.getLeft().getRowType().getFieldCount();
        PlanNode left = converter.apply(join.getLeft());
        PlanNode right = converter.apply(join.getRight());

        int leftStart = -1;
        int leftEnd = -1;
        int rightEnd = -1;
        boolean startPair = false;
        for (int i = 0; i < info.leftKeys.size(); i++) {
            WindowColumn l = windowColumn(left, info.leftKeys.get(i));
            WindowColumn r = windowColumn(right, info.rightKeys.get(i));
            if (l == WindowColumn.END && r == WindowColumn.END) {
                leftEnd = info.leftKeys.get(i);
                rightEnd = info.rightKeys.get(i);
            } else if (l == WindowColumn.START && r == WindowColumn.START) {
                startPair = true;
                leftStart = info.leftKeys.get(i);
            }
        }
        boolean windowed = hasWindowEnd(left) && hasWindowEnd(right);
        if (windowed) {
            if (leftEnd < 0 || !startPair) {
                throw reject("A join of two windowed aggregations matches rows of the same window: add "
                        + (leftEnd < 0 && !startPair ? "a.window_start = b.window_start AND a.window_end = b.window_end"
                        : leftEnd < 0 ? "a.window_end = b.window_end" : "a.window_start = b.window_start")
                        + " to ON (both sides' window_start and window_end columns)");
            }
            if (emitsOpenWindows(left, leftEnd) || emitsOpenWindows(right, rightEnd)) {
                throw reject("A window join matches each window once, when it closes, but these windowed aggregations"
                        + " (of a materialized view) also emit windows while they fill up. Join them in a continuous query"
                        + " (SELECT STREAM, or INSERT INTO a stream) instead");
            }
            if (!eventTimeWindow(left, leftEnd) || !eventTimeWindow(right, rightEnd)) {
                throw reject("A window join matches windows once the watermark of both sides passes their end, so both"
                        + " windows must be on event time (the streams' WATERMARK columns), not on PROCTIME()");
            }
            return new WindowJoin(left, right, info.leftKeys, info.rightKeys, leftEnd, rightEnd, kind,
                    condition(join, residual), conditionText(join, residual), CalcPlanner.fields(join.getRowType()));
        }

        Bounds bounds = new Bounds();
        for (RexNode conjunct : RelOptUtil.conjunctions(residual)) {
            bounds.add(conjunct, leftCount);
        }
        for (int i = 0; i < info.leftKeys.size() && bounds.leftTime < 0; i++) {
            // ON a.ts = b.ts on the event times: an interval of zero width
            if (TimeAttributes.field(join.getLeft(), info.leftKeys.get(i)) == TimeAttributes.TimeAttribute.EVENT_TIME
                    && TimeAttributes.field(join.getRight(), info.rightKeys.get(i)) == TimeAttributes.TimeAttribute.EVENT_TIME) {
                bounds.leftTime = info.leftKeys.get(i);
                bounds.rightTime = info.rightKeys.get(i);
                bounds.lower = 0L;
                bounds.upper = 0L;
            }
        }
        if (bounds.leftTime < 0) {
            throw reject("A join of two streams needs a time bound (no condition in ON compares the event times of both"
                    + " sides), or " + UNBOUNDED);
        }
        String leftName = join.getLeft().getRowType().getFieldNames().get(bounds.leftTime);
        String rightName = join.getRight().getRowType().getFieldNames().get(bounds.rightTime);
        if (bounds.lower == null || bounds.upper == null) {
            String missing = bounds.lower == null ? "lower" : "upper";
            String example = bounds.lower == null ? "b." + rightName + " >= a." + leftName + " - INTERVAL '1' MINUTE"
                    : "b." + rightName + " <= a." + leftName + " + INTERVAL '1' MINUTE";
            throw reject("This interval join has no " + missing + " bound on " + rightName + " relative to " + leftName
                    + ", so " + UNBOUNDED + ". Add the " + missing + " bound, e.g. "
                    + example);
        }
        if (bounds.lower > bounds.upper) {
            throw reject("The time bounds of this interval join admit no rows: " + rightName + " - " + leftName
                    + " between " + bounds.lower + " ms and " + bounds.upper + " ms");
        }
        if (TimeAttributes.field(join.getLeft(), bounds.leftTime) != TimeAttributes.TimeAttribute.EVENT_TIME
                || TimeAttributes.field(join.getRight(), bounds.rightTime) != TimeAttributes.TimeAttribute.EVENT_TIME) {
            String which = TimeAttributes.field(join.getLeft(), bounds.leftTime) != TimeAttributes.TimeAttribute.EVENT_TIME
                    ? leftName : rightName;
            throw reject("An interval join bounds the streams' event times: '" + which + "' is not the event-time column"
                    + " (the column of the stream's WATERMARK clause), so its state could never be freed. Compare the"
                    + " WATERMARK columns of both streams");
        }
        return new IntervalJoin(left, right, info.leftKeys, info.rightKeys, bounds.leftTime, bounds.rightTime, bounds.lower,
                bounds.upper, kind, condition(join, residual), conditionText(join, residual),
                CalcPlanner.fields(join.getRowType()));
    }

    private enum WindowColumn { START, END, NONE }

    /** Whether the window aggregation column {@code column} of {@code node} comes from is on event time. */
    private boolean eventTimeWindow(PlanNode node, int column) {
        WindowAggregate aggregate = windowAggregate(node, column);
        return aggregate != null && aggregate.window().eventTime();
    }

    private boolean emitsOpenWindows(PlanNode node, int column) {
        WindowAggregate aggregate = windowAggregate(node, column);
        return aggregate != null && aggregate.emitOpenWindows();
    }

    /** The window aggregation that column {@code column} (window_start or window_end) of {@code node} comes from. */
    private WindowAggregate windowAggregate(PlanNode node, int column) {
        while (node instanceof Calc calc) {
            TimeTerm term = timeTerm(calcs.projection(calc, column)); // window_end, or window_start + size
            if (term == null) {
                return null;
            }
            column = term.field();
            node = calc.input();
        }
        return node instanceof WindowAggregate aggregate ? aggregate : null;
    }

    /** Whether column {@code column} of {@code node} is, unchanged, the window_start or window_end of a window aggregation. */
    private WindowColumn windowColumn(PlanNode node, int column) {
        while (node instanceof Calc calc) {
            RexNode projection = calcs.projection(calc, column);
            if (!(projection instanceof RexInputRef ref)) {
                return calc.input() instanceof WindowAggregate aggregate && isWindowEnd(projection, aggregate)
                        ? WindowColumn.END : WindowColumn.NONE;
            }
            column = ref.getIndex();
            node = calc.input();
        }
        if (node instanceof WindowAggregate aggregate) {
            int keys = aggregate.groupKeys().size();
            return column == keys ? WindowColumn.START : column == keys + 1 ? WindowColumn.END : WindowColumn.NONE;
        }
        return WindowColumn.NONE;
    }

    /** TUMBLE_END / HOP_END of group windows: Calcite computes them as {@code window_start + size}. */
    private static boolean isWindowEnd(RexNode projection, WindowAggregate aggregate) {
        if (projection instanceof RexCall call && call.getKind() == SqlKind.CAST) {
            return false;
        }
        TimeTerm term = timeTerm(projection);
        int start = aggregate.groupKeys().size();
        return term != null && term.field() == start && (aggregate.window().kind() == io.weir.engine.plan.WindowKind.TUMBLE
                || aggregate.window().kind() == io.weir.engine.plan.WindowKind.HOP)
                && term.offset() == aggregate.window().sizeMillis();
    }

    private boolean hasWindowEnd(PlanNode node) {
        for (int i = 0; i < node.outputType().size(); i++) {
            if (windowColumn(node, i) != WindowColumn.NONE) {
                return true;
            }
        }
        return false;
    }

    /** A time column plus a constant: {@code ts}, {@code ts + INTERVAL ...}, {@code ts - INTERVAL ...}. */
    private record TimeTerm(int field, long offset) {
    }

    /** {@code lower <= right.time - left.time <= upper}, collected from the ON condition's comparisons. */
    private final class Bounds {
        int leftTime = -1;
        int rightTime = -1;
        Long lower;
        Long upper;

        void add(RexNode conjunct, int leftCount) {
            if (!(conjunct instanceof RexCall call) || call.getOperands().size() != 2) {
                return;
            }
            SqlKind kind = call.getKind();
            if (kind != SqlKind.GREATER_THAN && kind != SqlKind.GREATER_THAN_OR_EQUAL && kind != SqlKind.LESS_THAN
                    && kind != SqlKind.LESS_THAN_OR_EQUAL) {
                return;
            }
            TimeTerm a = timeTerm(call.getOperands().get(0));
            TimeTerm b = timeTerm(call.getOperands().get(1));
            if (a == null || b == null) {
                return;
            }
            long constant;
            int l;
            int r;
            if (a.field() >= leftCount && b.field() < leftCount) {
                // right + a OP left + b  =>  right - left OP b - a
                constant = b.offset() - a.offset();
                l = b.field();
                r = a.field() - leftCount;
            } else if (a.field() < leftCount && b.field() >= leftCount) {
                // left + a OP right + b  =>  right - left OP' a - b
                constant = a.offset() - b.offset();
                l = a.field();
                r = b.field() - leftCount;
                kind = kind.reverse();
            } else {
                return;
            }
            if (leftTime >= 0 && (leftTime != l || rightTime != r)) {
                throw reject("An interval join bounds one pair of event-time columns; this ON condition compares"
                        + " several. Bound the same two columns on both sides");
            }
            leftTime = l;
            rightTime = r;
            switch (kind) {
                case GREATER_THAN_OR_EQUAL -> lower = lower == null ? constant : Math.max(lower, constant);
                case GREATER_THAN -> lower = lower == null ? constant + 1 : Math.max(lower, constant + 1);
                case LESS_THAN_OR_EQUAL -> upper = upper == null ? constant : Math.min(upper, constant);
                default -> upper = upper == null ? constant - 1 : Math.min(upper, constant - 1);
            }
        }
    }

    private static TimeTerm timeTerm(RexNode node) {
        if (node instanceof RexInputRef ref && isTimestamp(ref.getType())) {
            return new TimeTerm(ref.getIndex(), 0);
        }
        if (node instanceof RexCall call && call.getOperands().size() == 2
                && (call.getKind() == SqlKind.PLUS || call.getKind() == SqlKind.MINUS)) {
            RexNode first = call.getOperands().get(0);
            RexNode second = call.getOperands().get(1);
            Long interval = intervalMillis(second);
            if (interval != null) {
                TimeTerm term = timeTerm(first);
                return term == null ? null
                        : new TimeTerm(term.field(), term.offset() + (call.getKind() == SqlKind.PLUS ? interval : -interval));
            }
            interval = intervalMillis(first);
            if (interval != null && call.getKind() == SqlKind.PLUS) {
                TimeTerm term = timeTerm(second);
                return term == null ? null : new TimeTerm(term.field(), term.offset() + interval);
            }
        }
        return null;
    }

    private static boolean isTimestamp(RelDataType type) {
        return type.getSqlTypeName() == SqlTypeName.TIMESTAMP || type.getSqlTypeName() == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
    }

    private static Long intervalMillis(RexNode node) {
        if (node instanceof RexLiteral literal && literal.getType().getSqlTypeName().getFamily() == SqlTypeFamily.INTERVAL_DAY_TIME) {
            BigDecimal value = literal.getValueAs(BigDecimal.class);
            return value == null ? null : value.longValue();
        }
        return null;
    }
}

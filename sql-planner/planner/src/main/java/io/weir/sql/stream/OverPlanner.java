package io.weir.sql.stream;

import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.AggregateKind;
import io.weir.engine.plan.OverAggregate;
import io.weir.engine.plan.PlanNode;
import io.weir.spi.WeirException;
import io.weir.sql.schema.TypeMapping;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.rex.RexWindowBound;
import org.apache.calcite.rex.RexWindowExclusion;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlUserDefinedAggFunction;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Plans aggregations OVER a window of preceding rows as Flink runs them on event time ({@link OverAggregate}):
 * {@code agg(...) OVER (PARTITION BY keys ORDER BY time [ROWS | RANGE] BETWEEN n | INTERVAL | UNBOUNDED PRECEDING
 * AND CURRENT ROW)}, several aggregates sharing one window (written inline or as {@code WINDOW w AS (...)}).
 * What a stream cannot run — an ORDER BY other than the event time ascending, FOLLOWING rows, several different
 * windows in one SELECT — is refused, saying what is supported.
 */
final class OverPlanner {
    static final String SUPPORTED = "Continuous queries support aggregates OVER (PARTITION BY ... ORDER BY <event time>"
            + " [ROWS | RANGE] BETWEEN ... PRECEDING AND CURRENT ROW)";

    private final CalcPlanner calcs;
    private final Function<RelNode, PlanNode> converter;
    private final BiFunction<StreamingConstruct, String, WeirException> rejecter;

    OverPlanner(CalcPlanner calcs, Function<RelNode, PlanNode> converter,
                BiFunction<StreamingConstruct, String, WeirException> rejecter) {
        this.calcs = requireNonNull(calcs, "calcs is null");
        this.converter = requireNonNull(converter, "converter is null");
        this.rejecter = requireNonNull(rejecter, "rejecter is null");
    }

    /** Whether {@code window} is one ROW_NUMBER() (Top-N or deduplication, see {@link RankPlanner}), not aggregates. */
    static boolean isRanking(Window window) {
        return window.groups.stream().flatMap(group -> group.aggCalls.stream())
                .anyMatch(call -> call.getKind() == SqlKind.ROW_NUMBER);
    }

    /** {@code calc} (a filter and projection) over the over aggregation of its input window. */
    PlanNode plan(Calc calc) {
        Window window = (Window) calc.getInput();
        RexProgram program = calc.getProgram();
        List<RexNode> projects = program.getProjectList().stream().map(program::expandLocalRef).toList();
        RexNode condition = program.getCondition() == null ? null : program.expandLocalRef(program.getCondition());
        return calcs.calc(plan(window), window.getRowType(), condition, new ArrayList<>(projects), calc.getRowType());
    }

    /** The over aggregation of {@code window}: its input's columns, then its aggregates. */
    OverAggregate plan(Window window) {
        // a function OVER that is not an aggregate (RANK(), LAG(), ...) is refused as such before its window is
        window.groups.forEach(group -> group.aggCalls.forEach(this::kind));
        if (window.groups.size() != 1) {
            throw reject("These OVER clauses differ in PARTITION BY, ORDER BY or frame."
                    + " Give them one window (e.g. WINDOW w AS (...) and OVER w), or compute them in separate queries");
        }
        Window.Group group = window.groups.get(0);
        RelNode input = window.getInput();
        int inputCount = input.getRowType().getFieldCount();
        List<RelFieldCollation> order = group.orderKeys.getFieldCollations();
        if (order.size() != 1) {
            throw reject(order.isEmpty() ? "This OVER clause has no ORDER BY: order by the stream's event-time (WATERMARK)"
                    + " column" : "This OVER clause orders by several columns: order by the stream's event-time (WATERMARK)"
                    + " column alone");
        }
        RelFieldCollation collation = order.get(0);
        String orderColumn = input.getRowType().getFieldNames().get(collation.getFieldIndex());
        TimeAttributes.TimeAttribute time = TimeAttributes.field(input, collation.getFieldIndex());
        if (time == TimeAttributes.TimeAttribute.PROCESSING_TIME) {
            throw reject("ORDER BY a processing-time column (PROCTIME()) is not supported yet; order by the"
                    + " stream's event-time (WATERMARK) column");
        }
        if (time != TimeAttributes.TimeAttribute.EVENT_TIME) {
            String eventTime = null;
            for (int i = 0; i < inputCount && eventTime == null; i++) {
                if (TimeAttributes.field(input, i) == TimeAttributes.TimeAttribute.EVENT_TIME) {
                    eventTime = input.getRowType().getFieldNames().get(i);
                }
            }
            throw reject("'" + orderColumn + "' is not the stream's event-time column: a stream's rows can only be put in"
                    + " order by the time its watermark follows, " + (eventTime == null
                    ? "and this query's input has none (declare a WATERMARK on the stream)" : "so ORDER BY " + eventTime));
        }
        if (collation.getDirection().isDescending()) {
            throw reject("ORDER BY " + orderColumn + " DESC would need rows that have not come yet; order"
                    + " ascending (ORDER BY " + orderColumn + ")");
        }
        if (group.upperBound.isUnboundedFollowing()) {
            throw reject("A frame of the whole partition (an OVER clause without ORDER BY, or UNBOUNDED FOLLOWING) would"
                    + " wait for the end of the stream: ORDER BY the event-time column and end the frame at CURRENT ROW");
        }
        if (!group.upperBound.isCurrentRow()) {
            throw reject("A frame ending after the current row (FOLLOWING) would hold each row back until"
                    + " later rows come, which is not supported; end the frame at CURRENT ROW");
        }
        if (group.exclude != RexWindowExclusion.EXCLUDE_NO_OTHER) {
            throw reject("EXCLUDE in a frame is not supported");
        }
        long preceding = preceding(group.lowerBound, group.isRows, window, inputCount);
        List<AggregateCall> calls = new ArrayList<>();
        List<String> names = window.getRowType().getFieldNames();
        for (int i = 0; i < group.aggCalls.size(); i++) {
            Window.RexWinAggCall call = group.aggCalls.get(i);
            calls.add(call(call, names.get(inputCount + i), inputCount));
        }
        PlanNode inputNode = converter.apply(input);
        return new OverAggregate(inputNode, group.keys.asList(), collation.getFieldIndex(), group.isRows, preceding, calls,
                OverAggregate.outputType(inputNode.outputType(), calls));
    }

    /** The frame's start: rows or milliseconds before the current row, or {@link OverAggregate#UNBOUNDED}. */
    private long preceding(RexWindowBound bound, boolean rows, Window window, int inputCount) {
        if (bound.isUnboundedPreceding()) {
            return OverAggregate.UNBOUNDED;
        }
        if (bound.isCurrentRow()) {
            return 0;
        }
        if (!bound.isPreceding()) {
            throw reject("A frame starting after the current row (FOLLOWING) is not supported");
        }
        RexNode offset = bound.getOffset();
        if (offset instanceof RexInputRef ref && ref.getIndex() >= inputCount) {
            offset = window.constants.get(ref.getIndex() - inputCount);
        }
        if (!(offset instanceof RexLiteral literal) || literal.isNull()) {
            throw reject("The frame's bound must be a literal");
        }
        if (rows) {
            BigDecimal value = literal.getValueAs(BigDecimal.class);
            if (value == null || value.signum() < 0 || value.stripTrailingZeros().scale() > 0) {
                throw reject("ROWS BETWEEN n PRECEDING takes a whole number of rows, not " + literal);
            }
            return value.longValueExact();
        }
        if (!SqlTypeUtil.isInterval(literal.getType())) {
            throw reject("RANGE BETWEEN ... PRECEDING over a time takes an interval, e.g. INTERVAL '1' MINUTE");
        }
        if (literal.getType().getSqlTypeName().getFamily() == org.apache.calcite.sql.type.SqlTypeFamily.INTERVAL_YEAR_MONTH) {
            throw reject("A RANGE is measured in days, hours, minutes, seconds or milliseconds, not months or"
                    + " years");
        }
        Long millis = literal.getValueAs(Long.class);
        if (millis == null || millis < 0) {
            throw reject("The RANGE interval must not be negative");
        }
        return millis;
    }

    private AggregateCall call(Window.RexWinAggCall call, String name, int inputCount) {
        if (call.ignoreNulls) {
            throw reject("IGNORE NULLS is not supported in OVER aggregations");
        }
        AggregateKind kind = kind(call);
        List<RexNode> operands = call.getOperands();
        if (operands.size() > 1 && (kind != AggregateKind.USER || call.distinct)) {
            throw reject(call.getOperator().getName() + (call.distinct ? "(DISTINCT ...)" : "") + " with several arguments"
                    + " is not supported OVER a window; aggregate one expression");
        }
        List<Integer> arguments = new ArrayList<>();
        for (RexNode operand : operands) {
            if (!(operand instanceof RexInputRef ref) || ref.getIndex() >= inputCount) {
                throw reject(call.getOperator().getName() + " OVER a window aggregates columns or expressions of the row,"
                        + " not constants");
            }
            arguments.add(ref.getIndex());
        }
        int argument = arguments.isEmpty() ? -1 : arguments.get(0);
        if (argument < 0 && kind != AggregateKind.COUNT) {
            throw reject(call.getOperator().getName() + "() needs an argument");
        }
        io.weir.engine.aggregate.UserAggregate user = call.getOperator() instanceof SqlUserDefinedAggFunction function
                && function.function instanceof io.weir.sql.udf.UserAggregateFunction udf ? udf.aggregate() : null;
        return new AggregateCall(kind, argument, call.distinct && kind != AggregateKind.APPROX_COUNT_DISTINCT, -1,
                TypeMapping.toDataType(call.getType(), "aggregate '" + name + "'"), name, user,
                arguments.isEmpty() ? List.of() : arguments.subList(1, arguments.size()));
    }

    private AggregateKind kind(Window.RexWinAggCall call) {
        String name = call.getOperator().getName();
        if (call.getOperator() instanceof SqlUserDefinedAggFunction function
                && function.function instanceof io.weir.sql.udf.UserAggregateFunction) {
            return AggregateKind.USER;
        }
        if (name.equalsIgnoreCase("APPROX_COUNT_DISTINCT")) {
            return AggregateKind.APPROX_COUNT_DISTINCT;
        }
        return switch (call.getKind()) {
            case COUNT -> AggregateKind.COUNT;
            case SUM, SUM0 -> AggregateKind.SUM;
            case MIN -> AggregateKind.MIN;
            case MAX -> AggregateKind.MAX;
            case AVG -> AggregateKind.AVG;
            case STDDEV_POP -> AggregateKind.STDDEV_POP;
            case STDDEV_SAMP -> AggregateKind.STDDEV_SAMP;
            case VAR_POP -> AggregateKind.VAR_POP;
            case VAR_SAMP -> AggregateKind.VAR_SAMP;
            default -> throw reject(name + "() OVER is not supported yet. Supported OVER a window: COUNT, SUM, MIN, MAX, AVG,"
                    + " STDDEV_POP, STDDEV_SAMP, VAR_POP, VAR_SAMP, APPROX_COUNT_DISTINCT and user-defined aggregate"
                    + " functions; ROW_NUMBER() for Top-N and deduplication");
        };
    }

    /** The error for what the OVER clause asks, {@code reason}, followed by what is supported. */
    private WeirException reject(String reason) {
        return rejecter.apply(StreamingConstruct.OVER, reason + ". " + SUPPORTED);
    }
}

package io.weir.sql.stream;

import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.AggregateKind;
import io.weir.engine.plan.Calc;
import io.weir.engine.plan.GroupAggregate;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowKind;
import io.weir.engine.plan.WindowSpec;
import io.weir.spi.WeirException;
import io.weir.spi.type.DataType;
import io.weir.sql.schema.TypeMapping;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlGroupedWindowFunction;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeUtil;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Plans a windowed GROUP BY, in either syntax (group-window functions {@code GROUP BY TUMBLE(ts, size)}
 * or a window table function grouped by {@code window_start, window_end}), as: a Calc computing the
 * time column, keys, aggregate arguments and filters over the relation below the window; a
 * {@link WindowAggregate}; and a Calc putting the columns in the order Calcite's aggregate has them.
 */
final class WindowAggregatePlanner {
    static final String NO_WINDOW = "A GROUP BY inside a continuous query needs a window, because a stream never ends:"
            + " write GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE), ... (or HOP(ts, slide, size), SESSION(ts, gap)), or aggregate"
            + " a window table function: FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY"
            + " window_start, window_end, ...; ts is the stream's event-time (WATERMARK) column or a PROCTIME() column."
            + " Only a continuous query's outermost GROUP BY may have no window: it sends its groups' changes (an op column)";

    private final RexBuilder rexBuilder;
    private final CalcPlanner calcs;
    private final Function<RelNode, PlanNode> converter;
    private final BiFunction<StreamingConstruct, String, WeirException> rejecter;
    private final boolean updating;
    private final OpenWindows openWindows;

    /**
     * Whether window aggregations also emit their open windows' changed groups (views, upserting
     * INSERTs, {@code EMIT EVERY}), and how often: every micro-batch (interval 0) or once per interval
     * of processing time.
     */
    record OpenWindows(boolean emit, long intervalMillis) {
        static final OpenWindows NONE = new OpenWindows(false, 0);
        static final OpenWindows EVERY_BATCH = new OpenWindows(true, 0);

        static OpenWindows every(long intervalMillis) {
            return new OpenWindows(true, intervalMillis);
        }
    }

    /**
     * @param converter plans the relation below the window
     * @param rejecter makes a NOT_SUPPORTED error with a message, positioned at the construct in the SQL
     */
    WindowAggregatePlanner(RexBuilder rexBuilder, CalcPlanner calcs, Function<RelNode, PlanNode> converter,
                           BiFunction<StreamingConstruct, String, WeirException> rejecter) {
        this(rexBuilder, calcs, converter, rejecter, false);
    }

    /**
     * @param updating plan for a materialized view: windows also emit their open groups' values every
     *        micro-batch, and GROUP BY without a window is an updating aggregation
     */
    WindowAggregatePlanner(RexBuilder rexBuilder, CalcPlanner calcs, Function<RelNode, PlanNode> converter,
                           BiFunction<StreamingConstruct, String, WeirException> rejecter, boolean updating) {
        this(rexBuilder, calcs, converter, rejecter, updating, updating ? OpenWindows.EVERY_BATCH : OpenWindows.NONE);
    }

    /** @param openWindows what every window aggregation emits of its open windows */
    WindowAggregatePlanner(RexBuilder rexBuilder, CalcPlanner calcs, Function<RelNode, PlanNode> converter,
                           BiFunction<StreamingConstruct, String, WeirException> rejecter, boolean updating,
                           OpenWindows openWindows) {
        this.updating = updating;
        this.openWindows = requireNonNull(openWindows, "openWindows is null");
        this.rexBuilder = requireNonNull(rexBuilder, "rexBuilder is null");
        this.calcs = requireNonNull(calcs, "calcs is null");
        this.converter = requireNonNull(converter, "converter is null");
        this.rejecter = requireNonNull(rejecter, "rejecter is null");
    }

    private WeirException reject(String message) {
        return rejecter.apply(StreamingConstruct.GROUP_BY, message);
    }

    /** The window of the aggregation, over the base relation. */
    private record Window(WindowKind kind, RexNode time, long size, long slide, long gap, long offset, List<RexNode> partitionKeys,
                          RexNode start, boolean eventTime) {
        Window(WindowKind kind, RexNode time, long size, long slide, long gap, long offset, List<RexNode> partitionKeys) {
            this(kind, time, size, slide, gap, offset, partitionKeys, null, true);
        }
    }

    /** A group key that is, unchanged, the start or end of an upstream window aggregation's windows. */
    private record WindowColumn(WindowAggregate aggregate, boolean end) {
    }

    /** The group keys that are window bounds of a window aggregation below, by group index. */
    private Map<Integer, WindowColumn> upstreamWindowGroups(List<Integer> groups, WindowResolver.Resolved resolved,
                                                           PlanNode baseNode) {
        Map<Integer, WindowColumn> found = new LinkedHashMap<>();
        for (int group : groups) {
            if (resolved.fields().get(group) instanceof WindowResolver.Expression source
                    && source.expression() instanceof RexInputRef ref) {
                WindowColumn column = upstreamWindowColumn(baseNode, ref.getIndex());
                if (column != null) {
                    found.put(group, column);
                }
            }
        }
        return found;
    }

    private WindowColumn upstreamWindowColumn(PlanNode node, int column) {
        while (node instanceof Calc calc) {
            if (!(calcs.projection(calc, column) instanceof RexInputRef ref)) {
                return null;
            }
            column = ref.getIndex();
            node = calc.input();
        }
        if (node instanceof WindowAggregate aggregate && !aggregate.emitOpenWindows()) {
            int keys = aggregate.groupKeys().size();
            if (column == keys || column == keys + 1) {
                return new WindowColumn(aggregate, column == keys + 1);
            }
        }
        return null;
    }

    /**
     * @param withWindowEnd append the window end as an extra last column (for SESSION_END, which
     *        Calcite plans as the session's start)
     * @return a node whose columns are the aggregate's, plus the window end if asked
     */
    PlanNode plan(Aggregate aggregate, boolean withWindowEnd) {
        return plan(aggregate, withWindowEnd, updating);
    }

    /**
     * @param withoutWindow plan a GROUP BY without a window as an updating aggregation (a
     *        {@link GroupAggregate}), as views and upserting INSERTs do and a continuous query's
     *        outermost GROUP BY, whose changes it sends, may
     */
    PlanNode plan(Aggregate aggregate, boolean withWindowEnd, boolean withoutWindow) {
        return plan(aggregate, withWindowEnd, withoutWindow, openWindows);
    }

    /** @param open what the window aggregation emits of its open windows */
    PlanNode plan(Aggregate aggregate, boolean withWindowEnd, boolean withoutWindow, OpenWindows open) {
        if (aggregate.getGroupType() != Aggregate.Group.SIMPLE) {
            throw reject("GROUPING SETS, ROLLUP and CUBE are not supported in continuous queries; group by one window and keys");
        }
        WindowResolver.Resolved resolved = WindowResolver.resolve(aggregate.getInput());
        List<Integer> groups = aggregate.getGroupSet().asList();
        Window window = resolved.windowFunction().map(this::fromTableFunction).orElse(null);
        boolean groupsByWindow = false;
        for (int group : groups) {
            WindowResolver.Source source = resolved.fields().get(group);
            if (!(source instanceof WindowResolver.Expression)) {
                groupsByWindow = true;
            } else if (isGroupWindow(((WindowResolver.Expression) source).expression())) {
                if (window != null) {
                    throw reject("A continuous query groups by one window; remove the second TUMBLE/HOP/SESSION from GROUP BY");
                }
                window = fromGroupWindow((RexCall) ((WindowResolver.Expression) source).expression());
                groupsByWindow = true;
            }
        }
        // A second aggregation of a windowed result by its window_start and window_end (Nexmark q5):
        // the rows carry their windows, which fire when the upstream ones did.
        RelNode base = resolved.base();
        PlanNode baseNode = converter.apply(base);
        Map<Integer, WindowColumn> windowGroups = window == null ? upstreamWindowGroups(groups, resolved, baseNode) : Map.of();
        if (!windowGroups.isEmpty()) {
            RexNode start = null;
            RexNode end = null;
            for (Map.Entry<Integer, WindowColumn> entry : windowGroups.entrySet()) {
                RexNode expression = ((WindowResolver.Expression) resolved.fields().get(entry.getKey())).expression();
                if (entry.getValue().end()) {
                    end = expression;
                } else {
                    start = expression;
                }
            }
            if (start == null || end == null) {
                throw reject("Aggregating a windowed result again groups by its window: add both window_start and window_end"
                        + " to GROUP BY");
            }
            window = new Window(WindowKind.WINDOWED, end, 0, 0, 0, 0, List.of(), start,
                    windowGroups.values().iterator().next().aggregate().window().eventTime());
            groupsByWindow = true;
        }
        if (window == null && !withoutWindow) {
            throw reject(NO_WINDOW);
        }
        if (window != null && window.kind() == WindowKind.SESSION && open.emit()) {
            throw reject(updating && open.intervalMillis() == 0
                    ? "Session windows are not supported in materialized views and upserting INSERTs yet (a session's"
                    + " bounds move as it grows); use TUMBLE, HOP or CUMULATE, or a continuous query (SELECT STREAM) for sessions"
                    : "Session windows do not send early results (EMIT EVERY): a session's bounds move as it grows, so its"
                    + " early rows would not be updates of one row. Use TUMBLE, HOP or CUMULATE, or EMIT AFTER WATERMARK");
        }
        if (window != null && !groupsByWindow) {
            throw reject("An aggregation over a window table function groups by its window: add window_start, window_end"
                    + " to GROUP BY");
        }
        TimeAttributes.TimeAttribute time = window == null ? TimeAttributes.TimeAttribute.NONE
                : window.kind() == WindowKind.WINDOWED
                ? (window.eventTime() ? TimeAttributes.TimeAttribute.EVENT_TIME : TimeAttributes.TimeAttribute.PROCESSING_TIME)
                : TimeAttributes.of(base, window.time());
        if (window != null && time == TimeAttributes.TimeAttribute.NONE) {
            throw reject("Windows need a time attribute: the stream's event-time column (the column of its WATERMARK clause)"
                    + " or a processing-time column (pt AS PROCTIME()). '" + describe(window.time(), base)
                    + "' is neither");
        }

        List<RexNode> expressions = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int timeColumn = window == null ? -1 : add(expressions, names, window.time(), "window_time");
        int startColumn = window != null && window.kind() == WindowKind.WINDOWED
                ? add(expressions, names, window.start(), "window_start_in") : -1;
        List<Integer> keys = new ArrayList<>();
        List<RexNode> keyExpressions = new ArrayList<>();
        List<String> inputNames = aggregate.getInput().getRowType().getFieldNames();
        for (int group : groups) {
            if (resolved.fields().get(group) instanceof WindowResolver.Expression source && !isGroupWindow(source.expression())
                    && !windowGroups.containsKey(group)) {
                keys.add(add(expressions, names, source.expression(), inputNames.get(group)));
                keyExpressions.add(source.expression());
            }
        }
        for (RexNode partitionKey : window == null ? List.<RexNode>of() : window.partitionKeys()) {
            if (!keyExpressions.contains(partitionKey)) {
                throw reject("A SESSION window's partition key '" + describe(partitionKey, base) + "' must also be in GROUP BY");
            }
        }
        List<AggregateCall> calls = new ArrayList<>();
        List<String> outputNames = aggregate.getRowType().getFieldNames();
        for (int i = 0; i < aggregate.getAggCallList().size(); i++) {
            org.apache.calcite.rel.core.AggregateCall call = aggregate.getAggCallList().get(i);
            AggregateKind kind = kind(call);
            if (call.getArgList().size() > 1 && kind != AggregateKind.USER) {
                throw reject(call.getAggregation().getName() + " with several arguments is not supported; aggregate one expression");
            }
            if (call.getArgList().size() > 1 && call.isDistinct()) {
                throw reject(call.getAggregation().getName() + "(DISTINCT ...) of several arguments is not supported");
            }
            if (!call.getCollation().getFieldCollations().isEmpty() || call.ignoreNulls() || call.distinctKeys != null) {
                throw reject("WITHIN GROUP, IGNORE NULLS and WITHIN DISTINCT are not supported in continuous queries");
            }
            int argument = call.getArgList().isEmpty() ? -1
                    : add(expressions, names, expression(resolved, call.getArgList().get(0)), inputNames.get(call.getArgList().get(0)));
            int filter = call.filterArg < 0 ? -1
                    : add(expressions, names, expression(resolved, call.filterArg), inputNames.get(call.filterArg));
            List<Integer> moreArguments = new ArrayList<>();
            for (int more : call.getArgList().subList(Math.min(1, call.getArgList().size()), call.getArgList().size())) {
                moreArguments.add(add(expressions, names, expression(resolved, more), inputNames.get(more)));
            }
            boolean distinct = call.isDistinct() && kind != AggregateKind.APPROX_COUNT_DISTINCT;
            String name = outputNames.get(groups.size() + i);
            calls.add(new AggregateCall(kind, argument, distinct, filter,
                    TypeMapping.toDataType(call.getType(), "aggregate '" + name + "'"), name, userAggregate(call).orElse(null),
                    moreArguments));
        }

        RelDataTypeFactory typeFactory = rexBuilder.getTypeFactory();
        RelDataType preType = typeFactory.createStructType(expressions.stream().map(RexNode::getType).toList(), names);
        RexNode condition = resolved.conditions().isEmpty() ? null : RexUtil.composeConjunction(rexBuilder, resolved.conditions());
        PlanNode pre = calcs.calc(baseNode, base.getRowType(), condition, expressions, preType);
        if (window == null) {
            // keys in GROUP BY order, then the aggregates: the aggregate's own columns
            return new GroupAggregate(pre, keys, calls, GroupAggregate.outputType(pre.outputType(), keys, calls));
        }

        WindowSpec spec = window.kind() == WindowKind.WINDOWED
                ? WindowSpec.windowed(timeColumn, startColumn, time == TimeAttributes.TimeAttribute.EVENT_TIME)
                : new WindowSpec(window.kind(), timeColumn, time == TimeAttributes.TimeAttribute.EVENT_TIME,
                window.size(), window.slide(), window.gap(), window.offset());
        WindowAggregate windowAggregate = new WindowAggregate(pre, spec, keys, calls,
                WindowAggregate.outputType(pre.outputType(), keys, calls), open.emit(), open.intervalMillis());
        return reorder(aggregate, resolved, windowAggregate, keys.size(), withWindowEnd, windowGroups);
    }

    /** A Calc from the WindowAggregate's columns (keys, window_start, window_end, aggregates) to the aggregate's. */
    private PlanNode reorder(Aggregate aggregate, WindowResolver.Resolved resolved, WindowAggregate windowAggregate,
                             int keyCount, boolean withWindowEnd, Map<Integer, WindowColumn> windowGroups) {
        RelDataTypeFactory typeFactory = rexBuilder.getTypeFactory();
        RelDataTypeFactory.Builder input = typeFactory.builder();
        for (DataType.Field field : windowAggregate.outputType()) {
            input.add(field.name(), TypeMapping.toRelDataType(typeFactory, field.type()));
        }
        RelDataType inputType = input.uniquify().build();
        List<RexNode> projects = new ArrayList<>();
        int key = 0;
        for (int group : aggregate.getGroupSet().asList()) {
            WindowResolver.Source source = resolved.fields().get(group);
            int column;
            if (windowGroups.containsKey(group)) {
                column = windowGroups.get(group).end() ? keyCount + 1 : keyCount;
            } else if (source instanceof WindowResolver.WindowEnd) {
                column = keyCount + 1;
            } else if (source instanceof WindowResolver.WindowStart
                    || isGroupWindow(((WindowResolver.Expression) source).expression())) {
                column = keyCount;
            } else {
                column = key++;
            }
            projects.add(RexInputRef.of(column, inputType));
        }
        for (int i = 0; i < aggregate.getAggCallList().size(); i++) {
            projects.add(RexInputRef.of(keyCount + 2 + i, inputType));
        }
        List<String> names = new ArrayList<>(aggregate.getRowType().getFieldNames());
        if (withWindowEnd) {
            projects.add(RexInputRef.of(keyCount + 1, inputType));
            names.add("window_end");
        }
        RelDataType outputType = typeFactory.createStructType(projects.stream().map(RexNode::getType).toList(),
                org.apache.calcite.sql.validate.SqlValidatorUtil.uniquify(names, false));
        return calcs.calc(windowAggregate, inputType, null, projects, outputType);
    }

    private static int add(List<RexNode> expressions, List<String> names, RexNode expression, String name) {
        int index = expressions.indexOf(expression);
        if (index >= 0) {
            return index;
        }
        expressions.add(expression);
        String unique = name;
        for (int i = 1; names.contains(unique); i++) {
            unique = name + i;
        }
        names.add(unique);
        return expressions.size() - 1;
    }

    private RexNode expression(WindowResolver.Resolved resolved, int field) {
        if (resolved.fields().get(field) instanceof WindowResolver.Expression source) {
            return source.expression();
        }
        throw reject("window_start and window_end cannot be aggregated; group by them");
    }

    private static String describe(RexNode expression, RelNode base) {
        if (expression instanceof RexInputRef ref) {
            return base.getRowType().getFieldNames().get(ref.getIndex());
        }
        return expression.toString();
    }

    static boolean isGroupWindow(RexNode expression) {
        return expression instanceof RexCall call && call.getOperator() instanceof SqlGroupedWindowFunction
                && (call.getKind() == SqlKind.TUMBLE || call.getKind() == SqlKind.HOP || call.getKind() == SqlKind.SESSION);
    }

    /** The engine's form of a user-defined aggregate function's call. */
    private static java.util.Optional<io.weir.engine.aggregate.UserAggregate> userAggregate(
            org.apache.calcite.rel.core.AggregateCall call) {
        return call.getAggregation() instanceof org.apache.calcite.sql.validate.SqlUserDefinedAggFunction function
                && function.function instanceof io.weir.sql.udf.UserAggregateFunction user
                ? java.util.Optional.of(user.aggregate()) : java.util.Optional.empty();
    }

    private AggregateKind kind(org.apache.calcite.rel.core.AggregateCall call) {
        String name = call.getAggregation().getName();
        if (userAggregate(call).isPresent()) {
            return AggregateKind.USER;
        }
        if (call.isApproximate() || name.equalsIgnoreCase("APPROX_COUNT_DISTINCT")) {
            return AggregateKind.APPROX_COUNT_DISTINCT;
        }
        return switch (call.getAggregation().getKind()) {
            case COUNT -> AggregateKind.COUNT;
            case SUM, SUM0 -> AggregateKind.SUM;
            case MIN -> AggregateKind.MIN;
            case MAX -> AggregateKind.MAX;
            case AVG -> AggregateKind.AVG;
            case STDDEV_POP -> AggregateKind.STDDEV_POP;
            case STDDEV_SAMP -> AggregateKind.STDDEV_SAMP;
            case VAR_POP -> AggregateKind.VAR_POP;
            case VAR_SAMP -> AggregateKind.VAR_SAMP;
            default -> throw reject("Aggregate function " + name + " is not supported in windowed aggregation. Supported:"
                    + " COUNT, SUM, MIN, MAX, AVG, STDDEV_POP, STDDEV_SAMP, VAR_POP, VAR_SAMP, APPROX_COUNT_DISTINCT and"
                    + " user-defined aggregate functions (CREATE FUNCTION)");
        };
    }

    /** {@code $TUMBLE(ts, size)}, {@code $HOP(ts, slide, size)}, {@code $SESSION(ts, gap)} of GROUP BY. */
    private Window fromGroupWindow(RexCall call) {
        List<RexNode> operands = call.getOperands();
        RexNode time = operands.get(0);
        return switch (call.getKind()) {
            case TUMBLE -> {
                noAlignment(operands, 2);
                long size = interval(operands.get(1));
                yield new Window(WindowKind.TUMBLE, time, size, size, 0, 0, List.of());
            }
            case HOP -> {
                noAlignment(operands, 3);
                yield new Window(WindowKind.HOP, time, interval(operands.get(2)), interval(operands.get(1)), 0, 0, List.of());
            }
            default -> new Window(WindowKind.SESSION, time, 0, 0, interval(operands.get(1)), 0, List.of());
        };
    }

    private void noAlignment(List<RexNode> operands, int count) {
        if (operands.size() > count) {
            throw reject("The alignment argument of group-window functions is not supported; use a window table function"
                    + " with an offset, e.g. TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), size, offset))");
        }
    }

    /** {@code TUMBLE(DESCRIPTOR(ts), size[, offset])} etc.; the table argument is the scan's input. */
    private Window fromTableFunction(RexCall call) {
        List<RexCall> descriptors = new ArrayList<>();
        List<Long> intervals = new ArrayList<>();
        for (RexNode operand : call.getOperands()) {
            if (operand instanceof RexCall descriptor && descriptor.getKind() == SqlKind.DESCRIPTOR) {
                descriptors.add(descriptor);
            } else {
                intervals.add(interval(operand));
            }
        }
        RexNode time = descriptors.get(0).getOperands().get(0);
        String name = call.getOperator().getName().toUpperCase(java.util.Locale.ROOT);
        long offset = 0;
        Window window;
        switch (name) {
            case "TUMBLE" -> {
                window = new Window(WindowKind.TUMBLE, time, intervals.get(0), intervals.get(0), 0, 0, List.of());
                offset = intervals.size() > 1 ? intervals.get(1) : 0;
            }
            case "HOP" -> {
                window = new Window(WindowKind.HOP, time, intervals.get(1), intervals.get(0), 0, 0, List.of());
                offset = intervals.size() > 2 ? intervals.get(2) : 0;
            }
            case CumulateTableFunction.NAME -> {
                long step = intervals.get(0);
                long size = intervals.get(1);
                if (step <= 0 || size % step != 0) {
                    throw reject("CUMULATE's size must be a multiple of its step");
                }
                window = new Window(WindowKind.CUMULATE, time, size, step, 0, 0, List.of());
                offset = intervals.size() > 2 ? intervals.get(2) : 0;
            }
            case "SESSION" -> {
                List<RexNode> keys = descriptors.size() > 1 ? descriptors.get(1).getOperands() : List.of();
                window = new Window(WindowKind.SESSION, time, 0, 0, intervals.get(0), 0, keys);
            }
            default -> throw reject("Window table function " + name + " is not supported; use TUMBLE, HOP, CUMULATE or SESSION");
        }
        if (offset != 0) {
            window = new Window(window.kind(), window.time(), window.size(), window.slide(), window.gap(), offset,
                    window.partitionKeys());
        }
        if (window.kind() != WindowKind.SESSION && (window.size() <= 0 || window.slide() <= 0)) {
            throw reject("Window sizes and slides must be positive intervals");
        }
        if (window.kind() == WindowKind.SESSION && window.gap() <= 0) {
            throw reject("A SESSION gap must be a positive interval");
        }
        return window;
    }

    private long interval(RexNode node) {
        if (node instanceof RexLiteral literal && SqlTypeUtil.isInterval(literal.getType())) {
            if (literal.getType().getSqlTypeName().getFamily() == SqlTypeFamily.INTERVAL_YEAR_MONTH) {
                throw reject("Windows are measured in days, hours, minutes, seconds or milliseconds, not in months or years;"
                        + " write e.g. INTERVAL '30' DAY");
            }
            Long millis = literal.getValueAs(Long.class);
            if (millis == null || millis <= 0) {
                throw reject("Window sizes, slides and gaps must be positive intervals");
            }
            return millis;
        }
        throw reject("Window sizes, slides and gaps must be interval literals such as INTERVAL '10' SECOND");
    }
}

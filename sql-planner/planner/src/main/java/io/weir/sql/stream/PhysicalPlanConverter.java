package io.weir.sql.stream;

import io.weir.engine.plan.ComputedEventTime;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SharedSubPlans;
import io.weir.engine.plan.SourceScan;
import io.weir.engine.plan.SourceSpec;
import io.weir.engine.plan.UnionAll;
import io.weir.engine.view.MaterializedViewConnectorFactory;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.CommonOptions;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.option.OptionParsing;
import io.weir.spi.type.DataType;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ColumnDefinition;
import io.weir.sql.catalog.ObjectType;
import io.weir.sql.catalog.WatermarkDefinition;
import io.weir.sql.schema.CatalogTable;
import io.weir.sql.schema.TypeMapping;
import io.weir.sql.stream.codegen.ExpressionCompiler;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.Intersect;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Minus;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableFunctionScan;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlWindowTableFunction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

import static java.util.Objects.requireNonNull;

/**
 * Turns Calcite's optimized logical plan of a continuous query into the engine's {@link PlanNode}s:
 * scans of streams become {@link SourceScan}s, Calcs compiled {@link io.weir.engine.plan.Calc}s,
 * windowed aggregations {@link io.weir.engine.plan.WindowAggregate}s (see {@link WindowAggregatePlanner}),
 * UNION ALL {@link UnionAll}. Everything else is rejected with what to write instead. Each node's
 * columns are exactly its logical counterpart's.
 */
final class PhysicalPlanConverter {
    private final RexBuilder rexBuilder;
    private final ExpressionCompiler compiler;
    private final CalcPlanner calcs;
    private final WindowAggregatePlanner windows;
    private final RankPlanner ranks;
    private final OverPlanner overs;
    private final BiFunction<StreamingConstruct, String, WeirException> rejecter;

    PhysicalPlanConverter(RexBuilder rexBuilder, BiFunction<StreamingConstruct, String, WeirException> rejecter) {
        this(rexBuilder, rejecter, false);
    }

    /** @param updating plan a materialized view's query: aggregations emit updates every micro-batch */
    PhysicalPlanConverter(RexBuilder rexBuilder, BiFunction<StreamingConstruct, String, WeirException> rejecter,
                          boolean updating) {
        this(rexBuilder, rejecter, updating, updating ? WindowAggregatePlanner.OpenWindows.EVERY_BATCH
                : WindowAggregatePlanner.OpenWindows.NONE);
    }

    /**
     * @param updating plan a materialized view's or an upserting INSERT's query: GROUP BY without a window updates
     * @param openWindows what every window aggregation emits of its open windows
     */
    PhysicalPlanConverter(RexBuilder rexBuilder, BiFunction<StreamingConstruct, String, WeirException> rejecter,
                          boolean updating, WindowAggregatePlanner.OpenWindows openWindows) {
        this.rexBuilder = requireNonNull(rexBuilder, "rexBuilder is null");
        this.rejecter = requireNonNull(rejecter, "rejecter is null");
        this.compiler = new ExpressionCompiler(rexBuilder);
        this.calcs = new CalcPlanner(compiler, rexBuilder);
        this.windows = new WindowAggregatePlanner(rexBuilder, calcs, this::convert, rejecter, updating, openWindows);
        this.ranks = new RankPlanner(rexBuilder, calcs, this::convert, rejecter,
                !updating && openWindows.equals(WindowAggregatePlanner.OpenWindows.NONE));
        this.overs = new OverPlanner(calcs, this::convert, rejecter);
    }

    /** Plans an aggregation (for a materialized view's top, whose HAVING the caller handles). */
    PlanNode aggregate(Aggregate aggregate) {
        return windows.plan(aggregate, false);
    }

    /**
     * Plans a continuous query's outermost aggregation, whose HAVING the caller handles: a GROUP BY
     * without a window as an updating aggregation ({@link io.weir.engine.plan.GroupAggregate}), a
     * windowed one as usual.
     */
    PlanNode outermostAggregate(Aggregate aggregate) {
        return windows.plan(aggregate, false, true);
    }

    /** {@link #outermostAggregate(Aggregate)} whose window, if it has one, emits its open windows as {@code open} says. */
    PlanNode outermostAggregate(Aggregate aggregate, WindowAggregatePlanner.OpenWindows open) {
        return windows.plan(aggregate, false, true, open);
    }

    /**
     * {@code plan} (converted here) with its equal sub-plans made one node, so that each stream is read
     * once and a common sub-plan computed once; Calcs with non-deterministic expressions stay apart.
     */
    PlanNode share(PlanNode plan) {
        return SharedSubPlans.share(plan, calcs::deterministic);
    }

    /**
     * The change stream of a query whose outermost operation is a ROW_NUMBER() that sends updates (keep-last
     * deduplication, Top-N over a stream); empty for any other query. See {@link RankPlanner#changes}.
     */
    Optional<PlanNode> rankChanges(RelNode query, List<io.weir.sql.statement.ResultColumn> columns,
                                   java.util.function.Function<String, WeirException> reject) {
        return ranks.changes(query, columns, reject);
    }

    /** See {@link RankPlanner#upserts}. */
    Optional<RankPlanner.Upserts> rankUpserts(RelNode query, java.util.function.Function<String, WeirException> reject) {
        return ranks.upserts(query, reject);
    }

    PlanNode convert(RelNode rel) {
        if (rel instanceof TableScan scan) {
            return sourceScan(scan);
        }
        if (rel instanceof Calc calc) {
            return calc(calc);
        }
        if (rel instanceof Aggregate aggregate) {
            return windows.plan(aggregate, false);
        }
        if (rel instanceof Union union) {
            return union(union);
        }
        if (rel instanceof org.apache.calcite.rel.core.Intersect || rel instanceof org.apache.calcite.rel.core.Minus) {
            throw rejecter.apply(StreamingConstruct.QUERY, (rel instanceof org.apache.calcite.rel.core.Intersect ? "INTERSECT"
                    : "EXCEPT") + " would have to remember every row of both inputs forever, so continuous queries do not"
                    + " have it. To keep the rows of a stream that have (or lack) a match in a reference table, write WHERE"
                    + " [NOT] EXISTS (SELECT 1 FROM table t WHERE t.k = s.k); to combine streams, UNION ALL");
        }
        if (rel instanceof Join join) {
            return new JoinPlanner(rexBuilder, calcs, this::convert, rejecter).plan(join);
        }
        if (rel instanceof Window window && !OverPlanner.isRanking(window)) {
            return overs.plan(window);
        }
        throw unsupported(rel);
    }

    private WeirException unsupported(RelNode rel) {
        if (rel instanceof Join || rel instanceof Correlate) {
            return rejecter.apply(StreamingConstruct.JOIN, "Correlated subqueries and LATERAL are not supported in"
                    + " continuous queries; write a JOIN (with a reference table, or an interval or window join of streams)");
        }
        if (rel instanceof Sort sort) {
            return rejecter.apply(StreamingConstruct.ORDER_BY, sort.getCollation().getFieldCollations().isEmpty()
                    ? "LIMIT and OFFSET are only allowed at the end of a continuous query, and OFFSET not at all"
                    : "ORDER BY is not supported on a continuous query: its rows come as windows close, in window order."
                    + " Remove ORDER BY; LIMIT n alone is allowed");
        }
        if (rel instanceof Values) {
            return rejecter.apply(StreamingConstruct.QUERY, "A continuous query (SELECT STREAM) reads a stream: name one in FROM");
        }
        if (rel instanceof Window) {
            return rejecter.apply(StreamingConstruct.OVER, RankPlanner.SUPPORTED + "; aggregates such as SUM(x) OVER (...)"
                    + " are supported too (" + OverPlanner.SUPPORTED + ")");
        }
        if (rel instanceof TableFunctionScan scan && scan.getCall() instanceof RexCall call
                && call.getOperator() instanceof SqlWindowTableFunction) {
            return rejecter.apply(StreamingConstruct.QUERY, "A window table function (" + call.getOperator().getName()
                    + ") must be aggregated in a continuous query: GROUP BY window_start, window_end[, keys]");
        }
        if (rel instanceof Intersect || rel instanceof Minus) {
            return rejecter.apply(StreamingConstruct.QUERY, "INTERSECT and EXCEPT are not supported in continuous queries;"
                    + " UNION ALL is");
        }
        return rejecter.apply(StreamingConstruct.QUERY, "This query needs " + rel.getRelTypeName()
                + ", which continuous queries do not support. They support projections, WHERE, windowed GROUP BY and UNION ALL");
    }

    /** A materialized view's change stream: the scanned table's columns, the op column first (see WeirSchema). */
    private PlanNode viewChanges(CatalogTable table) {
        CatalogObject view = table.object();
        List<DataType.Field> schema = table.columns().stream()
                .map(column -> new DataType.Field(column.name(), column.type())).toList();
        Map<String, String> options = new java.util.LinkedHashMap<>();
        options.put(CommonOptions.CONNECTOR.key(), MaterializedViewConnectorFactory.NAME);
        options.put(MaterializedViewConnectorFactory.VIEW.key(), view.name());
        return new SourceScan(new SourceSpec(view.name(), ObjectKind.STREAM, options, schema, -1, Duration.ZERO,
                Optional.empty()));
    }

    /** A projection of {@code input} (fused with a calc below it when there is one). */
    PlanNode project(PlanNode input, RelDataType inputType, List<RexNode> projects, RelDataType outputType) {
        return calcs.calc(input, inputType, null, projects, outputType);
    }

    private PlanNode sourceScan(TableScan scan) {
        CatalogTable table = scan.getTable().unwrap(CatalogTable.class);
        if (table == null) {
            throw rejecter.apply(StreamingConstruct.QUERY, "Continuous queries read registered streams, not '"
                    + String.join(".", scan.getTable().getQualifiedName()) + "'");
        }
        CatalogObject object = table.object();
        if (object.type() == ObjectType.MATERIALIZED_VIEW) {
            return viewChanges(table);
        }
        if (object.type() != ObjectType.STREAM) {
            throw rejecter.apply(StreamingConstruct.QUERY, "'" + object.name() + "' is a table; continuous queries"
                    + " (SELECT STREAM) read streams. Query tables with a plain SELECT");
        }
        io.weir.spi.connector.ConnectorFactory connector = io.weir.spi.connector.ConnectorResolver.resolve(object.options())
                .connector();
        if (!connector.capabilities().contains(io.weir.spi.connector.Capability.STREAM_SOURCE)) {
            throw rejecter.apply(StreamingConstruct.QUERY, "Stream '" + object.name() + "' is a sink (connector '"
                    + connector.name() + "'): INSERT INTO writes to it, but it cannot be read");
        }
        List<DataType.Field> readerSchema = object.readerSchema();
        int eventTime = -1;
        Duration delay = Duration.ZERO;
        Optional<WatermarkDefinition> watermark = object.watermarkDefinition();
        Optional<ComputedEventTime> computedEventTime = Optional.empty();
        if (watermark.isPresent()) {
            Optional<ColumnDefinition> computed = object.computedEventTime();
            if (computed.isPresent()) {
                // the source computes it after the columns it reads, for its watermark and the windows alike
                computedEventTime = Optional.of(new ComputedEventTime(new DataType.Field(computed.get().name(),
                        computed.get().type()), compiler.compileProjection(rowType(readerSchema),
                        List.of(SourceExpressions.expression(computed.get().expression(), readerSchema, rexBuilder))),
                        computed.get().expression()));
                eventTime = readerSchema.size();
            }
            for (int i = 0; i < readerSchema.size(); i++) {
                if (readerSchema.get(i).name().equalsIgnoreCase(watermark.get().column())) {
                    eventTime = i;
                }
            }
            delay = watermark.get().delay();
        }
        Optional<Duration> idleTimeout = Optional.ofNullable(object.options().get(CommonOptions.WATERMARK_IDLE_TIMEOUT.key()))
                .map(OptionParsing::parseDuration);
        SourceSpec spec = new SourceSpec(object.name(), ObjectKind.STREAM, object.options(), object.physicalSchema(),
                eventTime, delay, idleTimeout, object.metadataColumns(), computedEventTime);
        List<DataType.Field> sourceSchema = spec.outputType();
        RelDataType scanType = scan.getRowType();
        if (sourceSchema.size() != scanType.getFieldCount()) {
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "Internal error: stream '" + object.name()
                    + "' is scanned with " + scanType.getFieldCount() + " columns but its source reads "
                    + sourceSchema.size() + ". This is a bug in Weir");
        }
        PlanNode source = new SourceScan(spec);
        // The source puts metadata columns after the physical ones (and a computed event time last); the
        // scan has them in declared order.
        int[] readerPosition = new int[scanType.getFieldCount()];
        boolean reordered = false;
        for (int i = 0; i < readerPosition.length; i++) {
            String name = scanType.getFieldList().get(i).getName();
            readerPosition[i] = -1;
            for (int j = 0; j < sourceSchema.size(); j++) {
                if (sourceSchema.get(j).name().equals(name)) {
                    readerPosition[i] = j;
                }
            }
            if (readerPosition[i] < 0) {
                throw new WeirException(ErrorCode.INTERNAL_ERROR, "Internal error: column '" + name + "' of stream '"
                        + object.name() + "' is not read by its source. This is a bug in Weir");
            }
            reordered |= readerPosition[i] != i;
        }
        if (!reordered) {
            return source;
        }
        RelDataTypeFactory typeFactory = rexBuilder.getTypeFactory();
        RelDataTypeFactory.Builder readerType = typeFactory.builder();
        for (int j = 0; j < sourceSchema.size(); j++) {
            readerType.add(sourceSchema.get(j).name(), scanType.getFieldList().get(indexOf(readerPosition, j)).getType());
        }
        RelDataType inputType = readerType.build();
        List<RexNode> projects = new ArrayList<>();
        for (int position : readerPosition) {
            projects.add(rexBuilder.makeInputRef(inputType.getFieldList().get(position).getType(), position));
        }
        return calcs.calc(source, inputType, null, projects, scanType);
    }

    /** The Calcite row type of {@code fields}. */
    private RelDataType rowType(List<DataType.Field> fields) {
        RelDataTypeFactory.Builder builder = rexBuilder.getTypeFactory().builder();
        for (DataType.Field field : fields) {
            builder.add(field.name(), TypeMapping.toRelDataType(rexBuilder.getTypeFactory(), field.type()));
        }
        return builder.build();
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        throw new IllegalArgumentException("no " + value);
    }

    private PlanNode calc(Calc calc) {
        RexProgram program = calc.getProgram();
        List<RexNode> projects = program.getProjectList().stream().map(program::expandLocalRef).toList();
        RexNode condition = program.getCondition() == null ? null : program.expandLocalRef(program.getCondition());
        if (RexOver.containsOver(projects, condition)) {
            throw rejecter.apply(StreamingConstruct.QUERY, "OVER windows are not supported in continuous queries; aggregate"
                    + " with GROUP BY TUMBLE(ts, size), HOP(ts, slide, size) or SESSION(ts, gap) instead");
        }
        RelNode input = calc.getInput();
        if (input instanceof Window window) {
            return OverPlanner.isRanking(window) ? ranks.plan(calc) : overs.plan(calc);
        }
        RelDataType inputType = input.getRowType();
        PlanNode inputNode;
        if (input instanceof Aggregate aggregate && mentionsSessionEnd(projects, condition)) {
            inputNode = windows.plan(aggregate, true);
            RelDataTypeFactory typeFactory = rexBuilder.getTypeFactory();
            int windowEnd = inputType.getFieldCount();
            RelDataType windowEndType = typeFactory.createTypeWithNullability(
                    typeFactory.createSqlType(org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP, 3), false);
            inputType = typeFactory.builder().addAll(inputType.getFieldList()).add("window_end", windowEndType).uniquify().build();
            RexShuttle toWindowEnd = new RexShuttle() {
                @Override
                public RexNode visitCall(RexCall call) {
                    if (call.getOperator() == StreamOperators.SESSION_END_OF) {
                        RexNode windowEndRef = new RexInputRef(windowEnd, windowEndType);
                        return call.getType().equals(windowEndType) ? windowEndRef
                                : rexBuilder.makeCast(call.getType(), windowEndRef, true, false);
                    }
                    return super.visitCall(call);
                }
            };
            projects = projects.stream().map(p -> p.accept(toWindowEnd)).toList();
            condition = condition == null ? null : condition.accept(toWindowEnd);
        } else {
            inputNode = convert(input);
        }
        if (mentionsSessionEnd(projects, condition)) {
            throw rejecter.apply(StreamingConstruct.GROUP_BY, "SESSION_END is only available in the query that groups by"
                    + " SESSION(ts, gap)");
        }
        return calcs.calc(inputNode, inputType, condition, new ArrayList<>(projects), calc.getRowType());
    }

    private static boolean mentionsSessionEnd(List<RexNode> projects, RexNode condition) {
        List<RexNode> all = new ArrayList<>(projects);
        if (condition != null) {
            all.add(condition);
        }
        for (RexNode node : all) {
            if (RexUtil.findOperatorCall(StreamOperators.SESSION_END_OF, node) != null) {
                return true;
            }
        }
        return false;
    }

    private PlanNode union(Union union) {
        if (!union.all) {
            throw rejecter.apply(StreamingConstruct.QUERY, "UNION without ALL would have to remember every row of a stream"
                    + " forever; use UNION ALL");
        }
        List<PlanNode> inputs = new ArrayList<>();
        for (RelNode input : union.getInputs()) {
            inputs.add(convert(input));
        }
        return new UnionAll(inputs, CalcPlanner.fields(union.getRowType()));
    }
}

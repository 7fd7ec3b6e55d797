package io.weir.sql.stream;

import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.ScanProjection;
import io.weir.engine.plan.SinkWrite;
import io.weir.spi.ErrorCode;
import io.weir.spi.SqlPosition;
import io.weir.spi.WeirException;
import io.weir.spi.type.DataType;
import io.weir.sql.parameter.ParameterTypes;
import io.weir.sql.parameter.StatementParameter;
import io.weir.sql.parser.ddl.SqlCreateMaterializedView;
import io.weir.sql.parser.ddl.SqlEmit;
import io.weir.sql.schema.ObjectReferences;
import io.weir.sql.schema.PlannerFrameworks;
import io.weir.sql.schema.TypeMapping;
import io.weir.sql.schema.WeirSchema;
import io.weir.sql.statement.ResultColumn;
import io.weir.sql.statement.SqlErrors;
import io.weir.sql.statement.StatementCancel;
import io.weir.sql.subquery.SubQueries;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.tools.Planner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * Plans continuous queries ({@code SELECT STREAM ...}): Calcite parses and validates them (after
 * {@link StreamSqlRewriter}), converts them to a logical plan and merges projections and filters
 * into Calcs ({@link #LOGICAL_PROGRAM}); {@link PhysicalPlanConverter} then makes the engine's operator
 * DAG, compiling expressions, or rejects what the engine cannot run, saying what to write instead.
 */
public final class ContinuousQueryPlanner {
    /** Rules that each do one thing: projections and filters to Calcs, adjacent Calcs merged, trivial ones removed. */
    static final HepProgram LOGICAL_PROGRAM = new HepProgramBuilder()
            // OVER (ROW_NUMBER() for Top-N and deduplication) as a Window of its own, planned by RankPlanner
            .addRuleInstance(CoreRules.PROJECT_TO_LOGICAL_PROJECT_AND_WINDOW)
            .addRuleCollection(List.of(
                    CoreRules.PROJECT_TO_CALC,
                    CoreRules.FILTER_TO_CALC,
                    CoreRules.CALC_MERGE,
                    CoreRules.CALC_REMOVE))
            .build();

    /**
     * EXISTS decorrelates into an inner join with a projection of the aggregated keys (and TRUE): lifted above
     * the join (inner joins only: the rule cannot take semi-joins), so that the join over the aggregate becomes a
     * semi-join.
     */
    private static final org.apache.calcite.plan.RelOptRule INNER_JOIN_PROJECT_RIGHT_TRANSPOSE =
            org.apache.calcite.rel.rules.JoinProjectTransposeRule.Config.RIGHT
                    .withOperandSupplier(join -> join.operand(org.apache.calcite.rel.logical.LogicalJoin.class)
                            .predicate(j -> j.getJoinType() == org.apache.calcite.rel.core.JoinRelType.INNER)
                            .inputs(left -> left.operand(RelNode.class).anyInputs(),
                                    right -> right.operand(org.apache.calcite.rel.logical.LogicalProject.class).anyInputs()))
                    .as(org.apache.calcite.rel.rules.JoinProjectTransposeRule.Config.class)
                    .toRule();
    private static final HepProgram SEMI_JOINS = new HepProgramBuilder()
            .addRuleCollection(List.of(CoreRules.PROJECT_TO_SEMI_JOIN, CoreRules.JOIN_TO_SEMI_JOIN))
            .addRuleCollection(List.of(INNER_JOIN_PROJECT_RIGHT_TRANSPOSE, CoreRules.PROJECT_MERGE))
            .addRuleCollection(List.of(CoreRules.PROJECT_TO_SEMI_JOIN, CoreRules.JOIN_TO_SEMI_JOIN))
            .build();

    private final SchemaPlus defaultSchema;

    /** @param rootSchema the root holding the {@code weir} schema with streams as plain relations */
    public ContinuousQueryPlanner(SchemaPlus rootSchema) {
        this.defaultSchema = requireNonNull(rootSchema.getSubSchema(WeirSchema.NAME), "no weir schema");
    }

    /**
     * The converted plan in the form the physical planner reads ({@link #LOGICAL_PROGRAM}); a plan with
     * {@code IN} / {@code EXISTS} subqueries has them turned into joins first (semi-joins for IN and EXISTS
     * against a reference table, which become lookup joins). Only then: the semi-join rules would also turn
     * other joins whose output keeps one side's columns into semi-joins.
     */
    static RelNode logicalPlan(RelNode logical) {
        RelNode plan = logical;
        if (SubQueries.present(plan)) {
            rejectNotIn(plan);
            plan = SubQueries.decorrelated(plan);
            plan = apply(SEMI_JOINS, plan);
            plan = AntiJoins.rewrite(plan);
        }
        return apply(LOGICAL_PROGRAM, plan);
    }

    private static RelNode apply(HepProgram program, RelNode plan) {
        HepPlanner hep = new HepPlanner(program);
        hep.setRoot(plan);
        return hep.findBestExp();
    }

    /** NOT IN over a subquery: no row when the subquery has a NULL, which needs counts over the whole table. */
    private static void rejectNotIn(RelNode plan) {
        new org.apache.calcite.rel.RelVisitor() {
            @Override
            public void visit(RelNode node, int ordinal, RelNode parent) {
                node.accept(new org.apache.calcite.rex.RexShuttle() {
                    @Override
                    public org.apache.calcite.rex.RexNode visitCall(org.apache.calcite.rex.RexCall call) {
                        if (call.getKind() == org.apache.calcite.sql.SqlKind.NOT
                                && call.getOperands().get(0) instanceof org.apache.calcite.rex.RexSubQuery subQuery
                                && subQuery.getKind() == org.apache.calcite.sql.SqlKind.IN) {
                            throw new WeirException(ErrorCode.NOT_SUPPORTED, "NOT IN (SELECT ...) is not supported in continuous"
                                    + " queries: it keeps no row at all when the subquery has a NULL. Write NOT EXISTS (SELECT 1"
                                    + " FROM t WHERE t.k = s.k)");
                        }
                        return super.visitCall(call);
                    }
                });
                super.visit(node, ordinal, parent);
            }
        }.go(plan);
    }

    /** Whether a parsed statement is a continuous query: a SELECT STREAM, alone or in a UNION ALL. */
    public static boolean isContinuous(SqlNode statement) {
        SqlNode query = statement instanceof SqlExplain explain ? explain.getExplicandum() : statement;
        return StreamSqlRewriter.isContinuous(query);
    }

    /**
     * What a view's query goes through before Calcite expands it where the view is used: the STREAM
     * keyword dropped (views are expanded into both bounded and continuous queries) and Flink's
     * {@code SESSION(TABLE s PARTITION BY k, ...)} turned into Calcite's form. Changes {@code query}.
     */
    public static SqlNode viewQuery(SqlNode query) {
        return StreamSqlRewriter.rewriteView(query);
    }

    /** Rejects what a view's query cannot contain, before the view is created. */
    public static void checkViewQuery(SqlNode query) {
        if (StreamSqlRewriter.containsSessionEnd(query)) {
            throw new WeirException(ErrorCode.NOT_SUPPORTED, SqlErrors.position(query.getParserPosition()),
                    "SESSION_END is not supported in views; use the window table function"
                            + " SESSION(TABLE s PARTITION BY k, DESCRIPTOR(ts), gap) and its window_end column");
        }
    }

    /**
     * The types of the parameters of {@code sql}, a statement whose {@code ?} all stand in a continuous
     * query ({@code part} finds it in the parsed statement: the query of an INSERT, of a view, of an
     * EXPLAIN), inferred by validating the query as it is planned.
     */
    public List<StatementParameter> parameterTypes(String sql, UnaryOperator<SqlNode> part) {
        Planner planner = PlannerFrameworks.planner(defaultSchema, StreamOperators.table(), new ObjectReferences());
        try {
            SqlNode parsed = SqlEmit.unwrap(planner.parse(sql));
            SqlNode validated = planner.validate(StreamSqlRewriter.rewrite(part.apply(parsed)));
            StatementCancel.checkCurrent();
            RelRoot root = planner.rel(validated);
            return ParameterTypes.of(root.rel, ParameterTypes.count(parsed), ParameterTypes.optionParameters(parsed));
        } catch (Exception e) {
            throw SqlErrors.translate(e);
        } finally {
            planner.close();
        }
    }

    /** Validates and plans {@code sql}, a continuous query or {@code EXPLAIN PLAN FOR} one; final rows unless its EMIT clause says otherwise. */
    public ContinuousPlan plan(String sql) {
        return plan(sql, Duration.ZERO);
    }

    /**
     * Validates and plans {@code sql}, a continuous query or {@code EXPLAIN PLAN FOR} one.
     *
     * @param earlyInterval without an EMIT clause, send open windows' values this often (the session's
     *        {@code 'emit.early-interval'}); zero for final rows only
     */
    public ContinuousPlan plan(String sql, Duration earlyInterval) {
        return plan(sql, earlyInterval, Duration.ZERO);
    }

    /**
     * Validates and plans {@code sql}, a continuous query or {@code EXPLAIN PLAN FOR} one.
     *
     * @param earlyInterval without an EMIT clause, send open windows' values this often (the session's
     *        {@code 'emit.early-interval'}); zero for final rows only
     * @param allowedLateness how long the outermost window aggregation keeps a fired window for late rows,
     *        sending its corrections as updates (the session's {@code 'allowed-lateness'}); zero for none
     */
    public ContinuousPlan plan(String sql, Duration earlyInterval, Duration allowedLateness) {
        ObjectReferences references = new ObjectReferences();
        Planner planner = PlannerFrameworks.planner(defaultSchema, StreamOperators.table(), references);
        try {
            SqlNode parsed = planner.parse(sql);
            WindowEmission emission = WindowEmission.of(parsed).orElse(WindowEmission.everyFromSession(earlyInterval));
            SqlNode statement = SqlEmit.unwrap(parsed);
            SqlNode query = statement instanceof SqlExplain explain ? explain.getExplicandum() : statement;
            return plan(sql, planner, query, null, references, emission, AllowedLateness.millis(allowedLateness));
        } catch (Exception e) {
            throw SqlErrors.translate(e);
        } finally {
            planner.close();
        }
    }

    /**
     * Validates and plans {@code INSERT INTO sink [(columns)] SELECT STREAM ...} (or {@code EXPLAIN
     * PLAN FOR} it): the query's plan under a {@link SinkWrite} that writes to {@code sink}'s physical
     * columns, casting each value to the column's type; columns the INSERT does not list get NULL.
     */
    public ContinuousPlan planInsert(String sql, SinkTarget sink) {
        return planInsert(sql, sink, Duration.ZERO);
    }

    /**
     * {@link #planInsert(String, SinkTarget)} whose outermost window aggregation keeps fired windows for
     * {@code allowedLateness} and writes their corrected rows: into a sink with a primary key only.
     */
    public ContinuousPlan planInsert(String sql, SinkTarget sink, Duration allowedLateness) {
        requireNonNull(sink, "sink is null");
        ObjectReferences references = new ObjectReferences();
        Planner planner = PlannerFrameworks.planner(defaultSchema, StreamOperators.table(), references);
        try {
            SqlNode parsed = planner.parse(sql);
            WindowEmission emission = WindowEmission.of(parsed);
            SqlNode unwrapped = SqlEmit.unwrap(parsed);
            SqlNode statement = unwrapped instanceof SqlExplain explain ? explain.getExplicandum() : unwrapped;
            if (!(statement instanceof SqlInsert insert)) {
                throw new IllegalArgumentException("not an INSERT: " + sql);
            }
            return plan(sql, planner, insert.getSource(), new InsertTarget(sink, insert), references, emission,
                    AllowedLateness.millis(allowedLateness));
        } catch (Exception e) {
            throw SqlErrors.translate(e);
        } finally {
            planner.close();
        }
    }

    /**
     * Validates and plans {@code CREATE MATERIALIZED VIEW name [WITH (...)] AS query}: the query (with or
     * without STREAM), aggregations emitting their changed groups every micro-batch, under a
     * {@link SinkWrite} into the view's store.
     *
     * @return the plan; its columns are the view's
     */
    public ContinuousPlan planMaterializedView(String sql, String viewName, Map<String, String> viewOptions) {
        return planMaterializedView(sql, viewName, viewOptions, Duration.ZERO);
    }

    /**
     * {@link #planMaterializedView(String, String, Map)} whose outermost window aggregation keeps fired windows
     * for the view's {@code 'allowed-lateness'} option, else {@code allowedLateness} (the session's), and
     * replaces their rows with the corrected ones.
     */
    public ContinuousPlan planMaterializedView(String sql, String viewName, Map<String, String> viewOptions,
                                               Duration allowedLateness) {
        ObjectReferences references = new ObjectReferences();
        Planner planner = PlannerFrameworks.planner(defaultSchema, StreamOperators.table(), references);
        try {
            SqlNode parsed = planner.parse(sql);
            WindowEmission emission = WindowEmission.of(parsed);
            if (emission.kind() == WindowEmission.Kind.UNSAID && viewOptions.containsKey(MaterializedViewPlanner.EMIT_EARLY_INTERVAL)) {
                emission = WindowEmission.everyFromSession(MaterializedViewPlanner.earlyInterval(viewOptions));
            }
            SqlNode unwrapped = SqlEmit.unwrap(parsed);
            SqlNode statement = unwrapped instanceof SqlExplain explain ? explain.getExplicandum() : unwrapped;
            if (!(statement instanceof SqlCreateMaterializedView create)) {
                throw new IllegalArgumentException("not a CREATE MATERIALIZED VIEW: " + sql);
            }
            SqlNode query = create.query();
            checkShape(query);
            SqlNode rewritten = StreamSqlRewriter.rewrite(query);
            SqlNode validated = planner.validate(rewritten);
            StatementCancel.checkCurrent();
            RelRoot root = planner.rel(validated);
            StatementCancel.checkCurrent();
            references.addScans(root.rel);
            List<ResultColumn> columns = columns(root.validatedRowType);
            RelNode logical = root.project();
            if (logical instanceof Sort) {
                throw new WeirException(ErrorCode.NOT_SUPPORTED, SqlErrors.position(query.getParserPosition()),
                        "ORDER BY and LIMIT are not allowed in a materialized view; order and limit when you query it");
            }
            RelNode optimized = logicalPlan(logical);
            StatementCancel.checkCurrent();
            PhysicalPlanConverter converter = new PhysicalPlanConverter(optimized.getCluster().getRexBuilder(),
                    (construct, message) -> new WeirException(ErrorCode.NOT_SUPPORTED, position(rewritten, construct), message),
                    true, openWindows(emission));
            List<String> warnings = new ArrayList<>();
            PlanNode write = MaterializedViewPlanner.plan(viewName, viewOptions, columns, optimized, converter,
                    message -> new WeirException(ErrorCode.NOT_SUPPORTED, SqlErrors.position(query.getParserPosition()), message),
                    warnings::add, AllowedLateness.millis(MaterializedViewPlanner.allowedLateness(viewOptions, allowedLateness)));
            return new ContinuousPlan(sql, columns, optimized, ScanProjection.apply(converter.share(write)), 0, false,
                    references.objects(), warnings);
        } catch (Exception e) {
            throw SqlErrors.translate(e);
        } finally {
            planner.close();
        }
    }

    /** The sink an INSERT writes to: its name, connector options and physical columns. */
    public record SinkTarget(String name, java.util.Map<String, String> options, List<DataType.Field> columns,
                             List<String> primaryKey) {
        /** A sink without a declared primary key. */
        public SinkTarget(String name, java.util.Map<String, String> options, List<DataType.Field> columns) {
            this(name, options, columns, List.of());
        }

        public SinkTarget {
            requireNonNull(name, "name is null");
            options = java.util.Map.copyOf(options);
            columns = List.copyOf(columns);
            primaryKey = List.copyOf(primaryKey);
        }
    }

    private record InsertTarget(SinkTarget sink, SqlInsert insert) {
    }

    /** What the window aggregations of a view's or an upserting INSERT's query emit of their open windows. */
    private static WindowAggregatePlanner.OpenWindows openWindows(WindowEmission emission) {
        return switch (emission.kind()) {
            case UNSAID -> WindowAggregatePlanner.OpenWindows.EVERY_BATCH;
            case AFTER_WATERMARK -> WindowAggregatePlanner.OpenWindows.NONE;
            case EVERY -> WindowAggregatePlanner.OpenWindows.every(emission.everyMillis());
        };
    }

    private ContinuousPlan plan(String sql, Planner planner, SqlNode query, InsertTarget target, ObjectReferences references,
                                WindowEmission emission, long latenessMillis) throws Exception {
        checkShape(query);
        SqlNode rewritten = StreamSqlRewriter.rewrite(query);
        SqlNode validated = planner.validate(rewritten);
        StatementCancel.checkCurrent();
        RelRoot root = planner.rel(validated);
        StatementCancel.checkCurrent();
        references.addScans(root.rel);
        List<ResultColumn> columns = columns(root.validatedRowType);
        RelNode logical = root.project();
        long limit = 0;
        boolean empty = false;
        if (logical instanceof Sort sort && sort.getCollation().getFieldCollations().isEmpty() && sort.offset == null
                && sort.fetch instanceof RexLiteral fetch) {
            limit = requireNonNull(fetch.getValueAs(Long.class), "fetch");
            empty = limit == 0;
            logical = sort.getInput();
        }
        RelNode optimized = logicalPlan(logical);
        StatementCancel.checkCurrent();
        // A sink with a primary key takes updates (each row replaces the row with its key): its query's
        // aggregations emit their changed groups every batch, and GROUP BY needs no window.
        boolean updating = target != null && !target.sink().primaryKey().isEmpty();
        if (target != null && !updating && emission.kind() == WindowEmission.Kind.EVERY) {
            throw emission.reject("EMIT EVERY sends a window's rows again as they change: INSERT INTO a stream or table with"
                    + " a PRIMARY KEY, whose sink keeps each key's latest row. '" + target.sink().name() + "' has none: remove"
                    + " the EMIT clause (or write EMIT AFTER WATERMARK) to write each window's final rows");
        }
        PhysicalPlanConverter converter = new PhysicalPlanConverter(optimized.getCluster().getRexBuilder(),
                (construct, message) -> new WeirException(ErrorCode.NOT_SUPPORTED, position(rewritten, construct), message),
                updating, updating ? openWindows(emission) : WindowAggregatePlanner.OpenWindows.NONE);
        if (target == null) {
            Optional<PlanNode> rankChanges = converter.rankChanges(optimized, columns,
                    message -> new WeirException(ErrorCode.NOT_SUPPORTED, position(rewritten, StreamingConstruct.QUERY), message));
            if (rankChanges.isPresent()) {
                if (emission.kind() == WindowEmission.Kind.EVERY && emission.clause() != null) {
                    throw emission.reject("EMIT EVERY applies to windowed GROUP BY; this query's deduplication or Top-N"
                            + " already sends its changes every micro-batch");
                }
                return new ContinuousPlan(sql, ChangelogPlanner.columns(columns), optimized,
                        ScanProjection.apply(converter.share(rankChanges.get())), limit, empty, references.objects());
            }
            Optional<PlanNode> changes = ChangelogPlanner.plan(optimized, columns, converter,
                    message -> new WeirException(ErrorCode.NOT_SUPPORTED, position(rewritten, StreamingConstruct.GROUP_BY), message),
                    emission, latenessMillis);
            if (changes.isPresent()) {
                return new ContinuousPlan(sql, ChangelogPlanner.columns(columns), optimized,
                        ScanProjection.apply(converter.share(changes.get())), limit, empty, references.objects());
            }
            PlanNode physical = converter.convert(optimized);
            return new ContinuousPlan(sql, columns, optimized, ScanProjection.apply(converter.share(physical)), limit, empty, references.objects());
        }
        Optional<RankPlanner.Upserts> upserts = updating ? converter.rankUpserts(optimized,
                message -> new WeirException(ErrorCode.NOT_SUPPORTED, position(rewritten, StreamingConstruct.QUERY), message))
                : Optional.empty();
        upserts.ifPresent(rows -> SinkProjection.checkUpsertKey(target.sink(), target.insert(), optimized.getRowType(),
                rows.keyColumns(), rows.what()));
        PlanNode physical = upserts.isPresent() ? upserts.get().rows() : converter.convert(optimized);
        java.util.function.Function<String, WeirException> rejectLateness =
                message -> new WeirException(ErrorCode.NOT_SUPPORTED, position(rewritten, StreamingConstruct.GROUP_BY), message);
        if (AllowedLateness.applies(physical, latenessMillis, rejectLateness)) {
            if (!updating) {
                throw rejectLateness.apply("'allowed-lateness' sends a window's row again, corrected, when a late row"
                        + " updates it: INSERT INTO a stream or table with a PRIMARY KEY, whose sink replaces the row with its key."
                        + " '" + target.sink().name() + "' has none: SET 'allowed-lateness' = '0 s' to write each window's rows once");
            }
            physical = AllowedLateness.apply(physical, latenessMillis, rejectLateness);
        }
        if (limit > 0 || empty) {
            throw new WeirException(ErrorCode.NOT_SUPPORTED, SqlErrors.position(target.insert().getSource().getParserPosition()),
                    "LIMIT is not allowed in INSERT INTO: a persistent query runs until STOP QUERY. Remove the LIMIT");
        }
        PlanNode write = SinkProjection.plan(target.sink(), target.insert(), optimized, physical, converter);
        return new ContinuousPlan(sql, columns, optimized, ScanProjection.apply(converter.share(write)), 0, false, references.objects());
    }

    /** Rejections visible in the SQL text, reported at their position before Calcite validates. */
    private static void checkShape(SqlNode query) {
        find(query, node -> node instanceof SqlOrderBy orderBy && !orderBy.orderList.isEmpty()).ifPresent(node -> {
            throw new WeirException(ErrorCode.NOT_SUPPORTED, SqlErrors.position(((SqlOrderBy) node).orderList.getParserPosition()),
                    "ORDER BY is not supported on a continuous query: its rows come as windows close, in window order."
                            + " Remove ORDER BY; LIMIT n alone is allowed");
        });
        find(query, node -> node instanceof SqlOrderBy orderBy && orderBy.offset != null).ifPresent(node -> {
            throw new WeirException(ErrorCode.NOT_SUPPORTED, SqlErrors.position(((SqlOrderBy) node).offset.getParserPosition()),
                    "OFFSET is not supported on a continuous query; LIMIT n is");
        });
    }

    private static SqlPosition position(SqlNode query, StreamingConstruct construct) {
        Optional<SqlNode> node = switch (construct) {
            case GROUP_BY -> find(query, n -> n instanceof SqlSelect select && select.getGroup() != null)
                    .map(n -> ((SqlSelect) n).getGroup());
            case JOIN -> find(query, n -> n instanceof SqlJoin);
            case ORDER_BY -> find(query, n -> n instanceof SqlOrderBy);
            case QUERY -> Optional.of(query);
            case OVER -> find(query, n -> n.getKind() == org.apache.calcite.sql.SqlKind.OVER).or(() -> Optional.of(query));
        };
        return node.map(n -> SqlErrors.position(n.getParserPosition())).orElse(null);
    }

    /** The first node, depth first, matching {@code predicate}. */
    private static Optional<SqlNode> find(SqlNode node, Predicate<SqlNode> predicate) {
        if (node == null) {
            return Optional.empty();
        }
        if (predicate.test(node)) {
            return Optional.of(node);
        }
        List<SqlNode> children = new ArrayList<>();
        if (node instanceof SqlNodeList list) {
            children.addAll(list.getList());
        } else if (node instanceof SqlCall call) {
            children.addAll(call.getOperandList());
        }
        for (SqlNode child : children) {
            Optional<SqlNode> found = find(child, predicate);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static List<ResultColumn> columns(RelDataType rowType) {
        List<ResultColumn> columns = new ArrayList<>();
        for (RelDataTypeField field : rowType.getFieldList()) {
            columns.add(new ResultColumn(field.getName(), TypeMapping.toDataType(field.getType(), "column '" + field.getName() + "'")));
        }
        return columns;
    }
}

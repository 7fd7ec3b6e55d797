package io.weir.sql.query;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ObjectType;
import io.weir.sql.parameter.ParameterTypes;
import io.weir.sql.parameter.StatementParameter;
import io.weir.sql.schema.CatalogTable;
import io.weir.sql.schema.ObjectReferences;
import io.weir.sql.schema.PlannerFrameworks;
import io.weir.sql.schema.TypeMapping;
import io.weir.sql.statement.ResultColumn;
import io.weir.sql.statement.SqlErrors;
import io.weir.sql.statement.StatementCancel;
import io.weir.sql.statement.StatementResult;
import io.weir.sql.subquery.SubQueries;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableInterpretable;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.PruneEmptyRules;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSelectKeyword;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.tools.Planner;
import org.apache.calcite.tools.Program;
import org.apache.calcite.tools.Programs;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TimeZone;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * Plans and runs bounded queries (plain SELECT) with Calcite: validation, a rewrite pass that turns
 * provably empty queries (the {@code WHERE 1 <> 1}, {@code WHERE 1 = 0} and {@code LIMIT 0} probes of
 * BI tools) into empty results without touching any source, then Calcite's enumerable code
 * generation over the connectors of bounded streams and tables.
 */
public final class BoundedQueryPlanner {
    private static final Program PROBE_REWRITE = Programs.of(new HepProgramBuilder()
            .addRuleCollection(List.of(
                    CoreRules.FILTER_REDUCE_EXPRESSIONS,
                    CoreRules.PROJECT_REDUCE_EXPRESSIONS,
                    PruneEmptyRules.SORT_FETCH_ZERO_INSTANCE,
                    PruneEmptyRules.FILTER_INSTANCE,
                    PruneEmptyRules.PROJECT_INSTANCE,
                    PruneEmptyRules.SORT_INSTANCE,
                    PruneEmptyRules.AGGREGATE_INSTANCE,
                    PruneEmptyRules.UNION_INSTANCE,
                    PruneEmptyRules.JOIN_LEFT_INSTANCE,
                    PruneEmptyRules.JOIN_RIGHT_INSTANCE))
            .build(), true, org.apache.calcite.rel.metadata.DefaultRelMetadataProvider.INSTANCE);

    /** Plans kept of each kind; a compiled plan holds a generated class of some tens of kilobytes. */
    static final int CACHED_PLANS = 256;

    private final SchemaPlus rootSchema;
    private final SchemaPlus streamingRootSchema;
    private final BoundedSourceScanner scanner;
    private final PlanCache<String, ValidatedQuery> validatedQueries = new PlanCache<>(CACHED_PLANS);
    private final PlanCache<CompiledKey, CompiledQuery> compiledQueries = new PlanCache<>(CACHED_PLANS);

    /**
     * @param rootSchema streams as plain relations, for bounded queries
     * @param streamingRootSchema streams as Calcite streams, for validating {@code SELECT STREAM}
     */
    public BoundedQueryPlanner(SchemaPlus rootSchema, SchemaPlus streamingRootSchema, BoundedSourceScanner scanner) {
        this.rootSchema = requireNonNull(rootSchema, "rootSchema is null");
        this.streamingRootSchema = requireNonNull(streamingRootSchema, "streamingRootSchema is null");
        this.scanner = requireNonNull(scanner, "scanner is null");
    }

    /**
     * A validated query: its result columns, whether it is continuous (SELECT STREAM), and the catalog
     * objects it reads (directly or through views).
     */
    public record ValidatedQuery(String sql, List<ResultColumn> columns, boolean continuous, List<CatalogObject> references,
                                 List<StatementParameter> parameters) {
        public ValidatedQuery {
            columns = List.copyOf(columns);
            references = List.copyOf(references);
            parameters = List.copyOf(parameters);
        }
    }

    private Planner planner(boolean streaming) {
        SchemaPlus root = streaming ? streamingRootSchema : rootSchema;
        return PlannerFrameworks.planner(root.getSubSchema(io.weir.sql.schema.WeirSchema.NAME));
    }

    /**
     * Forgets the plans kept of queries run before: the objects they read (or their definitions) may
     * have changed. Call on every change of the catalog.
     */
    public void forgetPlans() {
        validatedQueries.clear();
        compiledQueries.clear();
    }

    /**
     * Validates a query; {@code statement} is its parse, telling SELECT STREAM from a bounded query.
     * The result for the same text is kept until the catalog changes.
     */
    public ValidatedQuery validate(String sql, SqlNode statement) {
        return validatedQueries.get(sql, () -> validateNow(sql, statement));
    }

    private ValidatedQuery validateNow(String sql, SqlNode statement) {
        SchemaPlus schema = isStream(statement) ? streamingRootSchema : rootSchema;
        ObjectReferences references = new ObjectReferences();
        Planner planner = PlannerFrameworks.planner(schema.getSubSchema(io.weir.sql.schema.WeirSchema.NAME),
                org.apache.calcite.sql.fun.SqlStdOperatorTable.instance(), references);
        try {
            SqlNode parsed = planner.parse(sql);
            SqlNode validated = planner.validate(parsed);
            StatementCancel.checkCurrent();
            RelRoot root = planner.rel(validated);
            StatementCancel.checkCurrent();
            references.addScans(root.rel);
            return new ValidatedQuery(sql, columns(root.validatedRowType), isStream(validated), references.objects(),
                    ParameterTypes.of(root.rel, ParameterTypes.count(parsed)));
        } catch (Exception e) {
            throw SqlErrors.translate(e);
        } finally {
            planner.close();
        }
    }

    /**
     * The types of the parameters of {@code sql}, a statement whose {@code ?} all stand in a bounded query
     * ({@code part} finds it in the parsed statement: a view's query, an EXPLAIN's).
     */
    public List<StatementParameter> parameterTypes(String sql, UnaryOperator<SqlNode> part) {
        Planner planner = planner(false);
        try {
            SqlNode parsed = planner.parse(sql);
            RelRoot root = planner.rel(planner.validate(part.apply(parsed)));
            StatementCancel.checkCurrent();
            return ParameterTypes.of(root.rel, ParameterTypes.count(parsed));
        } catch (Exception e) {
            throw SqlErrors.translate(e);
        } finally {
            planner.close();
        }
    }

    public static boolean isStream(SqlNode node) {
        if (node instanceof SqlOrderBy orderBy) {
            return isStream(orderBy.query);
        }
        return node instanceof SqlSelect select && select.getModifierNode(SqlSelectKeyword.STREAM) != null;
    }

    static List<ResultColumn> columns(RelDataType rowType) {
        List<ResultColumn> columns = new ArrayList<>();
        for (RelDataTypeField field : rowType.getFieldList()) {
            columns.add(new ResultColumn(field.getName(), TypeMapping.toDataType(field.getType(), "column '" + field.getName() + "'")));
        }
        return columns;
    }

    /**
     * Plans and starts a bounded query; rows are produced lazily as the caller iterates, and stop once
     * the statement the calling thread runs is cancelled. The compiled plan for the same text (and time
     * zone) is kept until the catalog changes: the next run only binds it, with the values of its
     * parameters ({@code ?}, in the representation Calcite's generated code reads: {@link CalciteValues}).
     */
    public StatementResult.Rows execute(String sql, SqlNode statement, TimeZone timeZone) {
        return execute(sql, statement, timeZone, Map.of(), List.of());
    }

    /**
     * {@link #execute(String, SqlNode, TimeZone)} whose tables can read {@code variables} by name from their
     * {@link org.apache.calcite.DataContext} (the sys tables read who runs the query), with the values bound
     * to its parameters.
     */
    public StatementResult.Rows execute(String sql, SqlNode statement, TimeZone timeZone, Map<String, Object> variables,
                                        List<Object> parameterValues) {
        if (isStream(statement)) {
            throw new WeirException(ErrorCode.NOT_SUPPORTED, SqlErrors.position(statement.getParserPosition()),
                    "Continuous queries (SELECT STREAM) are not available in this version of Weir");
        }
        StatementCancel cancel = StatementCancel.current().orElseGet(StatementCancel::new);
        CompiledQuery query = compiledQueries.get(new CompiledKey(sql, timeZone.getID()), () -> compile(sql, cancel));
        try {
            return query.start(rootSchema, timeZone, cancel, variables, parameterValues);
        } catch (RuntimeException | ExceptionInInitializerError e) {
            throw cancel.translate(e);
        }
    }

    /** The text of a query and the time zone it was planned in. */
    private record CompiledKey(String sql, String timeZone) {
    }

    /** A plain query planned and compiled: its columns and generated code; no code for a query known to be empty. */
    private record CompiledQuery(List<ResultColumn> columns, Bindable<Object[]> bindable, JavaTypeFactory typeFactory) {
        StatementResult.Rows start(SchemaPlus rootSchema, TimeZone timeZone, StatementCancel cancel,
                                   Map<String, Object> variables, List<Object> parameterValues) {
            if (bindable == null) {
                return StatementResult.Rows.of(columns, List.of());
            }
            QueryDataContext context = new QueryDataContext(rootSchema, typeFactory, timeZone, cancel, variables, parameterValues);
            Enumerable<Object[]> enumerable = bindable.bind(context);
            Enumerator<Object[]> enumerator = enumerable.enumerator();
            return new StatementResult.Rows(columns, new RowIterator(enumerator, columns, cancel), () -> {
                context.cancel();
                enumerator.close();
            });
        }
    }

    private CompiledQuery compile(String sql, StatementCancel cancel) {
        Planner planner = planner(false);
        try {
            SqlNode validated = planner.validate(planner.parse(sql));
            cancel.check();
            RelRoot root = planner.rel(validated);
            cancel.check();
            List<ResultColumn> columns = columns(root.validatedRowType);
            RelNode logical = SubQueries.present(root.project()) ? SubQueries.decorrelated(root.project()) : root.project();
            RelNode rewritten = PROBE_REWRITE.run(new HepPlanner(new HepProgramBuilder().build()), logical,
                    logical.getTraitSet(), List.of(), List.of());
            if (rewritten instanceof Values values && values.getTuples().isEmpty()) {
                return new CompiledQuery(columns, null, null);
            }
            checkBounded(rewritten);
            rejectMonthWindows(rewritten);
            cancel.check();
            RelNode physical = planner.transform(0, rewritten.getTraitSet().replace(EnumerableConvention.INSTANCE).simplify(), rewritten);
            cancel.check();
            Bindable<Object[]> bindable = EnumerableInterpretable.toBindable(Map.of(), null, (EnumerableRel) physical,
                    EnumerableRel.Prefer.ARRAY);
            cancel.check();
            return new CompiledQuery(columns, bindable, (JavaTypeFactory) physical.getCluster().getTypeFactory());
        } catch (Exception | ExceptionInInitializerError e) {
            throw SqlErrors.translate(e);
        } finally {
            planner.close();
        }
    }

    /**
     * EXPLAIN of a bounded query ({@code sql} is the whole EXPLAIN statement): Calcite's logical plan,
     * then the enumerable plan that runs it, one line per row.
     */
    public List<String> explain(String sql) {
        Planner planner = planner(false);
        try {
            SqlNode parsed = planner.parse(sql);
            SqlNode query = parsed instanceof SqlExplain explain ? explain.getExplicandum() : parsed;
            RelRoot root = planner.rel(planner.validate(query));
            StatementCancel.checkCurrent();
            RelNode logical = root.project();
            rejectMonthWindows(logical);
            RelNode physical = planner.transform(0, logical.getTraitSet().replace(EnumerableConvention.INSTANCE).simplify(), logical);
            List<String> lines = new ArrayList<>();
            lines.add("== Logical plan (Calcite) ==");
            addLines(lines, RelOptUtil.toString(logical));
            lines.add("== Physical plan (bounded, Calcite enumerable) ==");
            addLines(lines, RelOptUtil.toString(physical));
            return lines;
        } catch (Exception e) {
            throw SqlErrors.translate(e);
        } finally {
            planner.close();
        }
    }

    private static void addLines(List<String> lines, String text) {
        for (String line : text.split("\\R")) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
    }

    /**
     * A group window (TUMBLE, HOP, SESSION) of months or years: Calcite's enumerable code cannot compute it
     * (an internal error otherwise), and a month has no fixed length. As continuous queries say.
     */
    private static void rejectMonthWindows(RelNode plan) {
        new org.apache.calcite.rel.RelVisitor() {
            @Override
            public void visit(RelNode node, int ordinal, RelNode parent) {
                node.accept(new org.apache.calcite.rex.RexShuttle() {
                    @Override
                    public org.apache.calcite.rex.RexNode visitCall(org.apache.calcite.rex.RexCall call) {
                        String name = call.getOperator().getName().toUpperCase(java.util.Locale.ROOT);
                        if ((name.contains("TUMBLE") || name.contains("HOP") || name.contains("SESSION"))
                                && call.getOperands().stream().anyMatch(operand -> operand.getType().getSqlTypeName().getFamily()
                                == org.apache.calcite.sql.type.SqlTypeFamily.INTERVAL_YEAR_MONTH)) {
                            throw new WeirException(ErrorCode.NOT_SUPPORTED, "Windows are measured in days, hours, minutes,"
                                    + " seconds or milliseconds, not in months or years; write e.g. INTERVAL '30' DAY");
                        }
                        return super.visitCall(call);
                    }
                });
                super.visit(node, ordinal, parent);
            }
        }.go(plan);
    }

    private void checkBounded(RelNode rel) {
        rel.accept(new RelShuttleImpl() {
            @Override
            public RelNode visit(TableScan scan) {
                RelOptTable table = scan.getTable();
                CatalogTable catalogTable = table.unwrap(CatalogTable.class);
                if (catalogTable != null) {
                    CatalogObject object = catalogTable.object();
                    if (object.type() == ObjectType.STREAM && !scanner.isBounded(object)) {
                        throw BoundedSourceScanner.unbounded(object);
                    }
                }
                return scan;
            }
        });
    }

    /**
     * Rows from Calcite's enumerator, converted to Weir's representation; stops at the next row once
     * the statement is cancelled (its scans stop at the next row they read).
     */
    private static final class RowIterator implements Iterator<Object[]> {
        private final Enumerator<Object[]> enumerator;
        private final List<ResultColumn> columns;
        private final StatementCancel cancel;
        private Boolean hasNext;

        RowIterator(Enumerator<Object[]> enumerator, List<ResultColumn> columns, StatementCancel cancel) {
            this.enumerator = enumerator;
            this.columns = columns;
            this.cancel = cancel;
        }

        @Override
        public boolean hasNext() {
            if (hasNext == null) {
                cancel.check();
                try {
                    hasNext = enumerator.moveNext();
                } catch (RuntimeException | ExceptionInInitializerError e) {
                    throw cancel.translate(e);
                }
            }
            return hasNext;
        }

        @Override
        public Object[] next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            hasNext = null;
            Object current = enumerator.current();
            Object[] values = columns.size() == 1 && !(current instanceof Object[]) ? new Object[] {current} : (Object[]) current;
            Object[] row = new Object[columns.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = CalciteValues.toWeir(columns.get(i).type(), values[i]);
            }
            return row;
        }
    }
}

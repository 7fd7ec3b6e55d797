package io.weir.sql.statement;

import io.weir.engine.checkpoint.CheckpointRecord;
import io.weir.engine.checkpoint.CheckpointStatistics;
import io.weir.engine.deadletter.DeadLetterStore;
import io.weir.engine.exec.RunningQueries;
import io.weir.engine.late.LateRowLog;
import io.weir.engine.source.SourceStatistics;
import io.weir.engine.view.MaterializedViews;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.Capability;
import io.weir.spi.connector.ConnectorFactory;
import io.weir.spi.connector.ConnectorResolver;
import io.weir.spi.connector.ConnectorServices;
import io.weir.spi.connector.FileRoots;
import io.weir.spi.connector.Connectors;
import io.weir.spi.type.DataType;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ColumnDefinition;
import io.weir.sql.catalog.ObjectReference;
import io.weir.sql.catalog.ObjectType;
import io.weir.sql.catalog.PersistentQueryDefinition;
import io.weir.sql.auth.Authorizer;
import io.weir.sql.auth.SessionUser;
import io.weir.sql.ddl.DdlExecutor;
import io.weir.sql.parameter.ParameterText;
import io.weir.sql.parameter.ParameterTypes;
import io.weir.sql.parameter.ParameterValues;
import io.weir.sql.parameter.StatementParameter;
import io.weir.sql.parser.WeirSqlParser;
import io.weir.sql.parser.ddl.ObjectKind;
import io.weir.sql.parser.ddl.SqlCreateFunction;
import io.weir.sql.parser.ddl.SqlCreateMaterializedView;
import io.weir.sql.parser.ddl.SqlCreateTableLike;
import io.weir.sql.parser.ddl.SqlCreateToken;
import io.weir.sql.parser.ddl.SqlCreateWeirView;
import io.weir.sql.parser.ddl.SqlDescribeConnector;
import io.weir.sql.parser.ddl.SqlDescribeObject;
import io.weir.sql.parser.ddl.SqlDropObject;
import io.weir.sql.parser.ddl.SqlEmit;
import io.weir.sql.parser.ddl.SqlOption;
import io.weir.sql.parser.ddl.SqlResetProperty;
import io.weir.sql.parser.ddl.SqlSetProperty;
import io.weir.sql.parser.ddl.SqlGrant;
import io.weir.sql.parser.ddl.SqlShowGrants;
import io.weir.sql.parser.ddl.SqlShowObjects;
import io.weir.sql.parser.ddl.SqlExplainAnalyzeQuery;
import io.weir.sql.parser.ddl.SqlStopQuery;
import io.weir.sql.query.BoundedQueryPlanner;
import io.weir.sql.query.BoundedSourceScanner;
import io.weir.sql.schema.PlannerFrameworks;
import io.weir.sql.session.SessionOptions;
import io.weir.sql.session.ServerLimits;
import io.weir.sql.session.SessionProperties;
import io.weir.sql.stream.ContinuousPlan;
import io.weir.sql.stream.ContinuousQueryPlanner;
import io.weir.sql.system.SystemSchema;
import io.weir.sql.udf.UserFunctions;
import io.weir.sql.postgres.InformationSchema;
import io.weir.sql.postgres.PgCatalogSchema;
import io.weir.sql.postgres.PgFunctions;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlDescribeTable;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Runs one SQL statement of a session: DDL against the catalog, SHOW / DESCRIBE, SET / RESET, and
 * queries. The single entry point of the planner for the server; thread-safe.
 */
public final class StatementExecutor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatementExecutor.class);
    private static final String VIEW_QUERY_PREFIX = "view:";
    private static final DataType TEXT = DataType.varchar();
    private static final List<ResultColumn> EXPLAIN_COLUMNS = List.of(new ResultColumn("PLAN", TEXT));
    /** What INSERT INTO answers: the persistent query it started. */
    public static final List<ResultColumn> INSERT_COLUMNS = List.of(new ResultColumn("query_id", TEXT.withNullable(false)),
            new ResultColumn("sink", TEXT.withNullable(false)), new ResultColumn("state", TEXT.withNullable(false)));
    /** What DROP ... CASCADE answers: one row per query it stopped and object it dropped, the object itself last. */
    public static final List<ResultColumn> DROP_COLUMNS = List.of(new ResultColumn("action", TEXT.withNullable(false)),
            new ResultColumn("kind", TEXT.withNullable(false)), new ResultColumn("name", TEXT.withNullable(false)),
            new ResultColumn("query_text", TEXT));

    /** What STOP QUERY answers: the query it stopped, as it ended. */
    public static final List<ResultColumn> STOP_COLUMNS = List.of(new ResultColumn("query_id", TEXT.withNullable(false)),
            new ResultColumn("kind", TEXT.withNullable(false)), new ResultColumn("state", TEXT.withNullable(false)),
            new ResultColumn("rows_in", DataType.of(io.weir.spi.type.TypeKind.BIGINT).withNullable(false)),
            new ResultColumn("rows_out", DataType.of(io.weir.spi.type.TypeKind.BIGINT).withNullable(false)),
            new ResultColumn("message", TEXT.withNullable(false)));

    private final Catalog catalog;
    private final SourceStatistics statistics;
    private final DeadLetterStore deadLetters;
    private final DdlExecutor ddl;
    private final CatalogListing listing;
    private final BoundedQueryPlanner queries;
    private final ContinuousQueryPlanner continuousQueries;
    private final ConnectorListing connectors = new ConnectorListing();
    private final UserStatements users;
    private final GrantStatements grants;
    private final Authorizer authorizer;
    private final RunningQueries runningQueries;
    private final MaterializedViews views = new MaterializedViews();
    private final ConnectorServices connectorServices;
    private final ServerLimits limits;
    private final LateRowLog lateRows = new LateRowLog();
    private final UserFunctions functions;
    private final FunctionStatements functionStatements;

    public StatementExecutor(Catalog catalog, Path dataDir) {
        this(catalog, dataDir, RunningQueries.NONE, Optional.empty());
    }

    /**
     * @param runningQueries the server's continuous queries, for SHOW QUERIES and STOP QUERY
     * @param fileRoots where connectors may read and write files; empty: anywhere (an embedded engine)
     */
    public StatementExecutor(Catalog catalog, Path dataDir, RunningQueries runningQueries, Optional<FileRoots> fileRoots) {
        this(catalog, dataDir, runningQueries, fileRoots, ServerLimits.DEFAULTS);
    }

    /** @param limits what a statement may be (its length); the rest of them the server applies */
    public StatementExecutor(Catalog catalog, Path dataDir, RunningQueries runningQueries, Optional<FileRoots> fileRoots,
                             ServerLimits limits) {
        this.limits = requireNonNull(limits, "limits is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.connectorServices = requireNonNull(fileRoots, "fileRoots is null").isPresent()
                ? new ConnectorServices(views, fileRoots.get()) : new ConnectorServices(views);
        this.runningQueries = requireNonNull(runningQueries, "runningQueries is null");
        this.functions = catalog.directory().map(directory -> UserFunctions.open(directory, fileRoots))
                .orElseGet(() -> UserFunctions.inMemory(fileRoots));
        this.statistics = new SourceStatistics();
        this.deadLetters = new DeadLetterStore(dataDir.resolve("dead-letters"));
        BoundedSourceScanner scanner = new BoundedSourceScanner(dataDir, statistics, deadLetters, connectorServices, views);
        SchemaPlus relations = PlannerFrameworks.rootSchema(catalog, scanner, false, ContinuousQueryPlanner::viewQuery, false,
                functions);
        relations.add(SystemSchema.NAME, new SystemSchema(catalog, statistics, deadLetters, runningQueries, lateRows, functions));
        // what PostgreSQL clients read to list and describe relations, and the functions they call
        PgFunctions.register(relations.add(PgCatalogSchema.NAME, new PgCatalogSchema(catalog)));
        relations.add(InformationSchema.NAME, new InformationSchema(catalog));
        PgFunctions.register(relations);
        SchemaPlus streams = PlannerFrameworks.rootSchema(catalog, scanner, true, ContinuousQueryPlanner::viewQuery, false,
                functions);
        this.ddl = new DdlExecutor(catalog, relations, dataDir, connectorServices);
        this.listing = new CatalogListing(catalog);
        this.users = new UserStatements(catalog.users());
        this.authorizer = new Authorizer(catalog);
        this.grants = new GrantStatements(catalog, authorizer);
        this.queries = new BoundedQueryPlanner(relations, streams, scanner);
        // continuous queries read a materialized view as its change stream
        this.continuousQueries = new ContinuousQueryPlanner(
                PlannerFrameworks.rootSchema(catalog, scanner, false, ContinuousQueryPlanner::viewQuery, true, functions));
        functions.addListener(queries::forgetPlans); // plans of plain queries may call a function that changed
        this.functionStatements = new FunctionStatements(functions, catalog, runningQueries);
        catalog.addListener(change -> {
            queries.forgetPlans(); // the plans kept of plain queries may read what changed
            if (change.kind() != Catalog.CatalogChange.Kind.CREATED) {
                statistics.remove(change.object().name());
                connectorServices.sinkStatistics().forget(change.object().name());
            }
            if (change.kind() == Catalog.CatalogChange.Kind.DROPPED) {
                deadLetters.delete(change.object().name());
            }
        });
        recordLegacyDependencies();
    }

    /**
     * Records what the views of a catalog written by an older Weir (which kept no identities) depend
     * on, once: each view is planned to find the objects it reads; an object registered after the view
     * is not the one it was created over (that one was dropped), and is recorded as gone. A view that
     * cannot be planned now is left unrecorded: {@link io.weir.sql.schema.ViewTable} then applies the
     * same rule each time it is used.
     */
    private void recordLegacyDependencies() {
        Map<String, List<ObjectReference>> recorded = new LinkedHashMap<>();
        for (CatalogObject object : catalog.list()) {
            if (object.dependencies() != null) {
                continue;
            }
            if (object.type() != ObjectType.VIEW && object.type() != ObjectType.MATERIALIZED_VIEW) {
                recorded.put(object.id(), List.of());
                continue;
            }
            try {
                List<ObjectReference> references = new ArrayList<>();
                for (CatalogObject read : referencesOf(object)) {
                    references.add(read.createdAt().isAfter(object.createdAt())
                            ? ObjectReference.gone(read.name(), read.type()) : ObjectReference.to(read));
                }
                recorded.put(object.id(), references);
            } catch (WeirException e) {
                LOG.warn("Cannot record what {} '{}' reads: {}", object.type().displayName(), object.name(), e.getMessage());
            }
        }
        catalog.recordDependencies(recorded);
        if (recorded.values().stream().anyMatch(references -> !references.isEmpty())) {
            LOG.info("Recorded the dependencies of {} views of a catalog written by an older version",
                    recorded.values().stream().filter(references -> !references.isEmpty()).count());
        }
    }

    /** The objects a view or materialized view reads, found by planning its query. */
    private List<CatalogObject> referencesOf(CatalogObject view) {
        if (view.type() == ObjectType.MATERIALIZED_VIEW) {
            return continuousQueries.planMaterializedView(view.ddl(), view.name(), view.options()).references();
        }
        SqlNode query = io.weir.sql.schema.ViewTable.query(view);
        String querySql = query.toSqlString(CalciteSqlDialect.DEFAULT).getSql();
        return ContinuousQueryPlanner.isContinuous(query)
                ? continuousQueries.plan(querySql).references()
                : queries.validate(querySql, query).references();
    }

    public Catalog catalog() {
        return catalog;
    }

    /** The server's user-defined functions (for JDBC metadata). */
    public UserFunctions functions() {
        return functions;
    }

    public SourceStatistics statistics() {
        return statistics;
    }

    public DeadLetterStore deadLetters() {
        return deadLetters;
    }

    /**
     * The late rows of the queries whose session routes them to a side output ('late-rows' = 'side-output'),
     * shown by {@code sys.late_rows}: hand it to those queries ({@link io.weir.engine.exec.QueryOptions#withLateRows}).
     */
    public LateRowLog lateRows() {
        return lateRows;
    }

    /**
     * What this server shares among the connectors of its queries (write-ahead logs, feeds, ingest
     * channels, materialized view stores): hand it to the queries this executor plans
     * ({@link io.weir.engine.exec.QueryOptions#connectorServices()}). Closed with the executor.
     */
    public ConnectorServices connectorServices() {
        return connectorServices;
    }

    /**
     * {@link #prepare(SessionProperties, String)} that stops, failing with the cancellation's error, once
     * {@code cancel} is cancelled.
     */
    public PreparedPlan prepare(SessionProperties session, String sql, StatementCancel cancel) {
        try (StatementCancel.Scope ignored = cancel.bind()) {
            return prepare(session, sql);
        } catch (RuntimeException e) {
            throw cancel.isCancelled() ? cancel.failure() : e;
        }
    }

    /**
     * {@link #execute(SessionProperties, SessionUser, PreparedPlan)} that stops, failing with the
     * cancellation's error, once {@code cancel} is cancelled; a bounded query's rows check it as they
     * are read, later.
     */
    public StatementResult execute(SessionProperties session, SessionUser user, PreparedPlan plan, StatementCancel cancel) {
        try (StatementCancel.Scope ignored = cancel.bind()) {
            return execute(session, user, plan);
        } catch (RuntimeException e) {
            throw cancel.isCancelled() ? cancel.failure() : e;
        }
    }

    /**
     * Parses and plans {@code sql} into its {@link Operation}; a query's result columns are known afterwards.
     * Nothing is authorized here: {@link #execute} checks what the operation requires, as does
     * {@link #prepare(SessionProperties, SessionUser, String, StatementCancel)} for protocols that describe a
     * statement's columns to its client before running it.
     */
    public PreparedPlan prepare(SessionProperties session, String sql) {
        requireNonNull(sql, "sql is null");
        if (sql.length() > limits.maxStatementLength()) {
            throw new WeirException(ErrorCode.PROGRAM_LIMIT_EXCEEDED, "The statement has " + sql.length() + " characters; this"
                    + " server takes at most " + limits.maxStatementLength() + " (server.max-statement-length). Split it, or"
                    + " put large data into a stream or table and join it");
        }
        SqlNode parsed = WeirSqlParser.parseStatement(sql);
        SqlNode node = SqlEmit.unwrap(parsed);
        if (parsed instanceof SqlEmit emit) {
            checkEmitClause(emit, node);
        }
        StatementShape.check(node);
        StatementCancel.checkCurrent();
        int parameters = ParameterTypes.count(node);
        if (parameters > 0 && !isPlainQuery(node)) {
            return prepareWithParameters(session, sql, node);
        }
        boolean explain = node instanceof SqlExplain;
        if (node instanceof SqlInsert || node instanceof SqlExplain explained && explained.getExplicandum() instanceof SqlInsert) {
            InsertPlan insert = planInsert(sql, node, allowedLateness(session));
            return new PreparedPlan(sql, new Operation.PersistentQuery(node, explain, insert.sink(), insert.reads()),
                    explain ? EXPLAIN_COLUMNS : INSERT_COLUMNS);
        }
        if (node.getKind().belongsTo(SqlKind.QUERY) || explain) {
            if (ContinuousQueryPlanner.isContinuous(node)) {
                ContinuousPlan plan = continuousQueries.plan(sql, earlyInterval(session), allowedLateness(session));
                return new PreparedPlan(sql, new Operation.Query(node, true, explain, plan.references()),
                        explain ? EXPLAIN_COLUMNS : plan.columns());
            }
            if (explain) {
                queries.explain(sql);
                SqlNode query = ((SqlExplain) node).getExplicandum();
                List<CatalogObject> reads = queries.validate(query.toSqlString(CalciteSqlDialect.DEFAULT).getSql(), query)
                        .references();
                return new PreparedPlan(sql, new Operation.Query(node, false, true, reads), EXPLAIN_COLUMNS);
            }
            BoundedQueryPlanner.ValidatedQuery query = queries.validate(sql, node);
            return new PreparedPlan(sql, new Operation.Query(node, false, false, query.references()), query.columns(),
                    query.parameters(), List.of());
        }
        if (node instanceof SqlShowObjects || node instanceof SqlShowGrants || node instanceof SqlDescribeConnector
                || node instanceof SqlSetProperty set && set.key().isEmpty()) {
            return new PreparedPlan(sql, new Operation.Show(node), List.of());
        }
        if (node instanceof SqlDescribeObject describe) {
            return new PreparedPlan(sql, new Operation.Describe(node, catalog.get(DdlExecutor.objectName(describe.name()))),
                    List.of());
        }
        if (node instanceof SqlDescribeTable describe) {
            return new PreparedPlan(sql, new Operation.Describe(node, catalog.get(DdlExecutor.objectName(describe.getTable()))),
                    List.of());
        }
        if (node instanceof SqlSetProperty || node instanceof SqlResetProperty) {
            return new PreparedPlan(sql, new Operation.SessionChange(node), List.of());
        }
        if (node instanceof SqlDropObject drop) {
            // with CASCADE, DDL that answers with rows: what it stopped and dropped
            return new PreparedPlan(sql, new Operation.Drop(node), drop.cascade() ? DROP_COLUMNS : List.of());
        }
        if (node instanceof SqlExplainAnalyzeQuery) {
            return new PreparedPlan(sql, new Operation.AnalyzeQuery(node), EXPLAIN_COLUMNS);
        }
        if (node instanceof SqlStopQuery) {
            // DDL that answers with rows (the query it stopped), so that it may still be part of a batch
            return new PreparedPlan(sql, new Operation.StopQuery(node), STOP_COLUMNS);
        }
        if (node instanceof SqlGrant) {
            return new PreparedPlan(sql, new Operation.GrantChange(node), List.of());
        }
        if (UserStatements.handles(node)) {
            // CREATE TOKEN answers with the token, shown this once: a query, so that a batch (which keeps only counts) refuses it
            boolean token = node instanceof SqlCreateToken;
            return new PreparedPlan(sql, new Operation.UserManagement(node, token ? StatementKind.QUERY : StatementKind.DDL,
                    UserStatements.requirements(node)), token ? UserStatements.TOKEN_COLUMNS : List.of());
        }
        if (node instanceof SqlCreateTableLike create) {
            String connector = create.options().stream().filter(option -> option.key().equalsIgnoreCase("connector"))
                    .map(SqlOption::value).findFirst().orElse("");
            return new PreparedPlan(sql, new Operation.CreateObject(node, connector), List.of());
        }
        if (node instanceof SqlCreateWeirView view) {
            return new PreparedPlan(sql, planView(view, true), List.of());
        }
        if (node instanceof SqlCreateMaterializedView create) {
            return new PreparedPlan(sql, planMaterializedView(create, sql, allowedLateness(session)), List.of());
        }
        if (node instanceof SqlCreateFunction) {
            return new PreparedPlan(sql, new Operation.CreateFunction(node), List.of());
        }
        throw new WeirException(ErrorCode.NOT_SUPPORTED, SqlErrors.position(node.getParserPosition()),
                "Statement " + node.getKind() + " is not supported. Weir runs CREATE/DROP STREAM, TABLE, VIEW and FUNCTION, SHOW, DESCRIBE,"
                        + " SET, RESET, SELECT, INSERT INTO, STOP QUERY, CREATE/ALTER/DROP USER, CREATE/DROP TOKEN and"
                        + " GRANT/REVOKE");
    }

    /**
     * {@link #prepare(SessionProperties, String, StatementCancel)}, then checks that {@code user} may run the
     * statement, so that a client learns nothing (not even a query's columns) of what it may not read.
     */
    public PreparedPlan prepare(SessionProperties session, SessionUser user, String sql, StatementCancel cancel) {
        PreparedPlan plan = prepare(session, sql, cancel);
        authorizer.check(user, plan.operation().requires());
        return plan;
    }

    /**
     * Plans a view's query: what it reads and its columns; with {@code skipExisting}, nothing for IF NOT EXISTS
     * of an existing view.
     */
    private Operation.CreateView planView(SqlCreateWeirView create, boolean skipExisting) {
        String name = DdlExecutor.objectName(create.name());
        if (skipExisting && create.ifNotExists() && catalog.get(name).isPresent()) {
            return new Operation.CreateView(create, Optional.empty(), List.of(), List.of());
        }
        SqlNode query = create.query();
        ContinuousQueryPlanner.checkViewQuery(query);
        String querySql = query.toSqlString(CalciteSqlDialect.DEFAULT).getSql();
        if (ContinuousQueryPlanner.isContinuous(query)) {
            ContinuousPlan planned = continuousQueries.plan(querySql);
            return new Operation.CreateView(create, Optional.of(planned), planned.columns(), planned.references());
        }
        BoundedQueryPlanner.ValidatedQuery validated = queries.validate(querySql, query);
        return new Operation.CreateView(create, Optional.empty(), validated.columns(), validated.references());
    }

    /** Plans a materialized view's query (nothing when it exists and is not to be replaced: execute says so). */
    private Operation.CreateView planMaterializedView(SqlCreateMaterializedView create, String sql, Duration lateness) {
        String name = DdlExecutor.objectName(create.name());
        Optional<CatalogObject> existing = catalog.get(name);
        if (existing.isPresent() && (create.ifNotExists() || !create.replace()
                || existing.get().type() != ObjectType.MATERIALIZED_VIEW)) {
            return new Operation.CreateView(create, Optional.empty(), List.of(), List.of());
        }
        ContinuousPlan planned = continuousQueries.planMaterializedView(sql, name, viewOptions(create, lateness));
        return new Operation.CreateView(create, Optional.of(planned), planned.columns(), planned.references());
    }

    /**
     * A view's options; with the session's {@code 'allowed-lateness'} (when the view sets none and it is not 0), which
     * the view keeps: it is planned with its options again when the server restarts.
     */
    private static Map<String, String> viewOptions(SqlCreateMaterializedView create, Duration lateness) {
        Map<String, String> options = new LinkedHashMap<>();
        for (SqlOption option : create.options()) {
            options.put(option.key().toLowerCase(Locale.ROOT), option.value());
        }
        if (!lateness.isZero() && !options.containsKey(SessionOptions.ALLOWED_LATENESS.key())) {
            options.put(SessionOptions.ALLOWED_LATENESS.key(), lateness.toMillis() + " ms");
        }
        return options;
    }

    /** The sink of the session's late rows ('late-rows.sink'), checked: what the engine writes them into. */
    public Optional<io.weir.engine.plan.SinkSpec> lateRowSink(SessionProperties session) {
        return io.weir.sql.late.LateRowSinkTarget.resolve(catalog, session).map(io.weir.sql.late.LateRowSinkTarget::spec);
    }

    /** Checks the session's 'late-rows.sink', and that {@code user} may write into it as the query they start will. */
    private void checkLateRowSink(SessionProperties session, SessionUser user) {
        io.weir.sql.late.LateRowSinkTarget.resolve(catalog, session).ifPresent(target -> authorizer.check(user,
                List.of(new io.weir.sql.auth.Requirement.OnObject(io.weir.sql.auth.Privilege.INSERT, target))));
    }

    /** The session's 'allowed-lateness': how long the outermost window aggregation keeps fired windows for late rows. */
    private static Duration allowedLateness(SessionProperties session) {
        return session.duration(SessionOptions.ALLOWED_LATENESS);
    }

    /** The 'allowed-lateness' a persistent query was started with (stored with its session's settings); 0 when none. */
    private static Duration allowedLateness(PersistentQueryDefinition definition) {
        String lateness = definition.session() == null ? null : definition.session().get(SessionOptions.ALLOWED_LATENESS.key());
        return lateness == null ? Duration.ZERO : io.weir.spi.option.OptionParsing.parseDuration(lateness);
    }

    /** EMIT follows a continuous query, an INSERT INTO or a CREATE MATERIALIZED VIEW (or EXPLAIN of one), where windows are. */
    private static void checkEmitClause(SqlEmit emit, SqlNode statement) {
        SqlNode explained = statement instanceof SqlExplain explain ? explain.getExplicandum() : statement;
        if (!(explained instanceof SqlInsert || explained instanceof SqlCreateMaterializedView
                || ContinuousQueryPlanner.isContinuous(explained))) {
            throw new WeirException(ErrorCode.NOT_SUPPORTED, SqlErrors.position(emit.clausePosition()),
                    "EMIT says when a continuous query sends its windows' rows: it ends a SELECT STREAM, an INSERT INTO or a"
                            + " CREATE MATERIALIZED VIEW. A plain query answers with its rows at once: remove the EMIT clause");
        }
    }

    /** The session's 'emit.early-interval': without an EMIT clause, how often a continuous query sends open windows. */
    private static java.time.Duration earlyInterval(SessionProperties session) {
        return session.duration(SessionOptions.EMIT_EARLY_INTERVAL);
    }

    /** A plain (bounded) query: bound to its parameters' values when it runs, its compiled plan kept. */
    private static boolean isPlainQuery(SqlNode node) {
        return node.getKind().belongsTo(SqlKind.QUERY) && !ContinuousQueryPlanner.isContinuous(node);
    }

    /**
     * A statement with parameters that is bound by writing the values into its text (see {@link #bind}):
     * its parameters' types are inferred by validating the query they stand in, and the statement with a
     * typed NULL for each is prepared as any other, which checks it and gives its result's columns.
     */
    private PreparedPlan prepareWithParameters(SessionProperties session, String sql, SqlNode node) {
        if (node instanceof SqlCreateTableLike) {
            // CREATE STREAM / TABLE: its parameters are its options' values, text bound into the statement
            List<StatementParameter> parameters = java.util.Collections.nCopies(ParameterTypes.count(node),
                    ParameterTypes.OPTION_VALUE);
            PreparedPlan shape = prepare(session, ParameterText.placeholders(sql, node, parameters));
            return new PreparedPlan(sql, shape.operation(), shape.columns(), parameters, List.of());
        }
        SqlNode query = parameterized(node);
        List<StatementParameter> parameters = ContinuousQueryPlanner.isContinuous(query) || node instanceof SqlInsert
                || node instanceof SqlCreateMaterializedView || node instanceof SqlExplain explain && explain.getExplicandum() instanceof SqlInsert
                ? continuousQueries.parameterTypes(sql, StatementExecutor::parameterized)
                : queries.parameterTypes(sql, StatementExecutor::parameterized);
        PreparedPlan shape = prepare(session, ParameterText.placeholders(sql, node, parameters));
        return new PreparedPlan(sql, shape.operation(), shape.columns(), parameters, List.of());
    }

    /** The query of a statement that may have parameters: the statement's own, an INSERT's, a view's, an EXPLAIN's. */
    private static SqlNode parameterized(SqlNode node) {
        if (node instanceof SqlExplain explain) {
            return parameterized(explain.getExplicandum());
        }
        if (node instanceof SqlInsert insert) {
            return insert.getSource();
        }
        if (node instanceof SqlCreateWeirView view) {
            return view.query();
        }
        if (node instanceof SqlCreateMaterializedView view) {
            return view.query();
        }
        if (node.getKind().belongsTo(SqlKind.QUERY)) {
            return node;
        }
        throw new WeirException(ErrorCode.NOT_SUPPORTED, SqlErrors.position(node.getParserPosition()),
                "Parameters (?) are not supported in " + node.getKind() + " statements; write the values into the statement."
                        + " Queries, INSERT INTO, CREATE VIEW and CREATE MATERIALIZED VIEW take parameters, and the option"
                        + " values of CREATE STREAM, TABLE and MATERIALIZED VIEW (WITH ('path' = ?))");
    }

    /**
     * {@code plan} with {@code values} bound to its parameters, ready to {@link #execute}: a plain query
     * keeps its plan (its compiled code reads the values as it runs); any other statement is prepared
     * again with the values written into its text as literals of their parameters' types, which is the
     * text a persistent query or view then keeps. A plan without parameters takes no values.
     *
     * @param values one per parameter, as Java values: numbers, strings (read as the parameter's type),
     *        booleans, {@code java.time} values, {@code byte[]}, or null
     * @throws WeirException SQLSTATE 07001 for another number of values than parameters, 07006 or 22xxx
     *         for a value the parameter's type cannot take
     */
    public PreparedPlan bind(SessionProperties session, PreparedPlan plan, List<?> values) {
        requireNonNull(values, "values is null");
        if (plan.parameterCount() == 0 && values.isEmpty()) {
            return plan;
        }
        List<Object> converted = ParameterValues.convert(plan.parameters(), values);
        // Calcite's compiled code reads an interval parameter as a whole number of its type's last unit (hours of
        // an INTERVAL HOUR, seconds of a DAY TO SECOND): intervals are written into the text, to the millisecond
        boolean intervals = plan.parameters().stream().anyMatch(parameter -> parameter.type().kind().isInterval());
        if (isPlainQuery(plan.statement()) && !intervals) {
            List<Object> calcite = new ArrayList<>(converted.size());
            for (int i = 0; i < converted.size(); i++) {
                calcite.add(io.weir.sql.query.CalciteValues.toCalcite(plan.parameters().get(i).type(), converted.get(i)));
            }
            return plan.withValues(calcite);
        }
        // the plan's operation is that of the statement with a typed NULL for each parameter: the ? are in its text
        SqlNode withParameters = SqlEmit.unwrap(WeirSqlParser.parseStatement(plan.sql()));
        return prepare(session, ParameterText.inline(plan.sql(), withParameters, plan.parameters(), converted));
    }

    /**
     * {@link #execute(SessionProperties, SessionUser, PreparedPlan, StatementCancel)} of {@code plan} with
     * {@code values} {@link #bind bound} to its parameters: what a protocol's execution of a prepared
     * statement calls.
     */
    public StatementResult execute(SessionProperties session, SessionUser user, PreparedPlan plan, List<?> values,
                                   StatementCancel cancel) {
        try (StatementCancel.Scope ignored = cancel.bind()) {
            return execute(session, user, bind(session, plan, values));
        } catch (RuntimeException e) {
            throw cancel.isCancelled() ? cancel.failure() : e;
        }
    }

    /** Runs {@code sql} as {@link SessionUser#ANONYMOUS}: as anyone on a server without users. */
    public StatementResult execute(SessionProperties session, String sql) {
        return execute(session, prepare(session, sql));
    }

    /** Runs {@code plan} as {@link SessionUser#ANONYMOUS}: as anyone on a server without users. */
    public StatementResult execute(SessionProperties session, PreparedPlan plan) {
        return execute(session, SessionUser.ANONYMOUS, plan);
    }

    /** Runs {@code sql} as {@code user}. */
    public StatementResult execute(SessionProperties session, SessionUser user, String sql) {
        return execute(session, user, prepare(session, sql));
    }

    /** Who decides what each user may do and see. */
    public Authorizer authorizer() {
        return authorizer;
    }

    /**
     * Runs {@code plan} as {@code user}: the {@link Authorizer} checks what its operation requires (against the
     * grants as they are now), then it runs by the operation's type.
     *
     * @throws WeirException {@link ErrorCode#INSUFFICIENT_PRIVILEGE} when {@code user} lacks a privilege it needs
     */
    public StatementResult execute(SessionProperties session, SessionUser user, PreparedPlan plan) {
        requireNonNull(user, "user is null");
        if (!plan.bound()) {
            throw ParameterValues.countMismatch(plan.parameterCount(), plan.parameterValues().size());
        }
        Operation operation = plan.operation();
        SqlNode node = operation.statement();
        try {
            authorizer.check(user, operation.requires());
            if (operation instanceof Operation.Query query) {
                return query(session, user, plan, query);
            }
            if (operation instanceof Operation.PersistentQuery insert) {
                if (insert.explain()) {
                    return StatementResult.Rows.of(EXPLAIN_COLUMNS,
                            planInsert(plan.sql(), node, allowedLateness(session)).plan().explain().stream()
                                    .map(line -> new Object[] {line}).toList());
                }
                StatementResult.Persistent planned = planPersistent(plan.sql(), allowedLateness(session));
                checkLateRowSink(session, user);
                // planned again as it starts: what it reads now is what must be allowed
                authorizer.check(user, Operation.selectOf(planned.dependencies().stream()
                        .map(catalog::resolve).flatMap(Optional::stream)
                        .filter(object -> !object.name().equalsIgnoreCase(planned.sink())).toList()));
                return planned.ownedBy(user);
            }
            if (operation instanceof Operation.Show) {
                return show(session, user, node);
            }
            if (operation instanceof Operation.Describe) {
                return node instanceof SqlDescribeObject describe ? describe(describe.name(), describe.kind().orElse(null))
                        : describe(((SqlDescribeTable) node).getTable(), null);
            }
            if (operation instanceof Operation.SessionChange) {
                if (node instanceof SqlSetProperty set) {
                    return set(session, set);
                }
                SqlResetProperty reset = (SqlResetProperty) node;
                session.reset(reset.key().orElse(null));
                return new StatementResult.UpdateCount(0, reset.key().map(k -> "Reset '" + k + "'").orElse("Reset all properties"));
            }
            if (operation instanceof Operation.CreateObject) {
                return create((SqlCreateTableLike) node, plan.sql());
            }
            if (operation instanceof Operation.CreateView view) {
                return node instanceof SqlCreateMaterializedView create
                        ? createMaterializedView(user, create, view, plan.sql(), allowedLateness(session), session)
                        : createView(user, (SqlCreateWeirView) node, view, plan.sql());
            }
            if (operation instanceof Operation.CreateFunction) {
                return functionStatements.create((SqlCreateFunction) node, plan.sql());
            }
            if (operation instanceof Operation.Drop) {
                SqlDropObject drop = (SqlDropObject) node;
                return drop.kind() == io.weir.sql.parser.ddl.ObjectKind.FUNCTION ? functionStatements.drop(drop) : drop(drop);
            }
            if (operation instanceof Operation.StopQuery) {
                return stop(user, (SqlStopQuery) node);
            }
            if (operation instanceof Operation.AnalyzeQuery) {
                return analyze(user, (SqlExplainAnalyzeQuery) node);
            }
            if (operation instanceof Operation.UserManagement) {
                StatementResult result = users.execute(user, node);
                stopQueriesBeyondTheirOwnersRights();
                return result;
            }
            if (operation instanceof Operation.GrantChange) {
                StatementResult result = grants.execute(user, (SqlGrant) node);
                stopQueriesBeyondTheirOwnersRights();
                return result;
            }
            throw new IllegalStateException("no execution for " + operation.getClass().getSimpleName());
        } catch (WeirException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e);
        }
    }

    /** A plain or continuous query, or EXPLAIN of one. */
    private StatementResult query(SessionProperties session, SessionUser user, PreparedPlan plan, Operation.Query query) {
        SqlNode node = query.statement();
        if (query.continuous()) {
            ContinuousPlan continuous = continuousQueries.plan(plan.sql(), earlyInterval(session), allowedLateness(session));
            // planned again as it starts: what it reads now is what must be allowed
            authorizer.check(user, Operation.selectOf(continuous.references()));
            if (!query.explain()) {
                checkLateRowSink(session, user);
            }
            if (query.explain()) {
                return StatementResult.Rows.of(EXPLAIN_COLUMNS, continuous.explain().stream().map(line -> new Object[] {line}).toList());
            }
            if (continuous.empty()) {
                return StatementResult.Rows.of(continuous.columns(), List.of());
            }
            LOG.debug("Planned continuous query {}:\n{}", plan.sql(), String.join("\n", continuous.explain()));
            return new StatementResult.Continuous(continuous.columns(), continuous.physicalPlan(), continuous.limit(),
                    plan.sql(), references(continuous.references()), StatementResult.ownerOf(user));
        }
        if (query.explain()) {
            SqlNode explained = ((SqlExplain) node).getExplicandum();
            authorizer.check(user, Operation.selectOf(queries.validate(
                    explained.toSqlString(CalciteSqlDialect.DEFAULT).getSql(), explained).references()));
            return StatementResult.Rows.of(EXPLAIN_COLUMNS, queries.explain(plan.sql()).stream().map(line -> new Object[] {line}).toList());
        }
        // the validation is kept while the catalog does not change: this is what the query runs over
        authorizer.check(user, Operation.selectOf(queries.validate(plan.sql(), node).references()));
        return queries.execute(plan.sql(), node, TimeZone.getTimeZone(session.get(SessionOptions.TIME_ZONE)),
                Map.of(SystemSchema.Viewer.VARIABLE, new SystemSchema.Viewer(object -> authorizer.maySelect(user, object),
                        owner -> authorizer.seesQuery(user, owner)),
                        // CURRENT_USER, SESSION_USER and SYSTEM_USER: the session's user
                        org.apache.calcite.DataContext.Variable.USER.camelName, user.name(),
                        org.apache.calcite.DataContext.Variable.SYSTEM_USER.camelName, user.name()), plan.parameterValues());
    }

    /**
     * After a REVOKE, ALTER USER ... NOADMIN or DROP USER: stops each running query whose owner no longer holds
     * what it reads (SELECT) or, for a persistent query, writes (INSERT), so that taking a right takes effect at
     * once, not at the query's next start. Its client's next fetch fails with the reason.
     */
    private void stopQueriesBeyondTheirOwnersRights() {
        java.util.Map<String, CatalogObject> byId = new java.util.HashMap<>();
        for (CatalogObject object : catalog.list()) {
            byId.put(object.id(), object);
        }
        for (RunningQueries.QueryInfo query : runningQueries.list()) {
            if (query.owner().isEmpty() || query.id().startsWith(VIEW_QUERY_PREFIX)) {
                continue; // a materialized view's query keeps the view: DROP it to stop that
            }
            SessionUser owner = SessionUser.of(query.owner().get());
            for (String id : query.dependencies()) {
                CatalogObject object = byId.get(id);
                if (object == null || mayUse(owner, object, query.kind() == RunningQueries.QueryKind.PERSISTENT)) {
                    continue;
                }
                String reason = "its owner '" + owner.name() + "' may no longer read " + object.type().displayName() + " '"
                        + object.name() + "' (a privilege was revoked, or the user dropped or no longer an admin)";
                LOG.info("Stopping query {}: {}", query.id(), reason);
                try {
                    runningQueries.stop(query.id(), reason);
                } catch (WeirException e) {
                    LOG.warn("Query {} did not stop in time after its owner lost a privilege: {}", query.id(), e.getMessage());
                }
                break;
            }
        }
    }

    /** Whether {@code owner} may read {@code object}, or for a persistent query write into it (its sink). */
    private boolean mayUse(SessionUser owner, CatalogObject object, boolean persistent) {
        if (authorizer.maySelect(owner, object)) {
            return true;
        }
        if (!persistent) {
            return false;
        }
        try {
            authorizer.check(owner, List.of(new io.weir.sql.auth.Requirement.OnObject(io.weir.sql.auth.Privilege.INSERT, object)));
            return true;
        } catch (WeirException e) {
            return false;
        }
    }

    /** EXPLAIN ANALYZE QUERY of a running query the user sees (its own; an admin any). */
    private StatementResult analyze(SessionUser user, SqlExplainAnalyzeQuery analyze) {
        RunningQueries.QueryInfo query = runningQueries.list().stream()
                .filter(q -> q.id().equals(analyze.queryId()) && authorizer.seesQuery(user, q.owner()))
                .findFirst().orElseThrow(() -> new WeirException(ErrorCode.UNKNOWN_OBJECT, SqlErrors.position(analyze.queryIdPosition()),
                        "There is no running query '" + analyze.queryId() + "'. SHOW QUERIES lists the running ones"));
        return StatementResult.Rows.of(EXPLAIN_COLUMNS, QueryAnalysis.lines(query).stream().map(line -> new Object[] {line}).toList());
    }

    /** STOP QUERY of a query the user sees (its own; an admin any): one it does not see is not there for it. */
    private StatementResult stop(SessionUser user, SqlStopQuery stop) {
        if (stop.queryId().startsWith(VIEW_QUERY_PREFIX) && catalog.get(stop.queryId().substring(VIEW_QUERY_PREFIX.length()))
                .filter(o -> o.type() == ObjectType.MATERIALIZED_VIEW).isPresent()) {
            throw new WeirException(ErrorCode.NOT_SUPPORTED, SqlErrors.position(stop.queryIdPosition()),
                    "Query '" + stop.queryId() + "' keeps materialized view '" + stop.queryId().substring(VIEW_QUERY_PREFIX.length())
                            + "' up to date; DROP MATERIALIZED VIEW " + stop.queryId().substring(VIEW_QUERY_PREFIX.length())
                            + " stops it");
        }
        WeirException unknown = new WeirException(ErrorCode.UNKNOWN_OBJECT, SqlErrors.position(stop.queryIdPosition()),
                "There is no running query '" + stop.queryId() + "'. SHOW QUERIES lists the running ones");
        boolean visible = runningQueries.list().stream()
                .anyMatch(query -> query.id().equals(stop.queryId()) && authorizer.seesQuery(user, query.owner()));
        if (!visible) {
            throw unknown;
        }
        RunningQueries.QueryInfo stopped = runningQueries.stop(stop.queryId()).orElseThrow(() -> unknown);
        return StatementResult.Rows.of(STOP_COLUMNS, List.<Object[]>of(new Object[] {stopped.id(), stopped.kind().name(),
                stopped.state().name(), stopped.statistics().rowsIn(), stopped.statistics().rowsOut(), stopMessage(stopped)}));
    }

    /** What STOP QUERY says it stopped. */
    private static String stopMessage(RunningQueries.QueryInfo stopped) {
        if (stopped.kind() == RunningQueries.QueryKind.PERSISTENT) {
            return "Stopped persistent query '" + stopped.id() + "': its sink writer and source readers are closed, and it"
                    + " does not run again after a restart";
        }
        return "Stopped query '" + stopped.id() + "': its source readers are closed, and its client's next fetch fails"
                + " with SQLSTATE 57014";
    }

    /** The id of the query that keeps a materialized view up to date. */
    public static String viewQueryId(String viewName) {
        return VIEW_QUERY_PREFIX + viewName.toLowerCase(Locale.ROOT);
    }

    private StatementResult createMaterializedView(SessionUser user, SqlCreateMaterializedView create,
                                                   Operation.CreateView planned, String sql, Duration lateness,
                                                   SessionProperties session) {
        String name = DdlExecutor.objectName(create.name());
        checkLateRowSink(session, user);
        Optional<CatalogObject> existing = catalog.get(name);
        if (existing.isPresent()) {
            if (create.ifNotExists()) {
                return new StatementResult.UpdateCount(0, "'" + name + "' already exists; left unchanged");
            }
            if (!create.replace() || existing.get().type() != ObjectType.MATERIALIZED_VIEW) {
                throw new WeirException(ErrorCode.OBJECT_ALREADY_EXISTS, SqlErrors.position(create.name().getParserPosition()),
                        existing.get().type().capitalizedName() + " '" + existing.get().name()
                                + "' already exists" + (existing.get().type() == ObjectType.MATERIALIZED_VIEW
                                ? "; use CREATE OR REPLACE MATERIALIZED VIEW or DROP MATERIALIZED VIEW first" : ""));
            }
            refuseIfDependants(existing.get(), create.name());
        }
        Map<String, String> options = viewOptions(create, lateness);
        // planned at prepare, unless the view existed then (and was dropped since): plan it now
        ContinuousPlan plan;
        if (planned.plan().isPresent()) {
            plan = planned.plan().get();
        } else {
            plan = continuousQueries.planMaterializedView(sql, name, options);
            authorizer.check(user, Operation.selectOf(plan.references()));
        }
        List<ColumnDefinition> definitions = new ArrayList<>();
        for (ResultColumn column : plan.columns()) {
            definitions.add(ColumnDefinition.physical(column.name(), column.type(), null));
        }
        List<ObjectReference> dependencies = references(plan.references());
        CatalogObject view = new CatalogObject(name, ObjectType.MATERIALIZED_VIEW, definitions, null, List.of(), options,
                sql.strip(), Instant.now(), CatalogObject.newId(), dependencies);
        if (existing.isPresent()) {
            runningQueries.stop(viewQueryId(name), "materialized view '" + name + "' was replaced");
            views.drop(name);
        }
        LOG.debug("Planned materialized view {}:\n{}", name, String.join("\n", plan.explain()));
        return new StatementResult.Persistent(name, plan.physicalPlan(), sql.strip(), Optional.of(viewQueryId(name)),
                Optional.of(view), existing.isPresent(), dependencies, plan.warnings()).ownedBy(user);
    }

    /** The references to {@code objects}, for recording what depends on them. */
    private static List<ObjectReference> references(List<CatalogObject> objects) {
        return objects.stream().map(ObjectReference::to).toList();
    }

    /**
     * Plans a stored persistent query again, for its start when the server starts (or its restart after
     * a failure): it must find the objects it was started with, by identity.
     *
     * @throws WeirException {@link ErrorCode#DEPENDENCY_DROPPED} when an object it read or wrote was
     *         dropped (an object created since under the same name is another one: the query does not
     *         attach to it); this does not change by trying again
     */
    public StatementResult.Persistent planPersistent(PersistentQueryDefinition definition) {
        boolean viewQuery = definition.id().startsWith(VIEW_QUERY_PREFIX);
        String what = viewQuery ? "The query of materialized view '" + definition.id().substring(VIEW_QUERY_PREFIX.length()) + "'"
                : "Persistent query '" + definition.id() + "'";
        String remedy = viewQuery ? "Drop the view with DROP MATERIALIZED VIEW and create it again"
                : "STOP QUERY '" + definition.id() + "' removes it; run its INSERT INTO again to start it over the objects"
                + " registered now";
        if (definition.dependencies() != null) {
            catalog.checkCurrent(definition.dependencies(), what, remedy);
        }
        StatementResult.Persistent planned = planPersistent(definition.sql(), allowedLateness(definition));
        if (definition.dependencies() == null) {
            // stored by an older Weir, which kept no identities: an object registered after the query is not
            // the one it was started with
            for (ObjectReference reference : planned.dependencies()) {
                CatalogObject found = catalog.resolve(reference).orElseThrow(() -> catalog.dropped(what, reference, remedy));
                if (found.createdAt().isAfter(definition.created())) {
                    throw catalog.dropped(what, ObjectReference.gone(found.name(), found.type()), remedy);
                }
            }
            return planned;
        }
        for (ObjectReference reference : planned.dependencies()) {
            if (definition.dependencies().stream().noneMatch(recorded -> reference.id().equals(recorded.id()))) {
                throw new WeirException(ErrorCode.DEPENDENCY_DROPPED, what + " now finds " + reference.describe()
                        + ", another object than it was started with. " + remedy);
            }
        }
        return planned;
    }

    /**
     * Plans {@code INSERT INTO sink SELECT STREAM ...} or {@code CREATE MATERIALIZED VIEW} into a
     * persistent query to start; used for a client's statement and again for each persistent query when
     * the server restarts (a view's query then keeps its id and the view stays registered).
     */
    public StatementResult.Persistent planPersistent(String sql) {
        return planPersistent(sql, Duration.ZERO);
    }

    /**
     * {@link #planPersistent(String)} of an INSERT INTO whose outermost window aggregation keeps fired windows for
     * {@code lateness} (a view's lateness is among its options).
     */
    public StatementResult.Persistent planPersistent(String sql, Duration lateness) {
        SqlNode node = SqlEmit.unwrap(WeirSqlParser.parseStatement(sql));
        if (node instanceof SqlCreateMaterializedView create) {
            String name = DdlExecutor.objectName(create.name());
            CatalogObject view = catalog.get(name).filter(o -> o.type() == ObjectType.MATERIALIZED_VIEW)
                    .orElseThrow(() -> new WeirException(ErrorCode.DEPENDENCY_DROPPED, "Materialized view '" + name
                            + "' is no longer registered; its query does not run"));
            ContinuousPlan planned = continuousQueries.planMaterializedView(sql, view.name(), view.options());
            return new StatementResult.Persistent(view.name(), planned.physicalPlan(), sql, Optional.of(viewQueryId(view.name())),
                    Optional.empty(), false, references(planned.references()));
        }
        if (!(node instanceof SqlInsert insert)) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, "Not an INSERT INTO statement: " + sql);
        }
        ContinuousPlan planned = planInsert(sql, node, lateness).plan();
        LOG.debug("Planned persistent query {}:\n{}", sql, String.join("\n", planned.explain()));
        return new StatementResult.Persistent(DdlExecutor.objectName(insert.getTargetTable() instanceof SqlIdentifier id
                ? id : (SqlIdentifier) insert.getTargetTable()), planned.physicalPlan(), sql, references(planned.references()),
                planned.warnings());
    }

    /** An INSERT INTO planned: the plan (whose references include the sink), the sink, and what the query reads. */
    private record InsertPlan(ContinuousPlan plan, CatalogObject sink, List<CatalogObject> reads) {
    }

    private InsertPlan planInsert(String sql, SqlNode node, Duration lateness) {
        SqlInsert insert = (SqlInsert) (node instanceof SqlExplain explain ? explain.getExplicandum() : node);
        if (!(insert.getTargetTable() instanceof SqlIdentifier target)) {
            throw new WeirException(ErrorCode.NOT_SUPPORTED, SqlErrors.position(insert.getTargetTable().getParserPosition()),
                    "INSERT INTO takes the name of a stream declared with a sink connector (kafka, file, webhook)");
        }
        String name = DdlExecutor.objectName(target);
        CatalogObject sink = catalog.get(name).orElseThrow(() -> new WeirException(ErrorCode.UNKNOWN_OBJECT,
                SqlErrors.position(target.getParserPosition()), "Stream '" + name + "' does not exist. Declare the sink first:"
                + " CREATE STREAM " + name + " (...) WITH ('connector' = 'kafka' | 'file' | 'webhook', ...)"));
        if (sink.type() != ObjectType.STREAM && sink.type() != ObjectType.TABLE) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, SqlErrors.position(target.getParserPosition()),
                    "'" + sink.name() + "' is a " + sink.type().displayName().toLowerCase(Locale.ROOT)
                            + "; INSERT INTO writes to a stream or table declared with a sink connector (kafka, file,"
                            + " webhook, jdbc)");
        }
        ConnectorFactory connector = ConnectorResolver.resolve(sink.options()).connector();
        if (!connector.capabilities().contains(Capability.SINK)) {
            throw new WeirException(ErrorCode.NOT_SUPPORTED, SqlErrors.position(target.getParserPosition()),
                    sink.type().capitalizedName() + " '" + sink.name() + "' uses connector '" + connector.name() + "', which cannot be written to;"
                            + " INSERT INTO a stream or table whose connector is a sink: "
                            + Connectors.all().stream().filter(c -> c.capabilities().contains(Capability.SINK))
                            .map(ConnectorFactory::name).sorted().collect(Collectors.joining(", ")));
        }
        ContinuousPlan planned = continuousQueries.planInsert(sql, new ContinuousQueryPlanner.SinkTarget(sink.name(),
                sink.options(), sink.physicalSchema(), sink.primaryKey()), lateness);
        List<CatalogObject> references = new ArrayList<>(planned.references());
        if (references.stream().noneMatch(o -> o.id().equals(sink.id()))) {
            references.add(sink);
        }
        return new InsertPlan(new ContinuousPlan(planned.sql(), planned.columns(), planned.logicalPlan(), planned.physicalPlan(),
                planned.limit(), planned.empty(), references, planned.warnings()), sink, planned.references());
    }

    private StatementResult create(SqlCreateTableLike create, String sql) {
        String name = DdlExecutor.objectName(create.name());
        if (create.ifNotExists() && catalog.get(name).isPresent()) {
            return new StatementResult.UpdateCount(0, "'" + name + "' already exists; left unchanged");
        }
        CatalogObject object = ddl.toCatalogObject(create, sql.strip());
        boolean created = catalog.exclusive(() -> {
            if (create.replace()) {
                catalog.get(name).filter(existing -> existing.type() == object.type())
                        .ifPresent(existing -> refuseIfDependants(existing, create.name()));
            }
            return catalog.create(object, create.replace(), create.ifNotExists());
        });
        LOG.info("{} {} '{}' (connector '{}')", created ? "Registered" : "Kept existing", object.type().displayName(),
                object.name(), object.connector());
        return new StatementResult.UpdateCount(0, (object.type() == ObjectType.STREAM ? "Stream '" : "Table '") + object.name()
                + (created ? "' created" : "' already exists"));
    }

    /** Records a view: its query was validated at prepare, its columns are kept, and it is expanded wherever it is used. */
    private StatementResult createView(SessionUser user, SqlCreateWeirView create, Operation.CreateView planned, String sql) {
        String name = DdlExecutor.objectName(create.name());
        if (create.ifNotExists() && catalog.get(name).isPresent()) {
            return new StatementResult.UpdateCount(0, "'" + name + "' already exists; left unchanged");
        }
        // planned at prepare, unless the view existed then (and was dropped since): plan it now
        Operation.CreateView current = planned;
        if (planned.columns().isEmpty()) { // a query has columns: this one was not planned
            current = planView(create, false);
            authorizer.check(user, current.requires());
        }
        List<ResultColumn> columns = current.columns();
        List<CatalogObject> reads = current.reads();
        List<org.apache.calcite.sql.SqlIdentifier> names = create.columnNames();
        if (!names.isEmpty() && names.size() != columns.size()) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, SqlErrors.position(create.name().getParserPosition()),
                    "View '" + name + "' names " + names.size() + " columns but its query has " + columns.size());
        }
        List<ColumnDefinition> definitions = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String column = names.isEmpty() ? columns.get(i).name() : DdlExecutor.objectName(names.get(i));
            definitions.add(ColumnDefinition.physical(column, columns.get(i).type(), null));
        }
        CatalogObject view = new CatalogObject(name, ObjectType.VIEW, definitions, null, List.of(), Map.of(), sql.strip(),
                Instant.now(), CatalogObject.newId(), references(reads));
        boolean created = catalog.exclusive(() -> {
            if (create.replace()) {
                catalog.get(name).filter(existing -> existing.type() == ObjectType.VIEW)
                        .ifPresent(existing -> refuseIfDependants(existing, create.name()));
            }
            return catalog.create(view, create.replace(), create.ifNotExists());
        });
        LOG.info("{} view '{}'", created ? "Registered" : "Kept existing", name);
        return new StatementResult.UpdateCount(0, "View '" + name + (created ? "' created" : "' already exists"));
    }

    /** Refuses to replace {@code existing} while views or queries depend on it. */
    private void refuseIfDependants(CatalogObject existing, SqlIdentifier name) {
        Dependants dependants = Dependants.of(existing, catalog, runningQueries);
        if (!dependants.isEmpty()) {
            WeirException refusal = dependants.refusal("replace");
            throw new WeirException(refusal.errorCode(), SqlErrors.position(name.getParserPosition()), refusal.rawMessage());
        }
    }

    /**
     * {@code DROP ... [CASCADE | RESTRICT]}: without CASCADE, an object that views or queries depend on is
     * not dropped (SQLSTATE 2BP01, naming them); with it, the queries are stopped and the views dropped
     * first, and the answer lists them. Runs with the catalog held, so nothing starts to depend on the
     * object meanwhile.
     */
    private StatementResult drop(SqlDropObject drop) {
        String name = DdlExecutor.objectName(drop.name());
        ObjectType type = switch (drop.kind()) {
            case STREAM -> ObjectType.STREAM;
            case TABLE -> ObjectType.TABLE;
            case VIEW -> ObjectType.VIEW;
            case MATERIALIZED_VIEW -> ObjectType.MATERIALIZED_VIEW;
            default -> throw new WeirException(ErrorCode.NOT_SUPPORTED, SqlErrors.position(drop.getParserPosition()),
                    "DROP " + drop.kind().sql() + " is not available in this version of Weir");
        };
        try {
            return catalog.exclusive(() -> {
                Optional<CatalogObject> existing = catalog.get(name).filter(object -> object.type() == type);
                if (existing.isEmpty()) {
                    // absent or of another type: the catalog says which
                    boolean dropped = catalog.drop(name, type, drop.ifExists());
                    if (dropped) {
                        throw new IllegalStateException("dropped '" + name + "' of an unexpected type");
                    }
                    return drop.cascade() ? StatementResult.Rows.of(DROP_COLUMNS, List.of())
                            : new StatementResult.UpdateCount(0, "'" + name + "' does not exist");
                }
                Dependants dependants = Dependants.of(existing.get(), catalog, runningQueries);
                if (!drop.cascade() && !dependants.isEmpty()) {
                    throw dependants.refusal("drop");
                }
                List<Object[]> rows = new ArrayList<>();
                String reason = type.displayName() + " '" + existing.get().name() + "' was dropped (DROP "
                        + type.sqlName() + (drop.cascade() ? " ... CASCADE)" : ")");
                for (RunningQueries.QueryInfo query : dependants.queries()) {
                    if (stopForDrop(query.id(), reason)) {
                        rows.add(new Object[] {"stopped", Dependants.kind(query), query.id(), query.sql()});
                    }
                }
                for (CatalogObject dependant : dependants.objects()) {
                    dropObject(dependant, reason);
                    rows.add(new Object[] {"dropped", dependant.type().displayName(), dependant.name(), null});
                }
                dropObject(existing.get(), reason);
                rows.add(new Object[] {"dropped", type.displayName(), existing.get().name(), null});
                if (dependants.isEmpty()) {
                    LOG.info("Dropped {} '{}'", type.displayName(), existing.get().name());
                } else {
                    LOG.info("Dropped {} '{}' with what depended on it: {}", type.displayName(), existing.get().name(),
                            rows.subList(0, rows.size() - 1).stream().map(row -> row[0] + " " + row[1] + " '" + row[2] + "'")
                                    .collect(Collectors.joining(", ")));
                }
                return drop.cascade() ? StatementResult.Rows.of(DROP_COLUMNS, rows)
                        : new StatementResult.UpdateCount(0, "Dropped '" + existing.get().name() + "'");
            });
        } catch (WeirException e) {
            throw new WeirException(e.errorCode(), SqlErrors.position(drop.name().getParserPosition()), e.rawMessage(), e);
        }
    }

    /** Drops one object; a materialized view's query is stopped (and forgotten) first, then its rows. */
    private void dropObject(CatalogObject object, String reason) {
        if (object.type() == ObjectType.MATERIALIZED_VIEW) {
            stopForDrop(viewQueryId(object.name()), reason);
        }
        catalog.drop(object.name(), object.type(), false);
        if (object.type() == ObjectType.MATERIALIZED_VIEW) {
            views.drop(object.name());
        }
    }

    /**
     * Stops a query whose object is dropped; false when it was not running. A query whose thread is still
     * busy after the stop time-out was stopped for good all the same (it is no longer listed and frees what
     * it holds when the call it is blocked in returns), so the drop goes on rather than stopping halfway.
     */
    private boolean stopForDrop(String queryId, String reason) {
        try {
            return runningQueries.stop(queryId, reason).isPresent();
        } catch (WeirException e) {
            if (e.errorCode() != ErrorCode.QUERY_STOP_TIMEOUT) {
                throw e;
            }
            LOG.warn("{}; dropping what it depended on all the same", e.getMessage());
            return true;
        }
    }

    /** SHOW ..., SHOW GRANTS, DESCRIBE CONNECTOR and SET alone: each user sees what it may. */
    private StatementResult show(SessionProperties session, SessionUser user, SqlNode node) {
        if (node instanceof SqlShowGrants show) {
            return grants.show(user, show);
        }
        if (node instanceof SqlDescribeConnector describe) {
            return connectors.describe(describe.connector());
        }
        if (node instanceof SqlSetProperty set) {
            return set(session, set);
        }
        SqlShowObjects show = (SqlShowObjects) node;
        String like = show.likePattern().orElse(null);
        java.util.function.Predicate<CatalogObject> visible = object -> authorizer.maySelect(user, object);
        return switch (show.kind()) {
            case STREAMS -> listing.show(ObjectType.STREAM, like, visible);
            case TABLES -> listing.show(ObjectType.TABLE, like, visible);
            case VIEWS -> listing.show(ObjectType.VIEW, like, visible);
            case MATERIALIZED_VIEWS -> listing.show(ObjectType.MATERIALIZED_VIEW, like, visible);
            case CONNECTORS -> connectors.showConnectors(like);
            case FORMATS -> connectors.showFormats(like);
            case QUERIES -> showQueries(user);
            case USERS -> users.showUsers(like);
            case TOKENS -> users.showTokens(user, like);
            case FUNCTIONS -> functionStatements.show(like);
            default -> StatementResult.Rows.of(List.of(new ResultColumn("name", TEXT)), List.of());
        };
    }

    /** The running queries the user sees: its own, or all for an admin. */
    private StatementResult showQueries(SessionUser user) {
        DataType count = DataType.of(io.weir.spi.type.TypeKind.BIGINT).withNullable(false);
        List<Object[]> rows = new ArrayList<>();
        for (RunningQueries.QueryInfo query : runningQueries.list()) {
            if (!authorizer.seesQuery(user, query.owner())) {
                continue;
            }
            CheckpointStatistics checkpoints = query.checkpoints();
            Optional<CheckpointRecord> last = checkpoints.last();
            rows.add(new Object[] {query.id(), query.kind().name(), query.sql(), query.state().name(),
                    query.started().toEpochMilli(), query.statistics().rowsIn(), query.statistics().rowsOut(),
                    query.statistics().lateRows(), query.statistics().lag() < 0 ? null : query.statistics().lag(),
                    query.error().orElse(null), last.map(CheckpointRecord::id).orElse(null),
                    last.map(record -> record.completedAt().toEpochMilli()).orElse(null),
                    last.map(CheckpointRecord::stateBytes).orElse(null),
                    checkpoints.problem().orElse(null), (long) query.retries().failedAttempts(),
                    query.retries().nextAttempt().map(java.time.Instant::toEpochMilli).orElse(null),
                    (long) query.statistics().parallelism(), query.owner().orElse(null),
                    query.statistics().resultLatency().known() ? query.statistics().resultLatency().p50Millis() : null,
                    query.statistics().resultLatency().known() ? query.statistics().resultLatency().p99Millis() : null,
                    query.statistics().endToEndLatency().known() ? query.statistics().endToEndLatency().p50Millis() : null,
                    query.statistics().endToEndLatency().known() ? query.statistics().endToEndLatency().p99Millis() : null});
        }
        return StatementResult.Rows.of(List.of(new ResultColumn("query_id", TEXT), new ResultColumn("kind", TEXT),
                new ResultColumn("query_text", TEXT), new ResultColumn("state", TEXT),
                new ResultColumn("started", DataType.timestamp(3).withNullable(false)),
                new ResultColumn("rows_in", count), new ResultColumn("rows_out", count),
                new ResultColumn("late_rows", count), new ResultColumn("source_lag", count.withNullable(true)),
                new ResultColumn("error", TEXT), new ResultColumn("last_checkpoint", count.withNullable(true)),
                new ResultColumn("last_checkpoint_at", DataType.timestamp(3)),
                new ResultColumn("state_bytes", count.withNullable(true)), new ResultColumn("checkpoint_problem", TEXT),
                new ResultColumn("attempts", count), new ResultColumn("next_attempt", DataType.timestamp(3)),
                new ResultColumn("parallelism", count), new ResultColumn("owner", TEXT),
                new ResultColumn("result_latency_p50_ms", DataType.of(io.weir.spi.type.TypeKind.DOUBLE)),
                new ResultColumn("result_latency_p99_ms", DataType.of(io.weir.spi.type.TypeKind.DOUBLE)),
                new ResultColumn("end_to_end_latency_p50_ms", DataType.of(io.weir.spi.type.TypeKind.DOUBLE)),
                new ResultColumn("end_to_end_latency_p99_ms", DataType.of(io.weir.spi.type.TypeKind.DOUBLE))), rows);
    }

    private StatementResult describe(org.apache.calcite.sql.SqlIdentifier identifier, ObjectKind kind) {
        String name = DdlExecutor.objectName(identifier);
        CatalogObject object = catalog.get(name).orElseThrow(() -> new WeirException(ErrorCode.UNKNOWN_OBJECT,
                SqlErrors.position(identifier.getParserPosition()),
                "Stream or table '" + name + "' does not exist. SHOW STREAMS and SHOW TABLES list what is registered"));
        if (kind != null && !kind.name().equals(object.type().name())) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, SqlErrors.position(identifier.getParserPosition()),
                    "'" + object.name() + "' is a " + object.type().displayName() + ": use DESCRIBE " + object.type().sqlName() + " " + object.name());
        }
        StatementResult.Rows rows = listing.describe(object);
        List<Object[]> all = new ArrayList<>();
        rows.rows().forEachRemaining(all::add);
        var counts = statistics.snapshot().get(object.name());
        if (counts != null) {
            all.add(new Object[] {"statistic", "records_read", "BIGINT", null, Long.toString(counts.read())});
            all.add(new Object[] {"statistic", "records_skipped", "BIGINT", null, Long.toString(counts.skipped())});
            all.add(new Object[] {"statistic", "records_dead_lettered", "BIGINT", null, Long.toString(counts.deadLettered())});
            all.add(new Object[] {"statistic", "bytes_read", "BIGINT", null, Long.toString(counts.bytes())});
        }
        return StatementResult.Rows.of(rows.columns(), all);
    }

    private StatementResult set(SessionProperties session, SqlSetProperty set) {
        if (set.key().isEmpty()) {
            List<Object[]> rows = new ArrayList<>();
            for (Map.Entry<String, String> entry : session.effective()) {
                rows.add(new Object[] {entry.getKey(), entry.getValue()});
            }
            return StatementResult.Rows.of(List.of(new ResultColumn("key", TEXT), new ResultColumn("value", TEXT)), rows);
        }
        try {
            session.set(set.key().get(), set.value().orElse(""));
        } catch (WeirException e) {
            throw new WeirException(e.errorCode(), SqlErrors.position(set.keyPosition()), e.rawMessage(), e);
        }
        return new StatementResult.UpdateCount(0, "Set '" + set.key().get() + "' = '" + set.value().orElse("") + "'");
    }

    /**
     * Closes the connector services (their write-ahead logs and feeds) and forgets the views' rows;
     * after the server's queries stopped. Bounded query readers are closed with their results.
     */
    @Override
    public void close() {
        try {
            connectorServices.close();
        } finally {
            try {
                views.close();
            } finally {
                functions.close();
            }
        }
    }
}

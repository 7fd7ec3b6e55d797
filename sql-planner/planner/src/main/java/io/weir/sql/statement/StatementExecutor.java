package io.weir.sql.statement;

import io.weir.engine.checkpoint.CheckpointRecord;
import io.weir.engine.checkpoint.CheckpointStatistics;
import io.weir.engine.deadletter.DeadLetterStore;
import io.weir.engine.exec.RunningQueries;
import io.weir.engine.source.SourceStatistics;
import io.weir.engine.view.MaterializedViews;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.Capability;
import io.weir.spi.connector.ConnectorFactory;
import io.weir.spi.connector.ConnectorResolver;
import io.weir.spi.connector.ConnectorServices;
import io.weir.spi.connector.Connectors;
import io.weir.spi.type.DataType;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ColumnDefinition;
import io.weir.sql.catalog.ObjectReference;
import io.weir.sql.catalog.ObjectType;
import io.weir.sql.catalog.PersistentQueryDefinition;
import io.weir.sql.auth.SessionUser;
import io.weir.sql.ddl.DdlExecutor;
import io.weir.sql.parser.WeirSqlParser;
import io.weir.sql.parser.ddl.ObjectKind;
import io.weir.sql.parser.ddl.SqlCreateMaterializedView;
import io.weir.sql.parser.ddl.SqlCreateTableLike;
import io.weir.sql.parser.ddl.SqlCreateToken;
import io.weir.sql.parser.ddl.SqlCreateWeirView;
import io.weir.sql.parser.ddl.SqlDescribeConnector;
import io.weir.sql.parser.ddl.SqlDescribeObject;
import io.weir.sql.parser.ddl.SqlDropObject;
import io.weir.sql.parser.ddl.SqlOption;
import io.weir.sql.parser.ddl.SqlResetProperty;
import io.weir.sql.parser.ddl.SqlSetProperty;
import io.weir.sql.parser.ddl.SqlShowObjects;
import io.weir.sql.parser.ddl.SqlStopQuery;
import io.weir.sql.query.BoundedQueryPlanner;
import io.weir.sql.query.BoundedSourceScanner;
import io.weir.sql.schema.PlannerFrameworks;
import io.weir.sql.session.SessionOptions;
import io.weir.sql.session.SessionProperties;
import io.weir.sql.stream.ContinuousPlan;
import io.weir.sql.stream.ContinuousQueryPlanner;
import io.weir.sql.system.SystemSchema;
import io.weir.sql.postgres.InformationSchema;
import io.weir.sql.postgres.PgCatalogSchema;
import io.weir.sql.postgres.PgFunctions;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlDescribeTable;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.util.SqlShuttle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final RunningQueries runningQueries;
    private final MaterializedViews views = new MaterializedViews();
    private final ConnectorServices connectorServices = new ConnectorServices(views);

    public StatementExecutor(Catalog catalog, Path dataDir) {
        this(catalog, dataDir, RunningQueries.NONE);
    }

    /** @param runningQueries the server's continuous queries, for SHOW QUERIES and STOP QUERY */
    public StatementExecutor(Catalog catalog, Path dataDir, RunningQueries runningQueries) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.runningQueries = requireNonNull(runningQueries, "runningQueries is null");
        this.statistics = new SourceStatistics();
        this.deadLetters = new DeadLetterStore(dataDir.resolve("dead-letters"));
        BoundedSourceScanner scanner = new BoundedSourceScanner(dataDir, statistics, deadLetters, connectorServices, views);
        SchemaPlus relations = PlannerFrameworks.rootSchema(catalog, scanner, false, ContinuousQueryPlanner::viewQuery);
        relations.add(SystemSchema.NAME, new SystemSchema(catalog, statistics, deadLetters, runningQueries));
        // what PostgreSQL clients read to list and describe relations, and the functions they call
        PgFunctions.register(relations.add(PgCatalogSchema.NAME, new PgCatalogSchema(catalog)));
        relations.add(InformationSchema.NAME, new InformationSchema(catalog));
        PgFunctions.register(relations);
        SchemaPlus streams = PlannerFrameworks.rootSchema(catalog, scanner, true, ContinuousQueryPlanner::viewQuery);
        this.ddl = new DdlExecutor(catalog, relations, dataDir);
        this.listing = new CatalogListing(catalog);
        this.users = new UserStatements(catalog.users());
        this.queries = new BoundedQueryPlanner(relations, streams, scanner);
        // continuous queries read a materialized view as its change stream
        this.continuousQueries = new ContinuousQueryPlanner(
                PlannerFrameworks.rootSchema(catalog, scanner, false, ContinuousQueryPlanner::viewQuery, true));
        catalog.addListener(change -> {
            queries.forgetPlans(); // the plans kept of plain queries may read what changed
            if (change.kind() != Catalog.CatalogChange.Kind.CREATED) {
                statistics.remove(change.object().name());
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

    public SourceStatistics statistics() {
        return statistics;
    }

    public DeadLetterStore deadLetters() {
        return deadLetters;
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

    /** Parses and validates {@code sql}; a query's result columns are known afterwards. */
    public PreparedPlan prepare(SessionProperties session, String sql) {
        requireNonNull(sql, "sql is null");
        SqlNode node = WeirSqlParser.parseStatement(sql);
        StatementShape.check(node);
        StatementCancel.checkCurrent();
        int parameters = countParameters(node);
        if (node instanceof SqlInsert insert || node instanceof SqlExplain explain && explain.getExplicandum() instanceof SqlInsert) {
            if (parameters > 0) {
                throw new WeirException(ErrorCode.NOT_SUPPORTED, SqlErrors.position(node.getParserPosition()),
                        "Parameters (?) are not supported in INSERT INTO; write the values into the query");
            }
            planInsert(sql, node);
            return new PreparedPlan(sql, node, StatementKind.QUERY, node instanceof SqlExplain ? EXPLAIN_COLUMNS : INSERT_COLUMNS, 0);
        }
        if (node.getKind().belongsTo(SqlKind.QUERY) || node instanceof SqlExplain) {
            if (ContinuousQueryPlanner.isContinuous(node)) {
                if (parameters > 0) {
                    throw new WeirException(ErrorCode.NOT_SUPPORTED, SqlErrors.position(node.getParserPosition()),
                            "Parameters (?) are not supported in continuous queries; write the values into the query");
                }
                ContinuousPlan plan = continuousQueries.plan(sql);
                return new PreparedPlan(sql, node, StatementKind.QUERY,
                        node instanceof SqlExplain ? EXPLAIN_COLUMNS : plan.columns(), 0);
            }
            if (node instanceof SqlExplain) {
                queries.explain(sql);
                return new PreparedPlan(sql, node, StatementKind.QUERY, EXPLAIN_COLUMNS, parameters);
            }
            BoundedQueryPlanner.ValidatedQuery query = queries.validate(sql, node);
            return new PreparedPlan(sql, node, StatementKind.QUERY, query.columns(), parameters,
                    query.parameterTypes().size() == parameters ? query.parameterTypes() : List.of(), List.of());
        }
        if (node instanceof SqlShowObjects || node instanceof SqlDescribeObject || node instanceof SqlDescribeTable
                || node instanceof SqlDescribeConnector) {
            return new PreparedPlan(sql, node, StatementKind.QUERY, List.of(), 0);
        }
        if (node instanceof SqlSetProperty set && set.key().isEmpty()) {
            return new PreparedPlan(sql, node, StatementKind.QUERY, List.of(), 0);
        }
        if (node instanceof SqlSetProperty || node instanceof SqlResetProperty) {
            return new PreparedPlan(sql, node, StatementKind.SESSION, List.of(), 0);
        }
        if (node instanceof SqlDropObject drop && drop.cascade()) {
            // DDL that answers with rows: what it stopped and dropped
            return new PreparedPlan(sql, node, StatementKind.DDL, DROP_COLUMNS, 0);
        }
        if (node instanceof SqlStopQuery) {
            // DDL that answers with rows (the query it stopped), so that it may still be part of a batch
            return new PreparedPlan(sql, node, StatementKind.DDL, STOP_COLUMNS, 0);
        }
        if (node instanceof SqlCreateToken) {
            // answers with the token, shown this once: a query, so that a batch (which keeps only counts) refuses it
            return new PreparedPlan(sql, node, StatementKind.QUERY, UserStatements.TOKEN_COLUMNS, 0);
        }
        if (UserStatements.handles(node)) {
            return new PreparedPlan(sql, node, StatementKind.DDL, List.of(), 0);
        }
        if (node instanceof SqlCreateTableLike || node instanceof SqlDropObject || node instanceof SqlCreateWeirView
                || node instanceof SqlCreateMaterializedView) {
            return new PreparedPlan(sql, node, StatementKind.DDL, List.of(), 0);
        }
        throw new WeirException(ErrorCode.NOT_SUPPORTED, SqlErrors.position(node.getParserPosition()),
                "Statement " + node.getKind() + " is not supported. Weir runs CREATE/DROP STREAM, TABLE and VIEW, SHOW, DESCRIBE,"
                        + " SET, RESET, SELECT, INSERT INTO, STOP QUERY, CREATE/ALTER/DROP USER and CREATE/DROP TOKEN");
    }

    private static int countParameters(SqlNode node) {
        AtomicInteger count = new AtomicInteger();
        node.accept(new SqlShuttle() {
            @Override
            public SqlNode visit(SqlDynamicParam param) {
                count.incrementAndGet();
                return param;
            }
        });
        return count.get();
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

    /** Runs {@code plan} as {@code user} (what a user may do is checked against the catalog's users as it runs). */
    public StatementResult execute(SessionProperties session, SessionUser user, PreparedPlan plan) {
        requireNonNull(user, "user is null");
        SqlNode node = plan.statement();
        try {
            if (UserStatements.handles(node)) {
                return users.execute(user, node);
            }
            if (node instanceof SqlCreateTableLike create) {
                return create(create, plan.sql());
            }
            if (node instanceof SqlDropObject drop) {
                return drop(drop);
            }
            if (node instanceof SqlShowObjects show) {
                return show(user, show);
            }
            if (node instanceof SqlDescribeObject describe) {
                return describe(describe.name(), describe.kind().orElse(null));
            }
            if (node instanceof SqlDescribeTable describe) {
                return describe(describe.getTable(), null);
            }
            if (node instanceof SqlDescribeConnector describe) {
                return connectors.describe(describe.connector());
            }
            if (node instanceof SqlSetProperty set) {
                return set(session, set);
            }
            if (node instanceof SqlResetProperty reset) {
                session.reset(reset.key().orElse(null));
                return new StatementResult.UpdateCount(0, reset.key().map(k -> "Reset '" + k + "'").orElse("Reset all properties"));
            }
            if (node instanceof SqlStopQuery stop) {
                if (stop.queryId().startsWith(VIEW_QUERY_PREFIX) && catalog.get(stop.queryId().substring(VIEW_QUERY_PREFIX.length()))
                        .filter(o -> o.type() == ObjectType.MATERIALIZED_VIEW).isPresent()) {
                    throw new WeirException(ErrorCode.NOT_SUPPORTED, SqlErrors.position(stop.queryIdPosition()),
                            "Query '" + stop.queryId() + "' keeps materialized view '" + stop.queryId().substring(VIEW_QUERY_PREFIX.length())
                                    + "' up to date; DROP MATERIALIZED VIEW " + stop.queryId().substring(VIEW_QUERY_PREFIX.length())
                                    + " stops it");
                }
                RunningQueries.QueryInfo stopped = runningQueries.stop(stop.queryId()).orElseThrow(() -> new WeirException(
                        ErrorCode.UNKNOWN_OBJECT, SqlErrors.position(stop.queryIdPosition()),
                        "There is no running query '" + stop.queryId() + "'. SHOW QUERIES lists the running ones"));
                return StatementResult.Rows.of(STOP_COLUMNS, List.<Object[]>of(new Object[] {stopped.id(), stopped.kind().name(),
                        stopped.state().name(), stopped.statistics().rowsIn(), stopped.statistics().rowsOut(), stopMessage(stopped)}));
            }
            if (node instanceof SqlCreateWeirView view) {
                return createView(view, plan.sql());
            }
            if (node instanceof SqlCreateMaterializedView create) {
                return createMaterializedView(create, plan.sql());
            }
            if (node instanceof SqlExplain explain && explain.getExplicandum() instanceof SqlInsert) {
                return StatementResult.Rows.of(EXPLAIN_COLUMNS,
                        planInsert(plan.sql(), node).explain().stream().map(line -> new Object[] {line}).toList());
            }
            if (node instanceof SqlInsert) {
                return planPersistent(plan.sql());
            }
            if (node instanceof SqlExplain) {
                List<String> lines = ContinuousQueryPlanner.isContinuous(node)
                        ? continuousQueries.plan(plan.sql()).explain() : queries.explain(plan.sql());
                return StatementResult.Rows.of(EXPLAIN_COLUMNS, lines.stream().map(line -> new Object[] {line}).toList());
            }
            if (ContinuousQueryPlanner.isContinuous(node)) {
                ContinuousPlan continuous = continuousQueries.plan(plan.sql());
                if (continuous.empty()) {
                    return StatementResult.Rows.of(continuous.columns(), List.of());
                }
                LOG.debug("Planned continuous query {}:\n{}", plan.sql(), String.join("\n", continuous.explain()));
                return new StatementResult.Continuous(continuous.columns(), continuous.physicalPlan(), continuous.limit(),
                        plan.sql(), references(continuous.references()));
            }
            if (plan.parameterValues().size() != plan.parameterCount()) {
                throw new WeirException(ErrorCode.VALIDATION_ERROR, "The statement has " + plan.parameterCount()
                        + " parameters (?) but " + plan.parameterValues().size() + " values were bound; bind a value to each");
            }
            return queries.execute(plan.sql(), node, TimeZone.getTimeZone(session.get(SessionOptions.TIME_ZONE)),
                    plan.parameterTypes(), plan.parameterValues());
        } catch (WeirException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e);
        }
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

    private StatementResult createMaterializedView(SqlCreateMaterializedView create, String sql) {
        String name = DdlExecutor.objectName(create.name());
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
        Map<String, String> options = new LinkedHashMap<>();
        for (SqlOption option : create.options()) {
            options.put(option.key().toLowerCase(Locale.ROOT), option.value());
        }
        ContinuousPlan planned = continuousQueries.planMaterializedView(sql, name, options);
        List<ColumnDefinition> definitions = new ArrayList<>();
        for (ResultColumn column : planned.columns()) {
            definitions.add(ColumnDefinition.physical(column.name(), column.type(), null));
        }
        List<ObjectReference> dependencies = references(planned.references());
        CatalogObject view = new CatalogObject(name, ObjectType.MATERIALIZED_VIEW, definitions, null, List.of(), options,
                sql.strip(), Instant.now(), CatalogObject.newId(), dependencies);
        if (existing.isPresent()) {
            runningQueries.stop(viewQueryId(name), "materialized view '" + name + "' was replaced");
            views.drop(name);
        }
        LOG.debug("Planned materialized view {}:\n{}", name, String.join("\n", planned.explain()));
        return new StatementResult.Persistent(name, planned.physicalPlan(), sql.strip(), Optional.of(viewQueryId(name)),
                Optional.of(view), existing.isPresent(), dependencies, planned.warnings());
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
        StatementResult.Persistent planned = planPersistent(definition.sql());
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
        SqlNode node = WeirSqlParser.parseStatement(sql);
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
        ContinuousPlan planned = planInsert(sql, node);
        LOG.debug("Planned persistent query {}:\n{}", sql, String.join("\n", planned.explain()));
        return new StatementResult.Persistent(DdlExecutor.objectName(insert.getTargetTable() instanceof SqlIdentifier id
                ? id : (SqlIdentifier) insert.getTargetTable()), planned.physicalPlan(), sql, references(planned.references()),
                planned.warnings());
    }

    private ContinuousPlan planInsert(String sql, SqlNode node) {
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
                sink.options(), sink.physicalSchema(), sink.primaryKey()));
        List<CatalogObject> references = new ArrayList<>(planned.references());
        if (references.stream().noneMatch(o -> o.id().equals(sink.id()))) {
            references.add(sink);
        }
        return new ContinuousPlan(planned.sql(), planned.columns(), planned.logicalPlan(), planned.physicalPlan(),
                planned.limit(), planned.empty(), references, planned.warnings());
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

    /** Records a view: its query is validated now, its columns kept, and it is expanded wherever it is used. */
    private StatementResult createView(SqlCreateWeirView create, String sql) {
        String name = DdlExecutor.objectName(create.name());
        if (create.ifNotExists() && catalog.get(name).isPresent()) {
            return new StatementResult.UpdateCount(0, "'" + name + "' already exists; left unchanged");
        }
        SqlNode query = create.query();
        ContinuousQueryPlanner.checkViewQuery(query);
        String querySql = query.toSqlString(CalciteSqlDialect.DEFAULT).getSql();
        List<ResultColumn> columns;
        List<CatalogObject> reads;
        if (ContinuousQueryPlanner.isContinuous(query)) {
            ContinuousPlan planned = continuousQueries.plan(querySql);
            columns = planned.columns();
            reads = planned.references();
        } else {
            BoundedQueryPlanner.ValidatedQuery validated = queries.validate(querySql, query);
            columns = validated.columns();
            reads = validated.references();
        }
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

    private StatementResult show(SessionUser user, SqlShowObjects show) {
        String like = show.likePattern().orElse(null);
        return switch (show.kind()) {
            case STREAMS -> listing.show(ObjectType.STREAM, like);
            case TABLES -> listing.show(ObjectType.TABLE, like);
            case VIEWS -> listing.show(ObjectType.VIEW, like);
            case MATERIALIZED_VIEWS -> listing.show(ObjectType.MATERIALIZED_VIEW, like);
            case CONNECTORS -> connectors.showConnectors(like);
            case FORMATS -> connectors.showFormats(like);
            case QUERIES -> showQueries();
            case USERS -> users.showUsers(like);
            case TOKENS -> users.showTokens(user, like);
            default -> StatementResult.Rows.of(List.of(new ResultColumn("name", TEXT)), List.of());
        };
    }

    private StatementResult showQueries() {
        DataType count = DataType.of(io.weir.spi.type.TypeKind.BIGINT).withNullable(false);
        List<Object[]> rows = new ArrayList<>();
        for (RunningQueries.QueryInfo query : runningQueries.list()) {
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
                    (long) query.statistics().parallelism()});
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
                new ResultColumn("parallelism", count)), rows);
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
            views.close();
        }
    }
}

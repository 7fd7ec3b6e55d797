package io.weir.server.meta;

import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import java.time.InstantSource;
import io.weir.server.metrics.ServerMetrics;
import io.weir.spi.connector.FileRoots;
import io.weir.engine.exec.MicroBatchQueryEngine;
import io.weir.engine.operator.SourceOperator;
import io.weir.engine.state.StateMemoryBudget;
import io.weir.server.auth.AdminPassword;
import io.weir.server.auth.ConnectionOwners;
import io.weir.server.config.ServerConfig;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.sql.auth.SessionUser;
import io.weir.sql.session.SessionOptions;
import io.weir.sql.session.SessionProperties;
import io.weir.sql.statement.PreparedPlan;
import io.weir.sql.statement.StatementCancel;
import io.weir.sql.statement.StatementExecutor;
import io.weir.sql.statement.StatementKind;
import io.weir.sql.statement.StatementResult;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchConnectionException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.proto.Requests;
import org.apache.calcite.avatica.remote.ProtobufMeta;
import org.apache.calcite.avatica.remote.TypedValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Weir's side of the Avatica protocol: sessions and statements of JDBC clients, executed by the
 * planner, with JDBC metadata answered from the catalog.
 *
 * <p>Every method turns failures into errors the client sees as {@code SQLException}s with a
 * SQLSTATE; nothing that goes wrong in one statement affects other statements or sessions.
 *
 * <p>Each connection belongs to the user who opened it ({@link ConnectionOwners}), and its statements run as
 * that user; dropping a user closes its connections.
 */
public final class WeirMeta implements ProtobufMeta, ConnectionOwners, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WeirMeta.class);
    private static final int DEFAULT_FIRST_FRAME_ROWS = 100;
    private static final Duration MAX_FETCH_WAIT = Duration.ofSeconds(60);

    private final ServerContext context;
    private final StatementExecutor executor;
    private final JdbcMetadata metadata;
    private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();
    private final ServerMetrics metrics;
    private final Duration idleTimeout;
    private final ScheduledExecutorService sweeper;
    /** Runs statements within their time limit; shared with the PostgreSQL endpoint. */
    private final StatementRunner runner;

    /**
     * The server's Meta over the catalog in the configured data directory; the admin's password, when one is
     * configured, is set first.
     */
    public WeirMeta(ServerConfig config) {
        this(openContext(config), config.sessionIdleTimeout());
    }

    private static ServerContext openContext(ServerConfig config) {
        Optional<String> adminPassword = AdminPassword.of(config); // a missing file fails before anything is opened
        ServerContext context = ServerContext.open(config.dataDir(), Map.of(
                        SessionOptions.BATCH_INTERVAL.key(), config.batchInterval().toMillis() + " ms",
                        SessionOptions.CHECKPOINT_INTERVAL.key(), config.checkpointInterval().toMillis() + " ms",
                        SessionOptions.ALLOWED_LATENESS.key(), config.allowedLateness().toMillis() + " ms",
                        SessionOptions.FETCH_MAX_WAIT.key(), config.maxFetchWait().toMillis() + " ms",
                        SessionOptions.STATEMENT_TIMEOUT.key(), config.statementTimeout().toMillis() + " ms"),
                directory -> new MicroBatchQueryEngine(SourceOperator.DEFAULT_MAX_ROWS_PER_BATCH,
                        new StateMemoryBudget(config.stateMaxMemory()), config.effectiveParallelism(),
                        Runtime.getRuntime().availableProcessors()),
                Optional.of(FileRoots.of(config.effectiveFileRoots())), config.limits());
        try {
            adminPassword.ifPresent(password -> context.catalog().users().setAdminPassword(password));
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
        return context;
    }

    /**
     * @param idleTimeout a connection without any request for this long is closed; its client
     *        reconnects transparently (Avatica re-opens unknown connections) but loses session state
     */
    public WeirMeta(ServerContext context, Duration idleTimeout) {
        this.context = requireNonNull(context, "context is null");
        this.executor = context.executor();
        this.metadata = new JdbcMetadata(context.catalog(), context.executor().functions());
        this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout is null");
        this.sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "weir-session-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(1_000, Math.min(60_000, idleTimeout.toMillis() / 4));
        sweeper.scheduleAtFixedRate(this::closeIdleSessions, period, period, TimeUnit.MILLISECONDS);
        this.runner = new StatementRunner(context);
        context.catalog().users().addDropListener(this::closeSessionsOf);
        context.countConnectionsWith(user -> sessions.values().stream().filter(session -> session.user().equals(user)).count());
        this.metrics = new ServerMetrics(context.runningQueries(), executor.statistics(),
                context.connectorServices().sinkStatistics(), this::openConnections,
                this::executingStatements, InstantSource.system());
    }

    /** The server's meters (GET /metrics). */
    public ServerMetrics metrics() {
        return metrics;
    }

    /** Closes the connections of a dropped user, with their statements and queries. */
    private void closeSessionsOf(String userName) {
        for (ClientSession session : List.copyOf(sessions.values())) {
            if (!session.user().anonymous() && session.user().name().equalsIgnoreCase(userName)
                    && sessions.remove(session.id(), session)) {
                LOG.info("Closing connection {} of user '{}', who was dropped", session.id(), session.user().name());
                session.close("its user was dropped");
            }
        }
    }

    // ---- who may use which connection ----

    @Override
    public boolean isOpen(String connectionId) {
        return sessions.containsKey(connectionId);
    }

    @Override
    public Optional<SessionUser> openedWith(String connectionId, byte[] key) {
        ClientSession session = sessions.get(connectionId);
        return session != null && session.checkedWith(key) ? Optional.of(session.user()) : Optional.empty();
    }

    @Override
    public void admit(String connectionId, SessionUser user, byte[] key, boolean opening) {
        ClientSession session = sessions.get(connectionId);
        if (session != null && !session.user().equals(user)) {
            if (!user.anonymous() && session.claim(user, key)) {
                // opened before the server had users (e.g. by whoever then created the first user)
                LOG.info("Connection {}, opened before authentication was turned on, now belongs to {}", connectionId, user);
                return;
            }
            LOG.warn("Refused a request of {} on connection {}, which belongs to {}", user, connectionId, session.user());
            throw new WeirException(ErrorCode.INVALID_AUTHORIZATION, "Connection " + connectionId
                    + " belongs to another user; open a connection of your own");
        }
        if (session != null) {
            session.checkedWith(user, key);
            return;
        }
        if (opening) {
            context.checkConnectionLimit(user);
            ClientSession opened = new ClientSession(connectionId, context.newSessionProperties(), user, key);
            ClientSession raced = sessions.putIfAbsent(connectionId, opened);
            if (raced != null && !raced.user().equals(user)) {
                throw new WeirException(ErrorCode.INVALID_AUTHORIZATION, "Connection " + connectionId
                        + " belongs to another user; open a connection of your own");
            }
            if (raced == null) {
                LOG.debug("Opened connection {} for {}", connectionId, user);
            }
        }
    }

    public ServerContext context() {
        return context;
    }

    /** Runs statements of client sessions; the PostgreSQL endpoint shares it. */
    public StatementRunner runner() {
        return runner;
    }

    /** Statements being planned or run (a plain query: computing a frame of rows) right now, for monitoring and tests. */
    public int executingStatements() {
        return runner.executing();
    }

    /** Number of open client connections, for monitoring and tests. */
    public int openConnections() {
        return sessions.size();
    }

    private void closeIdleSessions() {
        try {
            long limit = idleTimeout.toNanos();
            for (ClientSession session : List.copyOf(sessions.values())) {
                if (session.idleNanos() > limit && sessions.remove(session.id(), session)) {
                    LOG.info("Closing connection {} after {} without requests", session.id(), idleTimeout);
                    session.close("its connection was idle for longer than 'server.session-idle-timeout' (" + idleTimeout + ")");
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Failed to close idle connections", e);
        }
    }

    private ClientSession session(String connectionId) {
        ClientSession session = sessions.get(connectionId);
        if (session == null) {
            throw new NoSuchConnectionException(connectionId);
        }
        session.touch();
        return session;
    }

    private <T> T call(Supplier<T> body) {
        try {
            return body.get();
        } catch (Throwable t) {
            RuntimeException answer = AvaticaErrors.toAvatica(t);
            if (answer instanceof AvaticaRuntimeException failed) {
                metrics.statementFailed(failed.getSqlState());
            }
            throw answer;
        }
    }

    private <T> T timed(ClientSession session, StatementCancel cancel, Supplier<T> work) {
        session.beginWork();
        try {
            return runner.timed(session.properties(), cancel, work);
        } finally {
            session.endWork();
        }
    }

    /** A duration as SET takes it: '5 min', '30 s', '250 ms'. */
    static String text(Duration duration) {
        return StatementRunner.text(duration);
    }

    // ---- connections and statements ----

    @Override
    public void openConnection(ConnectionHandle ch, Map<String, String> info) {
        call(() -> {
            // admit() opened it for its user already when the request came over HTTP
            if (!sessions.containsKey(ch.id)) {
                context.checkConnectionLimit(SessionUser.ANONYMOUS);
            }
            SessionProperties properties = context.newSessionProperties();
            ClientSession previous = sessions.putIfAbsent(ch.id, new ClientSession(ch.id, properties, SessionUser.ANONYMOUS,
                    new byte[0]));
            if (previous != null) {
                previous.touch();
            } else {
                LOG.debug("Opened connection {}", ch.id);
            }
            return null;
        });
    }

    @Override
    public void closeConnection(ConnectionHandle ch) {
        ClientSession session = sessions.remove(ch.id);
        if (session != null) {
            session.close("its connection was closed");
            LOG.debug("Closed connection {}", ch.id);
        }
    }

    @Override
    public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties connProps) {
        return call(() -> session(ch.id).syncConnectionProperties(connProps));
    }

    @Override
    public StatementHandle createStatement(ConnectionHandle ch) {
        return call(() -> session(ch.id).newStatement().handle());
    }

    @Override
    public void closeStatement(StatementHandle h) {
        ClientSession session = sessions.get(h.connectionId);
        if (session != null) {
            session.touch();
            // Weir's driver closes a statement to cancel it (Statement.cancel()): what it plans or runs stops
            session.closeStatement(h.id, StatementCancel.cancelled("its client cancelled or closed it"));
        }
    }

    @Override
    public void commit(ConnectionHandle ch) {
        call(() -> session(ch.id));
    }

    @Override
    public void rollback(ConnectionHandle ch) {
        call(() -> session(ch.id));
    }

    @Override
    public boolean syncResults(StatementHandle sh, QueryState state, long offset) throws NoSuchStatementException {
        // Results are not re-creatable from a QueryState: a client that lost its statement must re-execute.
        throw new NoSuchStatementException(sh);
    }

    // ---- statements ----

    @Override
    public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
        return call(() -> {
            ClientSession session = session(ch.id);
            ServerStatement statement = session.newStatement();
            StatementCancel cancel = statement.startExecution();
            return timed(session, cancel, () -> {
                // protobuf sends "" as null
                PreparedPlan plan = executor.prepare(session.properties(), session.user(), sql == null ? "" : sql, cancel);
                statement.prepared(plan, signature(plan));
                return statement.handle();
            });
        });
    }

    @Override
    @SuppressWarnings("deprecation")
    public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, PrepareCallback callback)
            throws NoSuchStatementException {
        return prepareAndExecute(h, sql, maxRowCount, DEFAULT_FIRST_FRAME_ROWS, callback);
    }

    @Override
    public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame,
                                           PrepareCallback callback) throws NoSuchStatementException {
        return call(() -> {
            ClientSession session = session(h.connectionId);
            ServerStatement statement = session.statement(h.id);
            StatementCancel cancel = statement.startExecution();
            return timed(session, cancel, () -> {
                // protobuf sends "" as null
                PreparedPlan plan = executor.prepare(session.properties(), session.user(), sql == null ? "" : sql, cancel);
                Signature signature = signature(plan);
                statement.prepared(plan, signature);
                return new ExecuteResult(List.of(run(session, statement, plan, signature, maxRowCount,
                        maxRowsInFirstFrame, cancel)));
            });
        });
    }

    @Override
    @SuppressWarnings("deprecation")
    public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, long maxRowCount)
            throws NoSuchStatementException {
        return execute(h, parameterValues, DEFAULT_FIRST_FRAME_ROWS);
    }

    @Override
    public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame)
            throws NoSuchStatementException {
        ClientSession session = sessions.get(h.connectionId);
        if (session == null) {
            throw new NoSuchConnectionException(h.connectionId);
        }
        ServerStatement existing = session.existingStatement(h.id);
        if ((existing == null || existing.plan() == null) && (h.signature == null || h.signature.sql == null)) {
            throw new NoSuchStatementException(h);
        }
        return call(() -> {
            session.touch();
            boolean lost = existing == null || existing.plan() == null;
            // Closed on the server (a cancel closes it) or lost: the handle carries its SQL, prepare it again.
            ServerStatement statement = lost ? session.statement(h.id) : existing;
            StatementCancel cancel = statement.startExecution();
            return timed(session, cancel, () -> {
                if (lost) {
                    PreparedPlan again = executor.prepare(session.properties(), session.user(), h.signature.sql, cancel);
                    statement.prepared(again, signature(again));
                }
                PreparedPlan plan = statement.plan();
                return new ExecuteResult(List.of(run(session, statement, executor.bind(session.properties(), plan,
                        AvaticaParameters.values(parameterValues)), statement.handle().signature, -1, maxRowsInFirstFrame, cancel)));
            });
        });
    }

    private MetaResultSet run(ClientSession session, ServerStatement statement, PreparedPlan plan, Signature signature,
                              long maxRowCount, int maxRowsInFirstFrame, StatementCancel cancel) {
        StatementRunner.Outcome outcome = runner.run(session.properties(), session.user(), plan, cancel, maxRowCount);
        if (outcome instanceof StatementRunner.Outcome.Count count) {
            statement.closeResult();
            return StatementWarnings.updateCount(session.id(), statement.handle().id, count.count(), count.warnings());
        }
        StatementRunner.Outcome.Rows rows = (StatementRunner.Outcome.Rows) outcome;
        statement.open(rows.cursor());
        Signature effective = plan.columns().equals(rows.columns()) ? signature : signature(plan.sql(), rows.columns());
        if (rows.continuous()) {
            // No rows yet: executeQuery returns at once with the columns, rows come with the fetches.
            return MetaResultSet.create(session.id(), statement.handle().id, false, effective, ((ContinuousResult) rows.cursor()).firstFrame());
        }
        int firstFrameRows = maxRowsInFirstFrame > 0 ? maxRowsInFirstFrame : DEFAULT_FIRST_FRAME_ROWS;
        Frame first = ((OpenResult) rows.cursor()).fetchNow(0, firstFrameRows);
        if (first.done) {
            statement.closeResult();
        }
        return MetaResultSet.create(session.id(), statement.handle().id, false, effective, first);
    }

    @Override
    public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount)
            throws NoSuchStatementException, MissingResultsException {
        try {
            return fetchAsync(h, offset, fetchMaxRowCount).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AvaticaErrors.toAvatica(new WeirException(ErrorCode.QUERY_CANCELLED, "The server is shutting down"));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NoSuchStatementException missing) {
                throw missing;
            }
            throw e.getCause() instanceof RuntimeException failure ? failure : AvaticaErrors.toAvatica(e.getCause());
        }
    }

    /**
     * {@link #fetch} without holding the calling thread while a continuous result waits for rows: the
     * frame completes when rows come or the session's {@code fetch.max-wait} has passed. A bounded
     * result's frame is computed on the calling thread. Fails with what {@link #fetch} throws.
     */
    public CompletableFuture<Frame> fetchAsync(StatementHandle h, long offset, int fetchMaxRowCount) {
        ClientSession session = sessions.get(h.connectionId);
        if (session == null) {
            return CompletableFuture.failedFuture(new NoSuchConnectionException(h.connectionId));
        }
        session.touch();
        ServerStatement statement = session.existingStatement(h.id);
        if (statement == null) {
            return CompletableFuture.failedFuture(new NoSuchStatementException(h));
        }
        ResultCursor result = statement.result();
        if (result == null) {
            // Everything was delivered (the last frame said done): nothing more to fetch.
            return CompletableFuture.completedFuture(new Frame(offset, true, List.of()));
        }
        CompletableFuture<Frame> frame;
        try {
            if (result instanceof OpenResult bounded) {
                // a bounded result's rows are computed now, on this thread, timed as its execution was
                StatementCancel cancel = statement.execution() != null ? statement.execution() : new StatementCancel();
                frame = CompletableFuture.completedFuture(timed(session, cancel, () -> bounded.fetchNow(offset, fetchMaxRowCount)));
            } else {
                frame = result.fetch(offset, fetchMaxRowCount, fetchWait(session));
            }
        } catch (RuntimeException e) {
            frame = CompletableFuture.failedFuture(e);
        }
        return frame.handle((answer, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException wrapped && wrapped.getCause() != null
                        ? wrapped.getCause() : failure;
                // Avatica answers a missing statement with a flag in the fetch response, not an error
                throw cause instanceof NoSuchStatementException ? new CompletionException(cause) : AvaticaErrors.toAvatica(cause);
            }
            if (answer.done) {
                statement.closeResult(result);
            }
            return answer;
        });
    }

    /** The session's fetch.max-wait, kept far below the client's HTTP response timeout (180 s by default). */
    private static Duration fetchWait(ClientSession session) {
        Duration wait = session.properties().duration(SessionOptions.FETCH_MAX_WAIT);
        return wait.compareTo(MAX_FETCH_WAIT) > 0 ? MAX_FETCH_WAIT : wait;
    }

    @Override
    public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands)
            throws NoSuchStatementException {
        return call(() -> {
            ClientSession session = session(h.connectionId);
            StatementCancel cancel = session.statement(h.id).startExecution();
            return timed(session, cancel, () -> runBatch(session, sqlCommands, cancel));
        });
    }

    private ExecuteBatchResult runBatch(ClientSession session, List<String> sqlCommands, StatementCancel cancel) {
        long[] counts = new long[sqlCommands.size()];
        for (int i = 0; i < counts.length; i++) {
            PreparedPlan plan = executor.prepare(session.properties(), session.user(),
                    sqlCommands.get(i) == null ? "" : sqlCommands.get(i), cancel);
            counts[i] = runInBatch(session, plan, List.of(), "statement " + (i + 1), cancel);
        }
        return new ExecuteBatchResult(counts);
    }

    /** Runs one statement of a batch; its update count. */
    private long runInBatch(ClientSession session, PreparedPlan plan, List<Object> parameterValues, String which,
                            StatementCancel cancel) {
        // DDL may answer with rows (DROP ... CASCADE lists what it dropped); a batch keeps only counts
        if (plan.producesRows() && plan.kind() != StatementKind.DDL) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, "A batch may not contain queries; " + which + " returns rows");
        }
        StatementResult result = executor.execute(session.properties(), session.user(), plan, parameterValues, cancel);
        if (result instanceof StatementResult.Persistent view && view.view().isPresent()) {
            context.startView(session.properties(), view);
        }
        return result instanceof StatementResult.UpdateCount count ? count.count() : 0;
    }

    /** A prepared statement run once per set of parameter values ({@code PreparedStatement.addBatch()}). */
    @Override
    public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues) {
        return call(() -> {
            ClientSession session = session(h.connectionId);
            ServerStatement statement = session.existingStatement(h.id);
            if (statement == null || statement.plan() == null) {
                throw new WeirException(ErrorCode.UNKNOWN_STATEMENT, "Statement " + h.id + " is not prepared on this"
                        + " connection (it was closed or the connection was re-opened); prepare it again");
            }
            StatementCancel cancel = statement.startExecution();
            return timed(session, cancel, () -> {
                long[] counts = new long[parameterValues.size()];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = runInBatch(session, statement.plan(), AvaticaParameters.values(parameterValues.get(i)),
                            "set of parameters " + (i + 1), cancel);
                }
                return new ExecuteBatchResult(counts);
            });
        });
    }

    @Override
    public ExecuteBatchResult executeBatchProtobuf(StatementHandle h, List<Requests.UpdateBatch> parameterValues) {
        List<List<TypedValue>> values = new ArrayList<>(parameterValues.size());
        for (Requests.UpdateBatch batch : parameterValues) {
            values.add(batch.getParameterValuesList().stream().map(TypedValue::fromProto).toList());
        }
        return executeBatch(h, values);
    }

    @Override
    public Iterable<Object> createIterable(StatementHandle stmt, QueryState state, Signature signature,
                                           List<TypedValue> parameters, Frame firstFrame) {
        throw new UnsupportedOperationException("createIterable is a client-side call");
    }

    private static Signature signature(PreparedPlan plan) {
        List<AvaticaParameter> parameters = AvaticaParameters.parameters(plan.parameters());
        List<ColumnMetaData> columns = AvaticaTypes.columns(plan.columns());
        return new Signature(columns, plan.sql(), parameters, Map.of(), CursorFactory.ARRAY,
                plan.producesRows() ? StatementType.SELECT : StatementType.OTHER_DDL);
    }

    private static Signature signature(String sql, List<io.weir.sql.statement.ResultColumn> columns) {
        return new Signature(AvaticaTypes.columns(columns), sql, List.of(), Map.of(), CursorFactory.ARRAY, StatementType.SELECT);
    }

    // ---- JDBC metadata ----

    /** The objects the connection's user may see in metadata: those it may select (all, for an admin). */
    private java.util.function.Predicate<io.weir.sql.catalog.CatalogObject> visibleTo(ConnectionHandle ch) {
        SessionUser user = session(ch.id).user();
        return object -> executor.authorizer().maySelect(user, object);
    }

    private MetaResultSet metaResult(ConnectionHandle ch, JdbcMetadata.MetaRows rows) {
        ClientSession session = session(ch.id);
        ServerStatement statement = session.newStatement();
        List<Object> frameRows = new ArrayList<>(rows.rows());
        Signature signature = new Signature(rows.columns(), "", List.of(), Map.of(), CursorFactory.ARRAY, StatementType.SELECT);
        // The whole result travels in the first frame, so the statement holds nothing.
        session.closeStatement(statement.handle().id, StatementCancel.cancelled("its whole result was sent"));
        return MetaResultSet.create(ch.id, statement.handle().id, true, signature, new Frame(0, true, frameRows));
    }

    @Override
    public Map<DatabaseProperty, Object> getDatabaseProperties(ConnectionHandle ch) {
        return call(() -> {
            session(ch.id);
            Map<DatabaseProperty, Object> properties = new EnumMap<>(DatabaseProperty.class);
            properties.put(DatabaseProperty.GET_DATABASE_PRODUCT_NAME, "Weir");
            properties.put(DatabaseProperty.GET_DATABASE_PRODUCT_VERSION, ServerVersion.VERSION);
            properties.put(DatabaseProperty.GET_DATABASE_MAJOR_VERSION, ServerVersion.MAJOR);
            properties.put(DatabaseProperty.GET_DATABASE_MINOR_VERSION, ServerVersion.MINOR);
            properties.put(DatabaseProperty.GET_DEFAULT_TRANSACTION_ISOLATION, java.sql.Connection.TRANSACTION_NONE);
            properties.put(DatabaseProperty.GET_S_Q_L_KEYWORDS,
                    "STREAM,WATERMARK,METADATA,VIRTUAL,PROCTIME,TUMBLE,HOP,SESSION,CUMULATE,DESCRIPTOR,EMIT,QUERIES");
            properties.put(DatabaseProperty.GET_NUMERIC_FUNCTIONS, "ABS,CEIL,EXP,FLOOR,LN,LOG10,MOD,POWER,ROUND,SQRT,TRUNCATE");
            properties.put(DatabaseProperty.GET_STRING_FUNCTIONS, "CHAR_LENGTH,LOWER,UPPER,POSITION,SUBSTRING,TRIM,OVERLAY,INITCAP");
            properties.put(DatabaseProperty.GET_SYSTEM_FUNCTIONS, "PROCTIME");
            properties.put(DatabaseProperty.GET_TIME_DATE_FUNCTIONS,
                    "CURRENT_DATE,CURRENT_TIME,CURRENT_TIMESTAMP,EXTRACT,FLOOR,CEIL,TIMESTAMPADD,TIMESTAMPDIFF");
            return properties;
        });
    }

    @Override
    public MetaResultSet getTables(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
                                   List<String> typeList) {
        return call(() -> metaResult(ch, metadata.tables(catalog, schemaPattern, tableNamePattern, typeList, visibleTo(ch))));
    }

    @Override
    public MetaResultSet getColumns(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
                                    Pat columnNamePattern) {
        return call(() -> metaResult(ch, metadata.columns(catalog, schemaPattern, tableNamePattern, columnNamePattern,
                visibleTo(ch))));
    }

    @Override
    public MetaResultSet getSchemas(ConnectionHandle ch, String catalog, Pat schemaPattern) {
        return call(() -> metaResult(ch, metadata.schemas(catalog, schemaPattern)));
    }

    @Override
    public MetaResultSet getCatalogs(ConnectionHandle ch) {
        return call(() -> metaResult(ch, metadata.catalogs()));
    }

    @Override
    public MetaResultSet getTableTypes(ConnectionHandle ch) {
        return call(() -> metaResult(ch, metadata.tableTypes()));
    }

    @Override
    public MetaResultSet getTypeInfo(ConnectionHandle ch) {
        return call(() -> metaResult(ch, metadata.typeInfo()));
    }

    @Override
    public MetaResultSet getPrimaryKeys(ConnectionHandle ch, String catalog, String schema, String table) {
        return call(() -> metaResult(ch, metadata.primaryKeys(catalog, schema, table, visibleTo(ch))));
    }

    private MetaResultSet empty(ConnectionHandle ch, MetaResultColumns columns) {
        return call(() -> metaResult(ch, new JdbcMetadata.MetaRows(columns.build(), List.of())));
    }

    @Override
    public MetaResultSet getProcedures(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat procedureNamePattern) {
        return empty(ch, new MetaResultColumns().text("PROCEDURE_CAT").text("PROCEDURE_SCHEM").textNotNull("PROCEDURE_NAME")
                .text("RESERVED1").text("RESERVED2").text("RESERVED3").text("REMARKS").add("PROCEDURE_TYPE", short.class, false)
                .text("SPECIFIC_NAME"));
    }

    @Override
    public MetaResultSet getProcedureColumns(ConnectionHandle ch, String catalog, Pat schemaPattern,
                                             Pat procedureNamePattern, Pat columnNamePattern) {
        return empty(ch, new MetaResultColumns().text("PROCEDURE_CAT").text("PROCEDURE_SCHEM").textNotNull("PROCEDURE_NAME")
                .textNotNull("COLUMN_NAME").add("COLUMN_TYPE", short.class, false).add("DATA_TYPE", int.class, false)
                .textNotNull("TYPE_NAME"));
    }

    @Override
    public MetaResultSet getColumnPrivileges(ConnectionHandle ch, String catalog, String schema, String table,
                                             Pat columnNamePattern) {
        return empty(ch, new MetaResultColumns().text("TABLE_CAT").text("TABLE_SCHEM").textNotNull("TABLE_NAME")
                .textNotNull("COLUMN_NAME").text("GRANTOR").textNotNull("GRANTEE").textNotNull("PRIVILEGE").text("IS_GRANTABLE"));
    }

    @Override
    public MetaResultSet getTablePrivileges(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern) {
        return empty(ch, new MetaResultColumns().text("TABLE_CAT").text("TABLE_SCHEM").textNotNull("TABLE_NAME")
                .text("GRANTOR").textNotNull("GRANTEE").textNotNull("PRIVILEGE").text("IS_GRANTABLE"));
    }

    @Override
    public MetaResultSet getBestRowIdentifier(ConnectionHandle ch, String catalog, String schema, String table,
                                              int scope, boolean nullable) {
        return empty(ch, new MetaResultColumns().add("SCOPE", short.class, false).textNotNull("COLUMN_NAME")
                .add("DATA_TYPE", int.class, false).textNotNull("TYPE_NAME").add("COLUMN_SIZE", int.class, false)
                .add("BUFFER_LENGTH", Integer.class, true).add("DECIMAL_DIGITS", short.class, false)
                .add("PSEUDO_COLUMN", short.class, false));
    }

    @Override
    public MetaResultSet getVersionColumns(ConnectionHandle ch, String catalog, String schema, String table) {
        return empty(ch, new MetaResultColumns().add("SCOPE", Short.class, true).textNotNull("COLUMN_NAME")
                .add("DATA_TYPE", int.class, false).textNotNull("TYPE_NAME").add("COLUMN_SIZE", int.class, false)
                .add("BUFFER_LENGTH", int.class, false).add("DECIMAL_DIGITS", Short.class, true)
                .add("PSEUDO_COLUMN", short.class, false));
    }

    private static MetaResultColumns keyColumns() {
        return new MetaResultColumns().text("PKTABLE_CAT").text("PKTABLE_SCHEM").textNotNull("PKTABLE_NAME")
                .textNotNull("PKCOLUMN_NAME").text("FKTABLE_CAT").text("FKTABLE_SCHEM").textNotNull("FKTABLE_NAME")
                .textNotNull("FKCOLUMN_NAME").add("KEY_SEQ", short.class, false).add("UPDATE_RULE", short.class, false)
                .add("DELETE_RULE", short.class, false).text("FK_NAME").text("PK_NAME").add("DEFERRABILITY", short.class, false);
    }

    @Override
    public MetaResultSet getImportedKeys(ConnectionHandle ch, String catalog, String schema, String table) {
        return empty(ch, keyColumns());
    }

    @Override
    public MetaResultSet getExportedKeys(ConnectionHandle ch, String catalog, String schema, String table) {
        return empty(ch, keyColumns());
    }

    @Override
    public MetaResultSet getCrossReference(ConnectionHandle ch, String parentCatalog, String parentSchema,
                                           String parentTable, String foreignCatalog, String foreignSchema,
                                           String foreignTable) {
        return empty(ch, keyColumns());
    }

    @Override
    public MetaResultSet getIndexInfo(ConnectionHandle ch, String catalog, String schema, String table, boolean unique,
                                      boolean approximate) {
        return empty(ch, new MetaResultColumns().text("TABLE_CAT").text("TABLE_SCHEM").textNotNull("TABLE_NAME")
                .add("NON_UNIQUE", boolean.class, false).text("INDEX_QUALIFIER").text("INDEX_NAME")
                .add("TYPE", short.class, false).add("ORDINAL_POSITION", short.class, false).text("COLUMN_NAME")
                .text("ASC_OR_DESC").add("CARDINALITY", long.class, false).add("PAGES", long.class, false)
                .text("FILTER_CONDITION"));
    }

    @Override
    public MetaResultSet getUDTs(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat typeNamePattern, int[] types) {
        return empty(ch, new MetaResultColumns().text("TYPE_CAT").text("TYPE_SCHEM").textNotNull("TYPE_NAME")
                .textNotNull("CLASS_NAME").add("DATA_TYPE", int.class, false).text("REMARKS").add("BASE_TYPE", Short.class, true));
    }

    @Override
    public MetaResultSet getSuperTypes(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat typeNamePattern) {
        return empty(ch, new MetaResultColumns().text("TYPE_CAT").text("TYPE_SCHEM").textNotNull("TYPE_NAME")
                .text("SUPERTYPE_CAT").text("SUPERTYPE_SCHEM").textNotNull("SUPERTYPE_NAME"));
    }

    @Override
    public MetaResultSet getSuperTables(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern) {
        return empty(ch, new MetaResultColumns().text("TABLE_CAT").text("TABLE_SCHEM").textNotNull("TABLE_NAME")
                .textNotNull("SUPERTABLE_NAME"));
    }

    @Override
    public MetaResultSet getAttributes(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat typeNamePattern,
                                       Pat attributeNamePattern) {
        return empty(ch, new MetaResultColumns().text("TYPE_CAT").text("TYPE_SCHEM").textNotNull("TYPE_NAME")
                .textNotNull("ATTR_NAME").add("DATA_TYPE", int.class, false).textNotNull("ATTR_TYPE_NAME")
                .add("ATTR_SIZE", int.class, false).add("DECIMAL_DIGITS", Integer.class, true)
                .add("NUM_PREC_RADIX", int.class, false).add("NULLABLE", int.class, false));
    }

    @Override
    public MetaResultSet getClientInfoProperties(ConnectionHandle ch) {
        return empty(ch, new MetaResultColumns().textNotNull("NAME").add("MAX_LEN", int.class, false)
                .text("DEFAULT_VALUE").text("DESCRIPTION"));
    }

    @Override
    public MetaResultSet getFunctions(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat functionNamePattern) {
        return call(() -> metaResult(ch, metadata.functions(catalog, schemaPattern, functionNamePattern)));
    }

    @Override
    public MetaResultSet getFunctionColumns(ConnectionHandle ch, String catalog, Pat schemaPattern,
                                            Pat functionNamePattern, Pat columnNamePattern) {
        return empty(ch, new MetaResultColumns().text("FUNCTION_CAT").text("FUNCTION_SCHEM").textNotNull("FUNCTION_NAME")
                .textNotNull("COLUMN_NAME").add("COLUMN_TYPE", short.class, false).add("DATA_TYPE", int.class, false)
                .textNotNull("TYPE_NAME"));
    }

    @Override
    public MetaResultSet getPseudoColumns(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
                                          Pat columnNamePattern) {
        return empty(ch, new MetaResultColumns().text("TABLE_CAT").text("TABLE_SCHEM").textNotNull("TABLE_NAME")
                .textNotNull("COLUMN_NAME").add("DATA_TYPE", int.class, false).add("COLUMN_SIZE", Integer.class, true)
                .add("DECIMAL_DIGITS", Integer.class, true).add("NUM_PREC_RADIX", Integer.class, true)
                .textNotNull("COLUMN_USAGE").text("REMARKS").add("CHAR_OCTET_LENGTH", Integer.class, true)
                .textNotNull("IS_NULLABLE"));
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        for (ClientSession session : List.copyOf(sessions.values())) {
            sessions.remove(session.id());
            session.close("the server is shutting down");
        }
        runner.close();
        metrics.close();
        context.close();
    }
}

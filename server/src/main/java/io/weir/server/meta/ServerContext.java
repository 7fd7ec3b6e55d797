package io.weir.server.meta;

import io.weir.sql.session.ServerLimits;
import io.weir.engine.exec.RunningQueries;
import java.util.Optional;
import java.nio.file.Files;
import java.io.IOException;
import io.weir.spi.WeirException;
import io.weir.spi.ErrorCode;
import io.weir.spi.connector.FileRoots;
import io.weir.engine.exec.MicroBatchQueryEngine;
import io.weir.engine.exec.QueryEngine;
import io.weir.engine.exec.QueryOptions;
import io.weir.spi.connector.ConnectorServices;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogStore;
import io.weir.sql.catalog.ObjectReference;
import io.weir.sql.catalog.PersistentQueryStore;
import io.weir.sql.session.SessionOptions;
import io.weir.sql.session.SessionProperties;
import io.weir.sql.statement.StatementExecutor;
import io.weir.sql.statement.StatementResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * What the server's sessions share: the persistent catalog in the data directory, the statement
 * executor over it, and the engine running the continuous queries.
 */
public final class ServerContext implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerContext.class);
    /** Result rows a query queues for a slow client before its batches wait. */
    private static final int OUTPUT_QUEUE_ROWS = 100_000;
    private static final Function<Path, QueryEngine> ENGINE_FACTORY = directory -> new MicroBatchQueryEngine();

    private final Path dataDir;
    private final Catalog catalog;
    private final StatementExecutor executor;
    private final ContinuousQueries queries;
    private final PersistentQueries persistentQueries;
    /** Push and persistent queries together, as SHOW QUERIES lists them. */
    private final RunningQueries runningQueries;
    private final Map<String, String> sessionDefaults;
    private final ServerLimits limits;
    /** Each protocol's count of a user's open connections. */
    private final List<java.util.function.ToLongFunction<io.weir.sql.auth.SessionUser>> connectionCounters =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    private ServerContext(Path dataDir, Catalog catalog, QueryEngine engine, Map<String, String> sessionDefaults,
                          Optional<FileRoots> fileRoots, ServerLimits limits) {
        this.limits = requireNonNull(limits, "limits is null");
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.sessionDefaults = Map.copyOf(sessionDefaults);
        // Fail at start-up, not at the first connection, when a configured default is invalid.
        newSessionProperties();
        this.queries = new ContinuousQueries(engine);
        this.persistentQueries = new PersistentQueries(engine, dataDir, new PersistentQueryStore(dataDir.resolve("catalog")),
                session -> queryOptions(session, 0, 1, true), this::newSessionProperties);
        this.runningQueries = new ServerQueries(persistentQueries, queries);
        this.executor = new StatementExecutor(catalog, dataDir, runningQueries, fileRoots, limits);
        persistentQueries.restore(executor::planPersistent);
    }

    /**
     * Opens the catalog under {@code dataDir/catalog}, with the micro-batch engine.
     *
     * @param sessionDefaults server-wide defaults for session properties (e.g. batch.interval)
     */
    public static ServerContext open(Path dataDir, Map<String, String> sessionDefaults) {
        return open(dataDir, sessionDefaults, ENGINE_FACTORY);
    }

    /**
     * Opens the catalog under {@code dataDir/catalog}, running continuous queries on the engine
     * {@code engineFactory} makes for the data directory (tests pass a scripted one).
     */
    public static ServerContext open(Path dataDir, Map<String, String> sessionDefaults,
                                     Function<Path, QueryEngine> engineFactory) {
        return open(dataDir, sessionDefaults, engineFactory, Optional.empty());
    }

    /**
     * As {@link #open(Path, Map, Function)}, with the directories connectors may read and write files
     * under (created if missing); empty: anywhere (tests of other things).
     */
    public static ServerContext open(Path dataDir, Map<String, String> sessionDefaults,
                                     Function<Path, QueryEngine> engineFactory, Optional<FileRoots> fileRoots) {
        return open(dataDir, sessionDefaults, engineFactory, fileRoots, ServerLimits.DEFAULTS);
    }

    /** As {@link #open(Path, Map, Function, Optional)}, with what one statement and one user may take of the server. */
    public static ServerContext open(Path dataDir, Map<String, String> sessionDefaults,
                                     Function<Path, QueryEngine> engineFactory, Optional<FileRoots> fileRoots, ServerLimits limits) {
        Path absolute = dataDir.toAbsolutePath().normalize();
        fileRoots.ifPresent(ServerContext::createRoots);
        Catalog catalog = Catalog.open(new CatalogStore(absolute.resolve("catalog")));
        LOG.info("Catalog loaded from {}: {} streams and tables", absolute.resolve("catalog"), catalog.list().size());
        return new ServerContext(absolute, catalog, requireNonNull(engineFactory.apply(absolute), "engine is null"),
                sessionDefaults, fileRoots, limits);
    }

    public ServerLimits limits() {
        return limits;
    }

    /**
     * Adds a protocol's count of the connections a user holds (Avatica sessions, PostgreSQL connections), so that
     * {@link #checkConnectionLimit} counts all of them.
     */
    public void countConnectionsWith(java.util.function.ToLongFunction<io.weir.sql.auth.SessionUser> counter) {
        connectionCounters.add(requireNonNull(counter, "counter is null"));
    }

    /**
     * Refuses one more connection of {@code user} when it holds as many as a user may, over every protocol (all
     * clients together on a server without users).
     *
     * @throws WeirException {@link ErrorCode#TOO_MANY_CONNECTIONS} (53300) naming the limit
     */
    public void checkConnectionLimit(io.weir.sql.auth.SessionUser user) {
        int max = limits.maxConnectionsPerUser();
        long held = 0;
        for (java.util.function.ToLongFunction<io.weir.sql.auth.SessionUser> counter : connectionCounters) {
            held += counter.applyAsLong(user);
        }
        if (held >= max) {
            throw new WeirException(ErrorCode.TOO_MANY_CONNECTIONS, (user.anonymous() ? "This server" : "User '" + user.name() + "'")
                    + " has " + held + " open connections, the most limits.connections-per-user allows (" + max + "). Close"
                    + " connections you no longer use (a pool's maximum size should stay below the limit), or have the limit raised");
        }
    }

    /** Creates missing file roots, so that a user can put files there (the default one is new with the data directory). */
    private static void createRoots(FileRoots roots) {
        for (Path root : roots.roots()) {
            try {
                Files.createDirectories(root);
            } catch (IOException e) {
                throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Cannot create file root '" + root + "' (server.file-roots): "
                        + e.getMessage() + ". Create it, or list another directory with --file-roots");
            }
        }
        LOG.info("Connectors read and write files under {}", roots.describe());
    }

    public Path dataDir() {
        return dataDir;
    }

    public Catalog catalog() {
        return catalog;
    }

    public StatementExecutor executor() {
        return executor;
    }

    /** What this server shares among its connectors (write-ahead logs, ingest channels, view stores). */
    public ConnectorServices connectorServices() {
        return executor.connectorServices();
    }

    /** Every running query, push and persistent, as SHOW QUERIES lists them. */
    public RunningQueries runningQueries() {
        return runningQueries;
    }

    /** The running continuous queries. */
    public ContinuousQueries queries() {
        return queries;
    }

    public SessionProperties newSessionProperties() {
        return new SessionProperties(sessionDefaults);
    }

    /**
     * Starts a continuous query of a session.
     *
     * @param clientMaxRows the client's JDBC maxRows; 0 or less for none
     */
    ContinuousResult start(SessionProperties session, StatementResult.Continuous query, long clientMaxRows) {
        QueryOptions options = queryOptions(session, smallestLimit(clientMaxRows, query.limit()), OUTPUT_QUEUE_ROWS, false);
        // with the catalog held: what it reads cannot be dropped between this check and its registration
        return catalog.exclusive(() -> {
            catalog.checkCurrent(query.dependencies(), "The query", "Run it again");
            checkQueryLimit(queries.list(), query.owner(), limits.maxPushQueriesPerUser(), "push queries (SELECT STREAM)",
                    "limits.push-queries-per-user", "Close the result sets of queries you no longer read");
            return queries.start(query.sql(), query.columns(), query.plan(), options,
                    session.duration(SessionOptions.CLIENT_TIMEOUT), identities(query.dependencies()), query.owner());
        });
    }

    private static Set<String> identities(List<ObjectReference> references) {
        return references.stream().map(ObjectReference::id).filter(Objects::nonNull).collect(Collectors.toSet());
    }

    /** Starts a session's {@code INSERT INTO}; returns the persistent query's id. */
    String startPersistent(SessionProperties session, StatementResult.Persistent query) {
        return catalog.exclusive(() -> {
            catalog.checkCurrent(query.dependencies(), "The query", "Run it again");
            checkQueryLimit(persistentQueries.list(), query.owner(), limits.maxPersistentQueriesPerUser(),
                    "persistent queries (INSERT INTO)", "limits.persistent-queries-per-user", "STOP QUERY those you no longer need");
            return persistentQueries.start(session, query);
        });
    }

    /** Refuses one more query of {@code owner} when it runs {@code max} of this kind already (the owner's, or all on a server without users). */
    private static void checkQueryLimit(List<RunningQueries.QueryInfo> running, Optional<String> owner, int max, String what,
                                        String setting, String advice) {
        long held = running.stream().filter(query -> query.owner().equals(owner)).count();
        if (held >= max) {
            throw new WeirException(ErrorCode.QUERY_LIMIT_EXCEEDED, (owner.map(name -> "User '" + name + "'").orElse("This server"))
                    + " runs " + held + " " + what + ", the most " + setting + " allows (" + max + "). " + advice
                    + ", or have the server's limit raised");
        }
    }

    /** Starts the query of a {@code CREATE MATERIALIZED VIEW} and registers the view once it runs. */
    void startView(SessionProperties session, StatementResult.Persistent view) {
        catalog.exclusive(() -> {
            catalog.checkCurrent(view.dependencies(), "Materialized view '" + view.sink() + "'", "Create it again");
            String id = persistentQueries.start(session, view);
            try {
                catalog.create(view.view().orElseThrow(), view.replace(), false);
            } catch (RuntimeException e) {
                try {
                    persistentQueries.stop(id, "its materialized view could not be registered");
                } catch (RuntimeException stopFailure) {
                    e.addSuppressed(stopFailure);
                }
                throw e;
            }
            return id;
        });
    }

    /** The persistent queries, for monitoring and tests. */
    public PersistentQueries persistentQueries() {
        return persistentQueries;
    }

    private QueryOptions queryOptions(SessionProperties session, long maxRows, int outputQueueRows, boolean resumable) {
        QueryOptions options = new QueryOptions(session.duration(SessionOptions.BATCH_INTERVAL), maxRows, outputQueueRows, dataDir,
                executor.statistics(), executor.deadLetters(), InstantSource.system(),
                session.integer(SessionOptions.SOURCE_MAX_BATCH_ROWS), resumable)
                .withConnectorServices(executor.connectorServices())
                .withParallelism(session.integer(SessionOptions.PARALLELISM));
        if (SessionOptions.LATE_ROWS_SIDE_OUTPUT.equals(session.get(SessionOptions.LATE_ROWS))) {
            options = options.withLateRows(executor.lateRows());
        }
        Optional<io.weir.engine.plan.SinkSpec> lateRowSink = executor.lateRowSink(session);
        if (lateRowSink.isPresent()) {
            options = options.withLateRowSink(lateRowSink.get());
        }
        Duration ttl = session.duration(SessionOptions.STATE_TTL);
        return ttl.isZero() ? options : options.withStateTtl(ttl);
    }

    /** The smaller of two row limits where 0 or less means none; 0 when neither limits. */
    static long smallestLimit(long first, long second) {
        if (first <= 0) {
            return Math.max(second, 0);
        }
        return second <= 0 ? first : Math.min(first, second);
    }

    @Override
    public void close() {
        try {
            persistentQueries.close();
        } finally {
            try {
                queries.close();
            } finally {
                executor.close();
            }
        }
    }
}

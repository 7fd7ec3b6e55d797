package io.weir.server.meta;

import io.weir.engine.exec.ContinuousQuery;
import io.weir.engine.exec.QueryEngine;
import io.weir.engine.exec.QueryOptions;
import io.weir.engine.exec.RunningQueries;
import io.weir.engine.plan.PlanNode;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.sql.statement.ResultColumn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * The server's running continuous queries: starts them on the engine, lists and stops them, and
 * stops those whose client has stopped fetching. Remembers the last {@value #HISTORY_SIZE} released
 * queries with their final statistics (late rows, rows in and out), for {@code sys.queries}.
 * Thread-safe.
 */
public final class ContinuousQueries implements RunningQueries, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ContinuousQueries.class);
    private static final Duration SWEEP_PERIOD = Duration.ofMillis(200);
    static final int HISTORY_SIZE = 100;

    private final QueryEngine engine;
    private final Map<String, ContinuousResult> queries = new ConcurrentHashMap<>();
    private final Deque<QueryInfo> history = new ArrayDeque<>(); // guarded by itself
    private final ScheduledExecutorService sweeper;
    /** Answers the fetches that wait for rows (see {@link ContinuousResult}): short tasks, never blocking. */
    private final ScheduledThreadPoolExecutor fetches;

    public ContinuousQueries(QueryEngine engine) {
        this.engine = requireNonNull(engine, "engine is null");
        AtomicInteger fetchThreads = new AtomicInteger();
        this.fetches = new ScheduledThreadPoolExecutor(Math.max(2, Runtime.getRuntime().availableProcessors()), runnable -> {
            Thread thread = new Thread(runnable, "weir-fetch-" + fetchThreads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        fetches.setRemoveOnCancelPolicy(true); // a fetch answered before its time-out takes its timer with it
        fetches.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "weir-query-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleWithFixedDelay(this::stopAbandoned, SWEEP_PERIOD.toMillis(), SWEEP_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Starts {@code plan} on the engine and registers its result.
     *
     * @param clientTimeout the query is stopped when its client has not fetched for this long
     * @param dependencies the identities of the catalog objects it reads (dropping one stops it, with CASCADE)
     * @param owner the user who runs it (empty on a server without users)
     * @throws io.weir.spi.WeirException when the engine cannot start it
     */
    ContinuousResult start(String sql, List<ResultColumn> columns, PlanNode plan, QueryOptions options,
                           Duration clientTimeout, Set<String> dependencies, Optional<String> owner) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        ContinuousQuery query = engine.start(id, plan, options);
        ContinuousResult result = new ContinuousResult(id, sql, Instant.now(), columns, query, options.maxRows(),
                clientTimeout, dependencies, closed -> {
                    if (queries.remove(closed.id(), closed)) {
                        QueryInfo ended = info(closed, Optional.of(Instant.now()));
                        remember(ended);
                        LOG.info("Query {} ended {}: {} rows in, {} out, {} late{}", closed.id(), ended.state(),
                                ended.statistics().rowsIn(), ended.statistics().rowsOut(), ended.statistics().lateRows(),
                                closed.failure().map(message -> ": " + message).orElse(""));
                    }
                }, fetches);
        result.ownedBy(owner);
        queries.put(id, result);
        LOG.info("Started query {}: {}", id, sql);
        return result;
    }

    /** Number of registered queries, for monitoring and tests. */
    public int size() {
        return queries.size();
    }

    /** Fetches of clients waiting for rows right now, for monitoring and tests. */
    public int waitingFetches() {
        return queries.values().stream().mapToInt(ContinuousResult::waitingFetches).sum();
    }

    @Override
    public List<QueryInfo> list() {
        return queries.values().stream()
                .sorted(Comparator.comparing(ContinuousResult::started).thenComparing(ContinuousResult::id))
                .map(result -> info(result, Optional.empty()))
                .toList();
    }

    @Override
    public List<QueryInfo> ended() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    private static QueryInfo info(ContinuousResult result, Optional<Instant> ended) {
        // with the failure its client was told, so that sys.queries shows why an ended push query FAILED
        return new QueryInfo(result.id(), RunningQueries.QueryKind.PUSH, result.sql(), result.query().state(), result.started(),
                ended, result.query().statistics(), result.failure(), io.weir.engine.checkpoint.CheckpointStatistics.NONE,
                RunningQueries.Retries.NONE, result.dependencies(), result.owner());
    }

    private void remember(QueryInfo ended) {
        synchronized (history) {
            if (history.size() == HISTORY_SIZE) {
                history.removeFirst();
            }
            history.addLast(ended);
        }
    }

    @Override
    public Optional<QueryInfo> stop(String queryId, String reason) {
        ContinuousResult result = queries.get(queryId);
        if (result == null) {
            return Optional.empty();
        }
        LOG.info("Stopping query {}: {}", queryId, reason);
        if (!result.stop(reason)) {
            throw new WeirException(ErrorCode.QUERY_STOP_TIMEOUT, "Query '" + queryId + "' was stopped and its client told so,"
                    + " but it did not finish within " + STOP_TIMEOUT.toSeconds() + " s: a call to one of its sources does not"
                    + " give up (see the server log). It frees its readers when that call returns");
        }
        return Optional.of(info(result, Optional.of(Instant.now())));
    }

    private void stopAbandoned() {
        long now = System.nanoTime();
        for (ContinuousResult result : List.copyOf(queries.values())) {
            try {
                if (result.clientGone(now)) {
                    LOG.info("Stopping query {}: its client has not fetched for {}", result.id(), result.clientTimeout());
                    result.stop("its client did not fetch for " + result.clientTimeout()
                            + " (session property 'query.client-timeout')");
                }
            } catch (RuntimeException e) {
                // One query failing to stop must not keep the others running.
                LOG.error("Failed to stop abandoned query {}", result.id(), e);
            }
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        for (ContinuousResult result : List.copyOf(queries.values())) {
            try {
                result.stop("the server is shutting down");
            } catch (RuntimeException e) {
                LOG.error("Failed to stop query {}", result.id(), e);
            }
        }
        engine.close();
        fetches.shutdown(); // after the stops: their fetches are answered first
    }
}

package io.weir.server.meta;

import io.weir.engine.checkpoint.CheckpointStatistics;
import io.weir.engine.checkpoint.CheckpointStorage;
import io.weir.engine.exec.ContinuousQuery;
import io.weir.engine.exec.OutputChunk;
import io.weir.engine.exec.QueryEngine;
import io.weir.engine.exec.QueryOptions;
import io.weir.engine.exec.QueryState;
import io.weir.engine.exec.QueryStatistics;
import io.weir.engine.exec.RunningQueries;
import io.weir.engine.exec.RunningQueries.QueryInfo;
import io.weir.engine.exec.RunningQueries.QueryKind;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.sql.catalog.ObjectReference;
import io.weir.sql.catalog.PersistentQueryDefinition;
import io.weir.sql.catalog.PersistentQueryStore;
import io.weir.sql.session.SessionOptions;
import io.weir.sql.session.SessionProperties;
import io.weir.sql.statement.StatementResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The server's persistent queries ({@code INSERT INTO sink SELECT STREAM ...}): they run on the engine
 * with no client, are stored in the data directory and started again when the server starts, and
 * resume their sources from what they committed. A query that fails is listed as RETRYING with its
 * last error, the failed attempts and when it tries next, and is started again after a back-off
 * (1 s, doubling up to a minute; one log line per failed attempt), so a broker or endpoint that was
 * away for a while costs a pause, not the query; the others keep running. Once an attempt completes a
 * micro-batch the query is RUNNING again. A query whose stream, table or view was dropped is listed as
 * FAILED and not started again: it never attaches to an object registered since under the same name.
 * Thread-safe.
 */
public final class PersistentQueries implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PersistentQueries.class);
    private static final Duration MONITOR_PERIOD = Duration.ofMillis(250);
    private static final Duration FIRST_RESTART_DELAY = Duration.ofSeconds(1);
    private static final Duration MAX_RESTART_DELAY = Duration.ofMinutes(1);
    /** How long a run must stay up after failures before the back-off starts again from its first delay. */
    private static final Duration STABLE_AFTER = Duration.ofMinutes(1);

    private final QueryEngine engine;
    private final Path dataDir;
    private final PersistentQueryStore store;
    private final Function<SessionProperties, QueryOptions> optionsOf;
    private final Supplier<SessionProperties> newSession;
    private final Map<String, RunningPersistentQuery> queries = new ConcurrentHashMap<>();
    /** Stopped queries whose thread was still busy: their checkpoints are deleted once it ends. */
    private final Map<String, ContinuousQuery> stillStopping = new ConcurrentHashMap<>();
    private final ScheduledExecutorService monitor;
    private volatile Function<PersistentQueryDefinition, StatementResult.Persistent> planner;
    private volatile boolean closed;

    /**
     * @param optionsOf the engine options of a query started with these session properties
     * @param newSession a session with the server's defaults, to which a stored query's properties are applied
     */
    public PersistentQueries(QueryEngine engine, Path dataDir, PersistentQueryStore store,
                             Function<SessionProperties, QueryOptions> optionsOf, Supplier<SessionProperties> newSession) {
        this.engine = requireNonNull(engine, "engine is null");
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.store = requireNonNull(store, "store is null");
        this.optionsOf = requireNonNull(optionsOf, "optionsOf is null");
        this.newSession = requireNonNull(newSession, "newSession is null");
        this.monitor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "weir-persistent-queries");
            thread.setDaemon(true);
            return thread;
        });
        monitor.scheduleWithFixedDelay(this::watch, MONITOR_PERIOD.toMillis(), MONITOR_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts every stored query, planning each again from its SQL; a query that cannot be planned or
     * started (a broker is down) is listed as FAILED and retried later, one whose objects were dropped
     * is listed as FAILED for good.
     *
     * @param planner plans a stored query again, failing with {@link ErrorCode#DEPENDENCY_DROPPED} when
     *        one of its objects is gone
     */
    public void restore(Function<PersistentQueryDefinition, StatementResult.Persistent> planner) {
        this.planner = requireNonNull(planner, "planner is null");
        for (PersistentQueryDefinition definition : store.load()) {
            RunningPersistentQuery query = new RunningPersistentQuery(definition);
            queries.put(definition.id(), query);
            start(query);
        }
        if (!queries.isEmpty()) {
            LOG.info("Restored {} persistent queries", queries.size());
        }
    }

    /**
     * Starts a client's {@code INSERT INTO}; stores it once it runs.
     *
     * @return the new query's id
     * @throws WeirException when the engine cannot start it (nothing is stored then)
     */
    public String start(SessionProperties session, StatementResult.Persistent persistent) {
        String id = persistent.queryId().orElseGet(() -> UUID.randomUUID().toString().substring(0, 8));
        PersistentQueryDefinition definition = new PersistentQueryDefinition(id, persistent.sql(), setProperties(session),
                Instant.now(), persistent.dependencies(), persistent.owner().orElse(null));
        RunningPersistentQuery query = new RunningPersistentQuery(definition);
        query.running(engine.start(id, persistent.plan(), options(session)));
        try {
            store.add(definition);
        } catch (RuntimeException e) {
            query.close();
            throw e;
        }
        queries.put(id, query);
        LOG.info("Started persistent query {} writing to '{}': {}", id, persistent.sink(), persistent.sql());
        return id;
    }

    /**
     * The session properties set, and the allowed lateness in effect even if it is the server's default: it is
     * part of the query's plan and state, which must not change when the server's default does.
     */
    private static Map<String, String> setProperties(SessionProperties session) {
        Map<String, String> set = new LinkedHashMap<>();
        for (var option : SessionOptions.ALL) {
            if (session.isSet(option) || option == SessionOptions.ALLOWED_LATENESS && !session.duration(option).isZero()) {
                set.put(option.key(), session.get(option));
            }
        }
        return set;
    }

    /**
     * An {@code INSERT INTO} and a view's query both checkpoint their state with their sources' positions,
     * and continue from their last checkpoint when they run again.
     */
    private QueryOptions options(SessionProperties session) {
        return optionsOf.apply(session).withResumable(true)
                .withCheckpointInterval(session.duration(SessionOptions.CHECKPOINT_INTERVAL));
    }

    private void start(RunningPersistentQuery query) {
        try {
            SessionProperties session = newSession.get();
            query.definition.session().forEach(session::set);
            StatementResult.Persistent planned = requireNonNull(planner, "not restored yet").apply(query.definition);
            if (query.definition.dependencies() == null) {
                recordDependencies(query, planned.dependencies());
            }
            boolean retry = query.running(engine.start(query.definition.id(), planned.plan(), options(session)));
            if (retry) {
                // the failure before it was logged; one line per attempt
                LOG.debug("Started persistent query {} again", query.definition.id());
            } else {
                LOG.info("Started persistent query {}: {}", query.definition.id(), query.definition.sql());
            }
        } catch (WeirException e) {
            if (e.errorCode() == ErrorCode.DEPENDENCY_DROPPED) {
                query.broken(e.getMessage());
                return;
            }
            query.failed("cannot start: " + e.getMessage(), null);
        } catch (RuntimeException e) {
            query.failed("cannot start: " + e, e);
        }
    }

    /**
     * Stores what a query stored by an older Weir was found to read, by identity, from now on; not
     * when it was stopped meanwhile (it stays forgotten).
     */
    private synchronized void recordDependencies(RunningPersistentQuery query, List<ObjectReference> dependencies) {
        query.definition = query.definition.withDependencies(dependencies);
        if (queries.get(query.definition.id()) == query) {
            store.add(query.definition);
        }
    }

    /** Notices queries that ended (failed) and restarts those whose back-off has passed. */
    private void watch() {
        stillStopping.forEach((id, query) -> {
            if (query.isStopped() && stillStopping.remove(id, query)) {
                // it might have taken one more checkpoint before it noticed the stop
                CheckpointStorage.of(dataDir, id).deleteAll();
                LOG.info("Persistent query {} has stopped: its writers and readers are closed", id);
            }
        });
        for (RunningPersistentQuery query : List.copyOf(queries.values())) {
            try {
                if (closed) {
                    return;
                }
                query.checkEnded();
                if (query.dueForRestart()) {
                    start(query);
                }
            } catch (RuntimeException e) {
                // One query's trouble must not stop the watching of the others.
                LOG.error("Watching persistent query {} failed", query.definition.id(), e);
            }
        }
    }

    public List<QueryInfo> list() {
        return queries.values().stream()
                .sorted(Comparator.comparing((RunningPersistentQuery q) -> q.definition.created())
                        .thenComparing(q -> q.definition.id()))
                .map(RunningPersistentQuery::info)
                .toList();
    }

    /**
     * Stops the query for good and forgets it (it does not run again after a restart); returns once it
     * has closed its sink writers and source readers.
     *
     * @param reason why, for the log
     * @return the query as it ended; empty when unknown
     * @throws WeirException ({@link ErrorCode#QUERY_STOP_TIMEOUT}) when its thread is still busy after
     *         {@link RunningQueries#STOP_TIMEOUT}; it is forgotten all the same
     */
    public Optional<QueryInfo> stop(String id, String reason) {
        RunningPersistentQuery query;
        synchronized (this) {
            query = queries.remove(id);
            if (query == null) {
                return Optional.empty();
            }
            store.remove(id);
        }
        long startedNanos = System.nanoTime();
        Optional<ContinuousQuery> busy = query.stop(RunningQueries.STOP_TIMEOUT);
        // stopped for good: a query started later under this id (a view created again) starts afresh
        CheckpointStorage.of(dataDir, id).deleteAll();
        if (busy.isPresent()) {
            stillStopping.put(id, busy.get());
            throw new WeirException(ErrorCode.QUERY_STOP_TIMEOUT, "Persistent query '" + id + "' was stopped and will not"
                    + " run again, but it did not finish within " + RunningQueries.STOP_TIMEOUT.toSeconds() + " s: a call to its"
                    + " sink or source does not give up (see the server log). It closes its writers and readers when that call returns");
        }
        LOG.info("Stopped persistent query {} in {} ms: {}", id, (System.nanoTime() - startedNanos) / 1_000_000, reason);
        return Optional.of(query.info().withState(QueryState.CANCELLED, Optional.of(Instant.now())));
    }

    public int size() {
        return queries.size();
    }

    /** Stops the queries for a server shutdown; they stay stored and run again at the next start. */
    @Override
    public void close() {
        closed = true;
        monitor.shutdownNow();
        for (RunningPersistentQuery query : List.copyOf(queries.values())) {
            try {
                query.close();
            } catch (RuntimeException e) {
                LOG.error("Failed to stop persistent query {}", query.definition.id(), e);
            }
        }
    }

    /** One stored query and its current run. */
    private static final class RunningPersistentQuery {
        /** Replaced once when a query stored without its dependencies has them recorded. */
        volatile PersistentQueryDefinition definition;
        private ContinuousQuery query;
        private Instant started = Instant.now();
        private QueryState state = QueryState.RUNNING;
        private String error;
        /** Attempts that failed in a row; 0 once a run completes a micro-batch. */
        private int failedAttempts;
        private Duration restartDelay = FIRST_RESTART_DELAY;
        private long restartAt = Long.MAX_VALUE;
        private Instant nextAttempt;
        /** The statistics of the last run, kept while the query waits to be restarted (a run continues its checkpoint's counts). */
        private QueryStatistics lastStatistics = new QueryStatistics(0, 0, 0, 0, Long.MIN_VALUE);
        /** The checkpoints of the last run, kept while the query waits to be restarted. */
        private CheckpointStatistics lastCheckpoints = CheckpointStatistics.NONE;
        private boolean closed;
        /** It cannot run again (an object it read or wrote was dropped): no restarts. */
        private boolean broken;

        RunningPersistentQuery(PersistentQueryDefinition definition) {
            this.definition = definition;
        }

        /** A run started; returns whether it is an attempt after failures. */
        synchronized boolean running(ContinuousQuery started) {
            if (closed) {
                started.stop(RunningQueries.STOP_TIMEOUT);
                return false;
            }
            this.query = started;
            this.started = Instant.now();
            // after failures it counts as retrying until the attempt completes a micro-batch
            this.state = failedAttempts > 0 ? QueryState.RETRYING : QueryState.RUNNING;
            this.restartAt = Long.MAX_VALUE;
            this.nextAttempt = null;
            return failedAttempts > 0;
        }

        /** An attempt failed: logs it (once) and schedules the next one. */
        synchronized void failed(String message, Throwable bug) {
            failedAttempts++;
            state = QueryState.RETRYING;
            error = message;
            restartAt = System.nanoTime() + restartDelay.toNanos();
            nextAttempt = Instant.now().plus(restartDelay);
            String line = "Persistent query {} failed (attempt {}): {}; next attempt in {} s";
            if (bug != null) {
                LOG.error(line, definition.id(), failedAttempts, message, restartDelay.toSeconds(), bug);
            } else {
                LOG.warn(line, definition.id(), failedAttempts, message, restartDelay.toSeconds());
            }
            restartDelay = restartDelay.multipliedBy(2).compareTo(MAX_RESTART_DELAY) > 0 ? MAX_RESTART_DELAY
                    : restartDelay.multipliedBy(2);
        }

        /** It cannot run again (an object it reads or writes was dropped): FAILED for good, no more attempts. */
        synchronized void broken(String message) {
            state = QueryState.FAILED;
            error = message;
            broken = true;
            failedAttempts = 0;
            restartAt = Long.MAX_VALUE;
            nextAttempt = null;
            LOG.error("Persistent query {} does not run: {}", definition.id(), message);
        }

        synchronized void checkEnded() {
            if (query == null || closed) {
                return;
            }
            OutputChunk chunk;
            try {
                chunk = query.poll(1, Duration.ZERO);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!chunk.finished()) {
                if (query.batchesRun() > 0 && state == QueryState.RETRYING) {
                    LOG.info("Persistent query {} runs again after {} failed attempts", definition.id(), failedAttempts);
                    error = null;
                    state = QueryState.RUNNING;
                }
                if (failedAttempts > 0 && state == QueryState.RUNNING
                        && Duration.between(started, Instant.now()).compareTo(STABLE_AFTER) >= 0) {
                    // up long enough to count as recovered (Flink's reset-backoff-threshold): the next failure waits
                    // briefly again; a sink that fails only once rows reach it keeps backing off instead
                    failedAttempts = 0;
                    restartDelay = FIRST_RESTART_DELAY;
                }
                return;
            }
            lastStatistics = query.statistics();
            lastCheckpoints = query.checkpoints();
            query.close();
            query = null;
            if (chunk.failure().isPresent() && chunk.failure().get().errorCode() == ErrorCode.DEPENDENCY_DROPPED) {
                broken(chunk.failure().get().getMessage());
            } else if (chunk.failure().isPresent()) {
                failed(chunk.failure().get().getMessage(), null);
            } else {
                // Its input ended (bounded sources): it has done its work.
                state = QueryState.FINISHED;
                LOG.info("Persistent query {} finished: its input ended", definition.id());
            }
        }

        synchronized boolean dueForRestart() {
            return !closed && !broken && query == null && state == QueryState.RETRYING && System.nanoTime() - restartAt >= 0;
        }

        synchronized QueryInfo info() {
            QueryStatistics current = query == null ? lastStatistics : query.statistics();
            CheckpointStatistics checkpoints = query == null ? lastCheckpoints : query.checkpoints();
            Set<String> dependencies = definition.dependencies() == null ? Set.of() : definition.dependencies().stream()
                    .map(ObjectReference::id).filter(java.util.Objects::nonNull).collect(Collectors.toSet());
            RunningQueries.Retries retries = state == QueryState.RETRYING
                    ? new RunningQueries.Retries(failedAttempts, Optional.ofNullable(query == null ? nextAttempt : null))
                    : RunningQueries.Retries.NONE;
            return new QueryInfo(definition.id(), QueryKind.PERSISTENT, definition.sql(), state, started, Optional.empty(),
                    current, Optional.ofNullable(error), checkpoints, retries, dependencies,
                    Optional.ofNullable(definition.owner()));
        }

        /** Stops its run for a server shutdown: at a micro-batch boundary, with a last checkpoint. */
        void close() {
            ContinuousQuery running = detach();
            if (running != null) {
                running.close();
            }
        }

        /** Stops its run for good (STOP QUERY); returns the run if it is still busy after {@code timeout}. */
        Optional<ContinuousQuery> stop(Duration timeout) {
            ContinuousQuery running = detach();
            if (running == null) {
                return Optional.empty();
            }
            boolean stopped = running.stop(timeout);
            synchronized (this) {
                lastStatistics = running.statistics();
                lastCheckpoints = running.checkpoints();
            }
            return stopped ? Optional.empty() : Optional.of(running);
        }

        private synchronized ContinuousQuery detach() {
            closed = true;
            ContinuousQuery running = query;
            if (running != null) {
                lastStatistics = running.statistics();
                lastCheckpoints = running.checkpoints();
            }
            query = null;
            return running;
        }
    }
}

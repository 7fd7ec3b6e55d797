package io.weir.server.meta;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.sql.auth.SessionUser;
import io.weir.sql.session.SessionOptions;
import io.weir.sql.session.SessionProperties;
import io.weir.sql.statement.PreparedPlan;
import io.weir.sql.statement.ResultColumn;
import io.weir.sql.statement.StatementCancel;
import io.weir.sql.statement.StatementExecutor;
import io.weir.sql.statement.StatementResult;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Prepares and runs the statements of client sessions through the {@link StatementExecutor}, for every
 * client protocol (Avatica, PostgreSQL): within the session's 'statement.timeout', starting what a result
 * asks for (a continuous query, a persistent query, a materialized view's query) on the server's
 * {@link ServerContext}. The protocols only translate what this answers. Thread-safe; one per server.
 */
public final class StatementRunner implements AutoCloseable {
    private final ServerContext context;
    private final StatementExecutor executor;
    /** Cancels statements that run past their 'statement.timeout'; a timer per execution, removed when it ends. */
    private final ScheduledThreadPoolExecutor statementTimer;
    private final AtomicInteger executing = new AtomicInteger();

    public StatementRunner(ServerContext context) {
        this.context = requireNonNull(context, "context is null");
        this.executor = context.executor();
        this.statementTimer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "weir-statement-timer");
            thread.setDaemon(true);
            return thread;
        });
        statementTimer.setRemoveOnCancelPolicy(true); // thousands of statements a second each leave a timer otherwise
    }

    public ServerContext context() {
        return context;
    }

    /** Statements being planned or run (a plain query: computing a frame of rows) right now. */
    public int executing() {
        return executing.get();
    }

    /** What running a statement came to. */
    public sealed interface Outcome {
        /** A statement without rows: DDL, SET, a materialized view created. */
        record Count(long count, String message, List<String> warnings) implements Outcome {
            public Count {
                warnings = List.copyOf(warnings);
            }
        }

        /**
         * Rows to fetch from {@code cursor}, in Avatica's wire representation ({@link AvaticaTypes#toWire}).
         *
         * @param continuous whether the rows never end (a continuous query's)
         */
        record Rows(List<ResultColumn> columns, ResultCursor cursor, boolean continuous) implements Outcome {
            public Rows {
                columns = List.copyOf(columns);
                requireNonNull(cursor, "cursor is null");
            }
        }
    }

    /** Parses and validates {@code sql} within the session's time limit; stops once {@code cancel} is cancelled. */
    public PreparedPlan prepare(SessionProperties session, String sql, StatementCancel cancel) {
        return timed(session, cancel, () -> executor.prepare(session, sql, cancel));
    }

    /** {@code plan} with {@code values} bound to its parameters (Java values: see {@link io.weir.sql.statement.StatementExecutor#bind}). */
    public PreparedPlan bind(SessionProperties session, PreparedPlan plan, List<?> values) {
        return executor.bind(session, plan, values);
    }

    /**
     * Runs {@code plan} as {@code user}, within the session's time limit: what it starts (a continuous query)
     * stops when the returned cursor is closed.
     *
     * @param maxRows the client's limit on rows; 0 or less for none
     */
    public Outcome execute(SessionProperties session, SessionUser user, PreparedPlan plan, StatementCancel cancel, long maxRows) {
        return timed(session, cancel, () -> run(session, user, plan, cancel, maxRows));
    }

    /** {@link #execute} without the timer, for a caller that times the statement's whole execution itself. */
    Outcome run(SessionProperties session, SessionUser user, PreparedPlan plan, StatementCancel cancel, long maxRows) {
        StatementResult result = executor.execute(session, user, plan, cancel);
        if (result instanceof StatementResult.UpdateCount count) {
            return new Outcome.Count(count.count(), count.message(), count.warnings());
        }
        if (result instanceof StatementResult.Continuous continuous) {
            ContinuousResult open = context.start(session, continuous, maxRows);
            return new Outcome.Rows(continuous.columns(), open, true);
        }
        if (result instanceof StatementResult.Persistent persistent && persistent.view().isPresent()) {
            context.startView(session, persistent);
            return new Outcome.Count(0, "Created materialized view '" + persistent.sink() + "'", persistent.warnings());
        }
        if (result instanceof StatementResult.Persistent persistent) {
            String id = context.startPersistent(session, persistent);
            result = StatementResult.Rows.of(StatementExecutor.INSERT_COLUMNS,
                    List.<Object[]>of(new Object[] {id, persistent.sink(), "RUNNING"}));
        }
        StatementResult.Rows rows = (StatementResult.Rows) result;
        return new Outcome.Rows(rows.columns(), new OpenResult(rows.columns(), rows.rows(), rows.resources(), maxRows), false);
    }

    /**
     * Runs {@code work} of a statement within the session's 'statement.timeout': past it, {@code cancel}
     * is cancelled and the work stops at its next check, failing with SQLSTATE 57014. A failure of work
     * that was cancelled (by the timeout or by closing the statement) is the cancellation's error.
     */
    public <T> T timed(SessionProperties session, StatementCancel cancel, Supplier<T> work) {
        Duration limit = session.duration(SessionOptions.STATEMENT_TIMEOUT);
        ScheduledFuture<?> timer = limit.isZero() ? null
                : statementTimer.schedule(() -> cancel.cancel(timedOut(limit)), limit.toNanos(), TimeUnit.NANOSECONDS);
        executing.incrementAndGet();
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw cancel.isCancelled() ? cancel.failure() : e;
        } finally {
            executing.decrementAndGet();
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }

    private static WeirException timedOut(Duration limit) {
        return new WeirException(ErrorCode.STATEMENT_TIMEOUT, "The statement was cancelled after running longer than"
                + " 'statement.timeout' (" + text(limit) + "). To give it longer, SET 'statement.timeout' ="
                + " '30 min' (or '0 s' for no limit) in this session, or start the server with --statement-timeout");
    }

    /** A duration as SET takes it: '5 min', '30 s', '250 ms'. */
    static String text(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 60_000 == 0) {
            return millis / 60_000 + " min";
        }
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    @Override
    public void close() {
        statementTimer.shutdownNow();
    }
}

package io.weir.server.meta;

import io.weir.engine.exec.ContinuousQuery;
import io.weir.engine.exec.OutputChunk;
import io.weir.engine.exec.QueryEngine;
import io.weir.engine.exec.QueryOptions;
import io.weir.engine.exec.QueryState;
import io.weir.engine.exec.QueryStatistics;
import io.weir.engine.plan.PlanNode;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A test engine whose queries ignore their plan and produce row n = {n, time produced in ms} every
 * {@code interval}; after {@code failAfter} rows (when positive) a query fails with
 * {@link #FAILURE_CODE}. Records the options each query was started with and whether it was closed.
 */
final class ScriptedQueryEngine implements QueryEngine {
    static final ErrorCode FAILURE_CODE = ErrorCode.DATA_ERROR;

    private final Duration interval;
    private final int failAfter;
    private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(1, runnable -> {
        Thread thread = new Thread(runnable, "scripted-engine");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, ScriptedQuery> queries = new ConcurrentHashMap<>();

    ScriptedQueryEngine(Duration interval, int failAfter) {
        this.interval = interval;
        this.failAfter = failAfter;
    }

    @Override
    public ContinuousQuery start(String queryId, PlanNode root, QueryOptions options) {
        ScriptedQuery query = new ScriptedQuery(queryId, options);
        queries.put(queryId, query);
        clock.scheduleAtFixedRate(query::produce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return query;
    }

    List<ScriptedQuery> queries() {
        return List.copyOf(queries.values());
    }

    @Override
    public void close() {
        clock.shutdownNow();
        queries.values().forEach(ScriptedQuery::close);
    }

    final class ScriptedQuery implements ContinuousQuery {
        private final String id;
        private final QueryOptions options;
        private final ArrayDeque<Object[]> queue = new ArrayDeque<>();
        private final CountDownLatch closedLatch = new CountDownLatch(1);
        private long produced;
        private QueryState state = QueryState.RUNNING;
        private WeirException failure;
        private CompletableFuture<Void> outputWaiter;

        ScriptedQuery(String id, QueryOptions options) {
            this.id = id;
            this.options = options;
        }

        QueryOptions options() {
            return options;
        }

        boolean awaitClosed(Duration timeout) throws InterruptedException {
            return closedLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        boolean isClosed() {
            return closedLatch.getCount() == 0;
        }

        synchronized void produce() {
            if (state.isDone()) {
                return;
            }
            if (failAfter > 0 && produced == failAfter) {
                state = QueryState.FAILED;
                failure = new WeirException(FAILURE_CODE, "Scripted failure after " + produced + " rows");
            } else {
                produced++;
                queue.add(new Object[] {produced, System.currentTimeMillis()});
                if (options.maxRows() > 0 && produced >= options.maxRows()) {
                    state = QueryState.FINISHED;
                }
            }
            signal();
        }

        private void signal() {
            notifyAll();
            if (outputWaiter != null) {
                outputWaiter.complete(null);
                outputWaiter = null;
            }
        }

        @Override
        public synchronized CompletableFuture<Void> outputReady() {
            if (!queue.isEmpty() || state.isDone()) {
                return CompletableFuture.completedFuture(null);
            }
            if (outputWaiter == null) {
                outputWaiter = new CompletableFuture<>();
            }
            return outputWaiter;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public synchronized OutputChunk poll(int maxRows, Duration maxWait) throws InterruptedException {
            long deadline = System.nanoTime() + maxWait.toNanos();
            while (queue.isEmpty() && !state.isDone()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new OutputChunk(List.of(), false, Optional.empty());
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            List<Object[]> rows = new ArrayList<>();
            while (rows.size() < maxRows && !queue.isEmpty()) {
                rows.add(queue.poll());
            }
            boolean finished = state.isDone() && queue.isEmpty();
            return new OutputChunk(rows, finished, finished ? Optional.ofNullable(failure) : Optional.empty());
        }

        @Override
        public synchronized QueryState state() {
            return state;
        }

        @Override
        public synchronized QueryStatistics statistics() {
            return new QueryStatistics(produced, produced, 0, produced, Long.MIN_VALUE);
        }

        @Override
        public synchronized void close() {
            if (!state.isDone()) {
                state = QueryState.CANCELLED;
            }
            queue.clear();
            closedLatch.countDown();
            signal();
        }
    }
}

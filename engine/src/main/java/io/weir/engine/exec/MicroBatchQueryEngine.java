package io.weir.engine.exec;

import io.weir.engine.checkpoint.CheckpointCompactor;
import io.weir.engine.checkpoint.CheckpointConfig;
import io.weir.engine.checkpoint.CheckpointStorage;
import io.weir.engine.operator.SourceOperator;
import io.weir.engine.parallel.KeyGroupAssignment;
import io.weir.engine.parallel.ParallelQueryRunner;
import io.weir.engine.parallel.WorkerPool;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.sink.SinkOpener;
import io.weir.engine.source.SharedSources;
import io.weir.engine.state.StateMemoryBudget;
import io.weir.engine.source.SourceOpener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The micro-batch {@link QueryEngine}: each query runs on its own thread (so a query waiting for a
 * slow client or a slow source holds up no other), one micro-batch per batch interval.
 */
public final class MicroBatchQueryEngine implements QueryEngine {
    private static final Logger LOG = LoggerFactory.getLogger(MicroBatchQueryEngine.class);

    private final Map<String, MicroBatchQuery> queries = new ConcurrentHashMap<>();
    private final int maxRowsPerSourceBatch;
    private final SharedSources sharedSources = new SharedSources();
    private final CheckpointCompactor compactor = new CheckpointCompactor();
    private final StateMemoryBudget stateBudget;
    private final int defaultParallelism;
    /** Runs the tasks of the queries at parallelism above 1; its threads start when first needed. */
    private final WorkerPool workers;
    private volatile boolean closed;

    public MicroBatchQueryEngine() {
        this(SourceOperator.DEFAULT_MAX_ROWS_PER_BATCH);
    }

    /**
     * @param maxRowsPerSourceBatch rows one source contributes to a micro-batch at most, for queries
     *        whose {@link QueryOptions#maxRowsPerSourceBatch()} is 0
     */
    public MicroBatchQueryEngine(int maxRowsPerSourceBatch) {
        this(maxRowsPerSourceBatch, StateMemoryBudget.unlimited());
    }

    /** @param stateBudget the memory the state of all queries may take together */
    public MicroBatchQueryEngine(int maxRowsPerSourceBatch, StateMemoryBudget stateBudget) {
        this(maxRowsPerSourceBatch, stateBudget, 1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param defaultParallelism the tasks a query runs as when its {@link QueryOptions#parallelism()} is 0
     * @param workerThreads the threads of the pool that runs the tasks of all queries (besides their own threads)
     */
    public MicroBatchQueryEngine(int maxRowsPerSourceBatch, StateMemoryBudget stateBudget, int defaultParallelism, int workerThreads) {
        if (maxRowsPerSourceBatch < 1) {
            throw new IllegalArgumentException("maxRowsPerSourceBatch must be positive");
        }
        KeyGroupAssignment.checkParallelism(defaultParallelism);
        this.maxRowsPerSourceBatch = maxRowsPerSourceBatch;
        this.stateBudget = requireNonNull(stateBudget, "stateBudget is null");
        this.defaultParallelism = defaultParallelism;
        this.workers = new WorkerPool(workerThreads);
    }

    @Override
    public ContinuousQuery start(String queryId, PlanNode root, QueryOptions options) {
        requireNonNull(queryId, "queryId is null");
        requireNonNull(root, "root is null");
        requireNonNull(options, "options is null");
        if (closed) {
            throw new IllegalStateException("query engine is closed");
        }
        SourceOpener opener = new SourceOpener(options.dataDir(), options.statistics(), options.deadLetters(), options.clock(),
                options.connectorServices());
        int cap = options.maxRowsPerSourceBatch() > 0 ? options.maxRowsPerSourceBatch() : maxRowsPerSourceBatch;
        int parallelism = parallelism(options);
        MicroBatchQuery query = new MicroBatchQuery(queryId, options,
                sink -> {
                    Optional<CheckpointConfig> checkpoints = options.checkpointInterval().map(interval -> new CheckpointConfig(queryId,
                            CheckpointStorage.of(options.dataDir(), queryId), interval, compactor));
                    Optional<String> consumerIdPrefix = options.resumable() ? Optional.of(queryId) : Optional.empty();
                    SinkOpener sinkOpener = new SinkOpener(options.dataDir(), options.clock(), options.connectorServices());
                    MicroBatchRunner runner = parallelism > 1
                            ? new ParallelQueryRunner(root, opener, sinkOpener, sharedSources, consumerIdPrefix, checkpoints,
                                    options.clock(), cap, sink, parallelism, workers)
                            : new QueryRunner(root, opener, sinkOpener, sharedSources, consumerIdPrefix, checkpoints,
                                    options.clock(), cap, sink);
                    runner.trackState(stateBudget.account(queryId));
                    options.stateTtl().ifPresent(runner::expireStateAfter);
                    List<java.util.function.Consumer<io.weir.engine.late.LateRow>> lateRowTargets = new java.util.ArrayList<>();
                    options.lateRows().ifPresent(log -> lateRowTargets.add(log::add));
                    if (options.lateRowSink().isPresent()) {
                        io.weir.engine.plan.SinkSpec spec = options.lateRowSink().get();
                        io.weir.engine.late.LateRowSink lateSink = new io.weir.engine.late.LateRowSink(spec.objectName(),
                                sinkOpener.open(spec, consumerIdPrefix.map(prefix -> prefix + ".late_rows."
                                        + spec.objectName().toLowerCase(java.util.Locale.ROOT))), spec.schema());
                        runner.writeLateRows(lateSink);
                        lateRowTargets.add(lateSink::add);
                    }
                    if (!lateRowTargets.isEmpty()) {
                        runner.routeLateRows(new io.weir.engine.late.LateRowRouter(queryId, streams(root),
                                row -> lateRowTargets.forEach(target -> target.accept(row))));
                    }
                    return runner;
                },
                () -> queries.remove(queryId));
        if (queries.putIfAbsent(queryId, query) != null) {
            query.discard();
            throw new IllegalArgumentException("a query with id " + queryId + " is already running");
        }
        query.start();
        LOG.debug("Started query {}", queryId);
        return query;
    }

    /** The names of the streams a plan reads, comma-separated (for its late rows). */
    static String streams(PlanNode root) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        java.util.ArrayDeque<PlanNode> pending = new java.util.ArrayDeque<>(List.of(root));
        while (!pending.isEmpty()) {
            PlanNode node = pending.pop();
            if (node instanceof io.weir.engine.plan.SourceScan scan) {
                names.add(scan.spec().objectName());
            }
            pending.addAll(node.inputs());
        }
        return String.join(", ", names);
    }

    /**
     * The tasks a query runs as: its own parallelism, else the engine's default. A query that checkpoints
     * (a persistent query, a materialized view) runs so too: its checkpoints hold the state of all key
     * groups and of all splits whatever the parallelism, so it may restart at another one.
     */
    int parallelism(QueryOptions options) {
        return options.parallelism() > 0 ? options.parallelism() : defaultParallelism;
    }

    /** The readers shared by the running queries, one per stream (and start position). */
    public SharedSources sharedSources() {
        return sharedSources;
    }

    /** Ids of the queries whose threads are still running. */
    public List<String> runningQueries() {
        return List.copyOf(queries.keySet());
    }

    /** Stops every running query, then the checkpoint compactor and the worker threads. */
    @Override
    public void close() {
        closed = true;
        try {
            for (MicroBatchQuery query : List.copyOf(queries.values())) {
                query.close();
            }
        } finally {
            try {
                compactor.close();
            } finally {
                workers.close();
            }
        }
    }
}

package io.weir.engine.exec;

import io.weir.engine.checkpoint.CheckpointCompactor;
import io.weir.engine.checkpoint.CheckpointConfig;
import io.weir.engine.checkpoint.CheckpointStorage;
import io.weir.engine.operator.SourceOperator;
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
        if (maxRowsPerSourceBatch < 1) {
            throw new IllegalArgumentException("maxRowsPerSourceBatch must be positive");
        }
        this.maxRowsPerSourceBatch = maxRowsPerSourceBatch;
        this.stateBudget = requireNonNull(stateBudget, "stateBudget is null");
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
        MicroBatchQuery query = new MicroBatchQuery(queryId, options,
                sink -> {
                    QueryRunner runner = new QueryRunner(root, opener, new SinkOpener(options.dataDir(), options.clock(),
                            options.connectorServices()), sharedSources,
                            options.resumable() ? Optional.of(queryId) : Optional.empty(),
                            options.checkpointInterval().map(interval -> new CheckpointConfig(queryId,
                                    CheckpointStorage.of(options.dataDir(), queryId), interval, compactor)),
                            options.clock(), cap, sink);
                    runner.trackState(stateBudget.account(queryId));
                    options.stateTtl().ifPresent(runner::expireStateAfter);
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

    /** The readers shared by the running queries, one per stream (and start position). */
    public SharedSources sharedSources() {
        return sharedSources;
    }

    /** Ids of the queries whose threads are still running. */
    public List<String> runningQueries() {
        return List.copyOf(queries.keySet());
    }

    /** Stops every running query, then the checkpoint compactor. */
    @Override
    public void close() {
        closed = true;
        try {
            for (MicroBatchQuery query : List.copyOf(queries.values())) {
                query.close();
            }
        } finally {
            compactor.close();
        }
    }
}

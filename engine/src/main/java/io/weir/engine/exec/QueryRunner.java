package io.weir.engine.exec;

import io.weir.engine.aggregate.GroupAggregateOperator;
import io.weir.engine.checkpoint.BatchPositions;
import io.weir.engine.checkpoint.Checkpoint;
import io.weir.engine.checkpoint.CheckpointConfig;
import io.weir.engine.checkpoint.CheckpointSections;
import io.weir.engine.checkpoint.CheckpointStatistics;
import io.weir.engine.checkpoint.CheckpointedQuery;
import io.weir.engine.checkpoint.QueryCheckpointer;
import io.weir.engine.expression.EvaluationContext;
import io.weir.engine.operator.CalcOperator;
import io.weir.engine.operator.KeepsRowPositions;
import io.weir.engine.operator.Operator;
import io.weir.engine.operator.RowPositions;
import io.weir.engine.operator.SourceOperator;
import io.weir.engine.operator.UnionAllOperator;
import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.Calc;
import io.weir.engine.plan.GroupAggregate;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SinkWrite;
import io.weir.engine.plan.SourceScan;
import io.weir.engine.plan.UnionAll;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.sink.SinkOpener;
import io.weir.engine.sink.SinkOperator;
import io.weir.engine.source.SharedSources;
import io.weir.engine.source.SourceInput;
import io.weir.engine.source.SourceInputs;
import io.weir.engine.source.SourceOpener;
import io.weir.engine.state.KeyGroupRange;
import io.weir.engine.state.IncrementalState;
import io.weir.engine.state.SnapshottableState;
import io.weir.engine.state.StateBytes;
import io.weir.engine.state.StateMemoryBudget;
import io.weir.engine.window.WindowAggregationBase;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourcePosition;
import io.weir.spi.connector.SplitOffsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;

import static java.util.Objects.requireNonNull;

/**
 * Runs a plan's operator DAG one micro-batch at a time on the caller's thread: takes what the
 * sources have (up to a cap per source), pushes it through the operators, then passes each
 * operator's end-of-batch watermark up the DAG once, which fires windows, and hands the root's
 * output batches to a sink. The engine calls it from the query's thread; tests call it directly
 * with a manual clock. Not thread-safe.
 */
public final class QueryRunner implements MicroBatchRunner {
    private static final Logger LOG = LoggerFactory.getLogger(QueryRunner.class);
    private static final Duration REPLAY_WAIT = Duration.ofSeconds(30);

    private final Node root;
    private final List<Node> nodes = new ArrayList<>();
    private final List<SourceOperator> sources = new ArrayList<>();
    /** Per source, its consumer id in a persistent query. */
    private final List<Optional<String>> sourceConsumerIds = new ArrayList<>();
    /** Per source, the source whose consumer positions are forgotten when the query is stopped for good. */
    private final List<Source> sourceConnectors = new ArrayList<>();
    private final List<Boolean> bounded = new ArrayList<>();
    private final List<WindowAggregationBase> windowOperators = new ArrayList<>();
    private final InstantSource clock;
    private final Consumer<Batch> sink;
    private final SinkOpener sinkOpener;
    private final SharedSources sharedSources;
    private final Optional<String> consumerIdPrefix;
    /** Scans of each stream so far, so that a query reading a stream twice (a self-join) has a consumer per scan. */
    private final Map<String, Integer> scansPerStream = new HashMap<>();
    private SinkOperator sinkOperator;
    /** Where the late rows go ('late-rows.sink'); null: no sink. */
    private io.weir.engine.late.LateRowSink lateRowSink;
    private Watermark watermark = Watermark.INITIAL;
    private long batches;
    private boolean closed;
    /** Present for a query that checkpoints its state. */
    private final Optional<QueryCheckpointer> checkpointer;
    private boolean started;
    private StateMemoryBudget.Account stateAccount;
    private Map<Integer, SplitOffsets> lastLoggedPositions = Map.of();

    /**
     * One operator of the DAG. A node shared by several parents (a sub-plan the planner made one
     * node, see {@link io.weir.engine.plan.SharedSubPlans}) hands each output batch to each of them;
     * batches are immutable, so they all read the same one.
     */
    /** The operators' figures after the last micro-batch; read by other threads. */
    private volatile List<OperatorStatistics> operatorStatistics = List.of();

    private static final class Node {
        final Operator operator;
        /** What it runs, for EXPLAIN ANALYZE. */
        final PlanNode plan;
        /** Rows given to it and taken from it, and the time spent in its calls (not in those of its parents). */
        long rowsIn;
        long rowsOut;
        long nanos;
        private String description;
        final List<Node> children = new ArrayList<>();
        /** The parents, each with the input of it this node is; the root has none. */
        final List<Edge> parents = new ArrayList<>();
        boolean finishCalled;
        /** Whether {@link #endBatch} passed this micro-batch's watermark through it already. */
        boolean ended;
        Watermark watermark = Watermark.INITIAL;

        Node(Operator operator, PlanNode plan) {
            this.operator = operator;
            this.plan = plan;
        }

        String description() {
            if (description == null) {
                description = plan.explain();
            }
            return description;
        }
    }

    /** {@code child} is input {@code input} of {@code parent} (a node may be both inputs of a join). */
    private record Edge(Node parent, int input) {
    }

    /**
     * Opens the plan's sources and builds its operators.
     *
     * @param sink receives the root's output batches; may block (a full output queue)
     */
    public QueryRunner(PlanNode plan, SourceOpener opener, InstantSource clock, int maxRowsPerSourceBatch, Consumer<Batch> sink) {
        this(plan, opener, null, null, Optional.empty(), clock, maxRowsPerSourceBatch, sink);
    }

    /**
     * Opens the plan's sources and sink and builds its operators.
     *
     * @param sinkOpener opens the writer of a {@link SinkWrite} root; null when the plan has none
     * @param sharedSources the engine's readers shared between queries; null to give every source its own
     * @param consumerIdPrefix for a persistent query, the prefix of its sources' consumer ids (the
     *        stream name is appended), so that they resume from what they committed
     * @param sink receives the root's output batches; may block (a full output queue)
     */
    public QueryRunner(PlanNode plan, SourceOpener opener, SinkOpener sinkOpener, SharedSources sharedSources,
                       Optional<String> consumerIdPrefix, InstantSource clock, int maxRowsPerSourceBatch,
                       Consumer<Batch> sink) {
        this(plan, opener, sinkOpener, sharedSources, consumerIdPrefix, Optional.empty(), clock, maxRowsPerSourceBatch, sink);
    }

    /**
     * Opens the plan's sources and sink and builds its operators.
     *
     * @param checkpoints present for a query that checkpoints its state: where, and how often; it then
     *        restores its newest checkpoint at its first micro-batch, and its sources commit their
     *        positions only as part of checkpoints
     */
    public QueryRunner(PlanNode plan, SourceOpener opener, SinkOpener sinkOpener, SharedSources sharedSources,
                       Optional<String> consumerIdPrefix, Optional<CheckpointConfig> checkpoints, InstantSource clock,
                       int maxRowsPerSourceBatch, Consumer<Batch> sink) {
        requireNonNull(plan, "plan is null");
        requireNonNull(checkpoints, "checkpoints is null");
        requireNonNull(opener, "opener is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.sink = requireNonNull(sink, "sink is null");
        this.sinkOpener = sinkOpener;
        this.sharedSources = sharedSources;
        this.consumerIdPrefix = requireNonNull(consumerIdPrefix, "consumerIdPrefix is null");
        PlanNode runnable = checkpoints.map(config -> CheckpointedPlan.toRun(plan, config)).orElse(plan);
        try {
            this.root = build(runnable, opener, maxRowsPerSourceBatch, new IdentityHashMap<>());
        } catch (RuntimeException e) {
            closeOperators();
            throw e;
        }
        String fingerprint = CheckpointedPlan.fingerprint(runnable);
        this.checkpointer = checkpoints.map(config -> new QueryCheckpointer(config.queryId(), config.storage(), config.interval(),
                clock, fingerprint, config.compactor()));
    }

    /**
     * Builds {@code plan}'s node and, depth first, its inputs' (node indexes, which number checkpoint
     * sections, are in that order); a plan node reached again through another parent is built once.
     */
    private Node build(PlanNode plan, SourceOpener opener, int maxRowsPerSourceBatch, Map<PlanNode, Node> built) {
        Node node;
        if (plan instanceof SourceScan scan) {
            Optional<String> consumerId = consumerIdPrefix.map(prefix -> consumerId(prefix, scan));
            Source source = opener.source(scan.spec(), consumerId);
            SourceInput input = input(scan, source, consumerId, opener);
            SourceOperator operator = new SourceOperator(scan.spec(), input, maxRowsPerSourceBatch);
            sources.add(operator);
            sourceConsumerIds.add(consumerId);
            sourceConnectors.add(source);
            bounded.add(source.isBounded());
            node = new Node(operator, plan);
        } else if (plan instanceof Calc calc) {
            node = new Node(new CalcOperator(calc.filter(), calc.projection(), calc.outputType()), plan);
        } else if (plan instanceof WindowAggregate aggregate) {
            WindowAggregationBase operator = WindowAggregationBase.create(aggregate);
            windowOperators.add(operator);
            node = new Node(operator, plan);
        } else if (plan instanceof GroupAggregate aggregate) {
            node = new Node(new GroupAggregateOperator(aggregate), plan);
        } else if (plan instanceof io.weir.engine.plan.Changelog changelog) {
            node = new Node(new io.weir.engine.changelog.ChangelogOperator(changelog), plan);
        } else if (plan instanceof io.weir.engine.plan.Rank rank) {
            node = new Node(new io.weir.engine.rank.RankOperator(rank), plan);
        } else if (plan instanceof io.weir.engine.plan.OverAggregate over) {
            node = new Node(new io.weir.engine.over.OverAggregateOperator(over), plan);
        } else if (plan instanceof UnionAll union) {
            node = new Node(new UnionAllOperator(union.inputs().size()), plan);
        } else if (io.weir.engine.join.JoinOperators.isJoin(plan)) {
            node = new Node(io.weir.engine.join.JoinOperators.create(plan, opener), plan);
        } else if (plan instanceof SinkWrite write) {
            if (sinkOpener == null || sinkOperator != null) {
                throw new IllegalArgumentException("a sink must be the plan's root, once, with a sink opener");
            }
            sinkOperator = new SinkOperator(write.spec().objectName(), sinkOpener.open(write.spec(),
                    consumerIdPrefix.map(prefix -> prefix + "." + write.spec().objectName().toLowerCase(Locale.ROOT))));
            node = new Node(sinkOperator, plan);
        } else {
            throw new IllegalArgumentException("unknown plan node " + plan.getClass().getName());
        }
        nodes.add(node);
        built.put(plan, node);
        List<PlanNode> inputs = plan.inputs();
        for (int i = 0; i < inputs.size(); i++) {
            Node child = built.get(inputs.get(i));
            if (child == null) {
                child = build(inputs.get(i), opener, maxRowsPerSourceBatch, built);
            }
            child.parents.add(new Edge(node, i));
            node.children.add(child);
        }
        if (node.operator instanceof CalcOperator calc && node.children.get(0).operator instanceof SourceOperator source) {
            calc.readsFrom(source.rowPositions());
        } else if (node.operator instanceof CalcOperator calc
                && node.children.get(0).operator instanceof io.weir.engine.over.OverAggregateOperator over) {
            calc.readsFrom(over.rowPositions()); // each row an OVER aggregation sends is one it read
        }
        return node;
    }

    /** {@code <prefix>.<stream>}, and {@code <prefix>.<stream>.<n>} for the n-th scan of a stream read more than once. */
    private String consumerId(String prefix, SourceScan scan) {
        String stream = scan.spec().objectName().toLowerCase(Locale.ROOT);
        int occurrence = scansPerStream.merge(stream, 1, Integer::sum);
        return prefix + "." + stream + (occurrence == 1 ? "" : "." + occurrence);
    }

    /** Where the scan takes its rows from: see {@link SourceInputs#open}. */
    private SourceInput input(SourceScan scan, Source source, Optional<String> consumerId, SourceOpener opener) {
        return SourceInputs.open(scan.spec(), source, consumerId, opener, sharedSources);
    }

    /**
     * Restores the query's newest usable checkpoint, once, before its first batch (which calls this
     * too), so that its statistics show the restored state before the first batch, which may be long.
     */
    public void recover() {
        if (closed) {
            throw new IllegalStateException("query runner is closed");
        }
        if (!started) {
            started = true;
            checkpointer.ifPresent(c -> c.recover(checkpointState, sinkWriter()));
        }
    }

    /** Runs one micro-batch; returns the number of rows read from the sources. */
    public long runBatch(io.weir.engine.latency.ResultArrivals arrivals) {
        if (closed) {
            throw new IllegalStateException("query runner is closed");
        }
        recover();
        EvaluationContext context = new EvaluationContext(clock.millis(), watermark.millis(), arrivals);
        for (Node node : nodes) {
            node.ended = false;
            node.operator.startBatch(context);
        }
        long before = rowsIn();
        Optional<BatchPositions> replayed = checkpointer.flatMap(QueryCheckpointer::nextReplay);
        replayed.ifPresent(positions -> positions.sources().forEach((index, end) -> {
            if (index < sources.size()) {
                sources.get(index).replayBatch(end);
            }
        }));
        readSources();
        if (replayed.isPresent()) {
            awaitReplayedRows();
        }
        endBatch(root);
        if (checkpointer.isPresent() && replayed.isEmpty()) {
            logPositions(rowsIn() - before);
        }
        if (sinkOperator != null) {
            // at-least-once: sources record their positions only once the sink holds the batch's rows
            sinkOperator.flush();
        }
        if (lateRowSink != null) {
            // the late rows this batch found: delivered (or staged) before the checkpoint that covers them
            lateRowSink.endBatch(checkpointer.isPresent());
        }
        watermark = root.watermark;
        batches++;
        operatorStatistics = measureOperators();
        if (stateAccount != null) {
            stateAccount.update(stateBytes());
        }
        if (checkpointer.isPresent()) {
            checkpointer.get().afterBatch(checkpointState, sinkWriter(), this::commitSources);
        } else {
            commitSources();
        }
        return rowsIn() - before;
    }

    /** Counts this query's state against the server's budget, from the next micro-batch on. */
    public void trackState(StateMemoryBudget.Account account) {
        this.stateAccount = requireNonNull(account, "account is null");
    }

    /**
     * Drops keys of GROUP BY without a window not updated for {@code ttl} (see
     * {@link GroupAggregateOperator#expireAfter}); call before the first micro-batch.
     */
    public void expireStateAfter(Duration ttl) {
        for (Node node : nodes) {
            if (node.operator instanceof io.weir.engine.state.ExpiringState expiring) {
                expiring.expireAfter(ttl);
            }
        }
    }

    /** The operators' figures as of the last micro-batch (published by the query's thread for others to read). */
    @Override
    public List<OperatorStatistics> operatorStatistics() {
        return operatorStatistics;
    }

    private List<OperatorStatistics> measureOperators() {
        List<OperatorStatistics> measured = new ArrayList<>(nodes.size());
        Map<Node, Integer> depths = new IdentityHashMap<>();
        depths.put(root, 0);
        for (int id = 0; id < nodes.size(); id++) {
            Node node = nodes.get(id); // depth first from the root: a node comes after its first parent
            int depth = depths.getOrDefault(node, 0);
            for (Node child : node.children) {
                depths.putIfAbsent(child, depth + 1);
            }
            measured.add(OperatorStatistics.of(id, depth, node.description(), node.operator, node.rowsIn, node.rowsOut, node.nanos));
        }
        return List.copyOf(measured);
    }

    @Override
    public void routeLateRows(io.weir.engine.late.LateRowRouter router) {
        for (WindowAggregationBase operator : windowOperators) {
            operator.routeLateRows(router);
        }
        for (Node node : nodes) {
            if (node.operator instanceof io.weir.engine.over.OverAggregateOperator over) {
                over.routeLateRows(router);
            }
        }
    }

    /** Keys, windows and buffered rows the operators hold. */
    public long stateRows() {
        return sumOverState(SnapshottableState::stateRows);
    }

    /** An estimate of the memory the operators' state takes. */
    public long stateBytes() {
        return sumOverState(SnapshottableState::stateBytesEstimate);
    }

    private long sumOverState(ToLongFunction<SnapshottableState> measure) {
        long sum = 0;
        for (Node node : nodes) {
            if (node.operator instanceof SnapshottableState state) {
                sum += measure.applyAsLong(state);
            }
        }
        return sum;
    }

    private void readSources() {
        for (Node node : nodes) {
            if (node.operator instanceof SourceOperator source) {
                while (true) {
                    long started = System.nanoTime();
                    Batch batch = source.getOutput();
                    node.nanos += System.nanoTime() - started;
                    if (batch == null) {
                        break;
                    }
                    node.rowsOut += batch.rowCount();
                    deliver(node, batch);
                }
            }
        }
    }

    /**
     * A replayed micro-batch waits until its sources delivered every row it had before (a reader may
     * need a moment to fetch them), for {@link #REPLAY_WAIT} at most: after that it goes on with what
     * it has, so input that is gone (a topic's retention passed) does not stop the query.
     */
    private void awaitReplayedRows() {
        long deadline = System.nanoTime() + REPLAY_WAIT.toNanos();
        while (!sources.stream().allMatch(SourceOperator::replayComplete)) {
            if (System.nanoTime() - deadline > 0) {
                LOG.warn("A replayed micro-batch did not get all of its rows back within {}; it goes on with what its sources"
                        + " delivered (the input may be gone)", REPLAY_WAIT);
                return;
            }
            LockSupport.parkNanos(1_000_000); // readers fetch in the background; nothing to wait on but time
            if (Thread.currentThread().isInterrupted()) {
                throw new WeirException(ErrorCode.QUERY_CANCELLED, "The query was stopped while it replayed a micro-batch");
            }
            readSources();
        }
    }

    /**
     * Logs where the sources that can be read again stand after this batch, before its results are
     * flushed; a batch that read nothing and moved no position is not logged (no fsync for idle queries).
     */
    private void logPositions(long rowsRead) {
        Map<Integer, SplitOffsets> positions = new LinkedHashMap<>();
        for (int i = 0; i < sources.size(); i++) {
            Optional<SplitOffsets> position = sources.get(i).position();
            if (position.isPresent()) {
                positions.put(i, position.get());
            }
        }
        if (!positions.isEmpty() && (rowsRead > 0 || !positions.equals(lastLoggedPositions))) {
            checkpointer.get().logBatch(new BatchPositions(batches + 1, positions));
            lastLoggedPositions = positions;
        }
    }

    private void commitSources() {
        for (SourceOperator source : sources) {
            source.commit();
        }
    }

    private Optional<SinkWriter> sinkWriter() {
        Optional<SinkWriter> writer = sinkOperator == null ? Optional.empty() : Optional.of(sinkOperator.writer());
        return lateRowSink == null ? writer : Optional.of(lateRowSink.withQuerySink(writer));
    }

    @Override
    public void writeLateRows(io.weir.engine.late.LateRowSink sink) {
        this.lateRowSink = java.util.Objects.requireNonNull(sink, "sink is null");
    }

    /**
     * Takes a checkpoint now, at a micro-batch boundary, if the query checkpoints: when it stops
     * cleanly, so that it continues exactly where it was. Returns whether one was completed.
     */
    public boolean checkpointNow() {
        if (checkpointer.isEmpty() || !started || closed) {
            return false;
        }
        return checkpointer.get().checkpoint(checkpointState, sinkWriter(), this::commitSources);
    }

    /** The query's checkpointing so far; {@link CheckpointStatistics#NONE} when it does not checkpoint. */
    public CheckpointStatistics checkpointStatistics() {
        return checkpointer.map(QueryCheckpointer::statistics).orElse(CheckpointStatistics.NONE);
    }

    /** What a checkpoint of this query holds: every stateful operator's state, every source's, the counters. */
    private final CheckpointedQuery checkpointState = new CheckpointedQuery() {
        @Override
        public Map<String, StateBytes> snapshotState(boolean full) {
            Map<String, StateBytes> sections = new LinkedHashMap<>();
            sections.put(CheckpointSections.QUERY, StateBytes.of(QueryCounters.write(batches, rowsWritten())));
            for (int i = 0; i < nodes.size(); i++) {
                if (nodes.get(i).operator instanceof IncrementalState state) {
                    // an operator whose groups mostly changed writes all of them: a delta would be as big, and need merging
                    sections.put(CheckpointSections.operator(i), state.checkpointSnapshot(full || state.mostlyChanged()));
                } else if (nodes.get(i).operator instanceof SnapshottableState state) {
                    sections.put(CheckpointSections.operator(i), StateBytes.of(state.snapshot()));
                }
            }
            for (int i = 0; i < sources.size(); i++) {
                sections.put(CheckpointSections.source(i), StateBytes.of(sources.get(i).snapshot()));
            }
            return sections;
        }

        @Override
        public void restoreState(Checkpoint checkpoint) {
            checkpoint.section(CheckpointSections.QUERY).ifPresent(bytes -> {
                QueryCounters counters = QueryCounters.read(bytes);
                batches = counters.batches();
                if (sinkOperator != null) {
                    sinkOperator.restoreRowsWritten(counters.rowsWritten());
                }
            });
            for (int i = 0; i < nodes.size(); i++) {
                if (nodes.get(i).operator instanceof SnapshottableState state) {
                    Optional<byte[]> section = checkpoint.section(CheckpointSections.operator(i));
                    if (section.isPresent()) {
                        state.restore(section.get(), KeyGroupRange.ALL);
                    }
                }
            }
            for (int i = 0; i < sources.size(); i++) {
                SourceOperator source = sources.get(i);
                Optional<byte[]> section = checkpoint.section(CheckpointSections.source(i));
                if (section.isPresent() && !source.restore(section.get())) {
                    LOG.warn("Stream '{}' cannot be read again from a position: rows it delivered after checkpoint {} are not"
                            + " read again", source.spec().objectName(), checkpoint.id());
                }
            }
            watermark = Watermark.INITIAL;
        }

        @Override
        public List<SourcePosition> sourcePositions() {
            List<SourcePosition> positions = new ArrayList<>();
            for (int i = 0; i < sources.size(); i++) {
                SourceOperator source = sources.get(i);
                Optional<String> consumerId = sourceConsumerIds.get(i);
                Optional<SplitOffsets> at = source.position();
                if (consumerId.isPresent() && at.isPresent()) {
                    positions.add(new SourcePosition(consumerId.get(), source.spec().options(), at.get()));
                }
            }
            return positions;
        }

        @Override
        public long batches() {
            return batches;
        }

        @Override
        public long stateRows() {
            return QueryRunner.this.stateRows();
        }
    };

    private void deliver(Node from, Batch batch) {
        if (from.parents.isEmpty()) {
            sink.accept(batch);
            return;
        }
        for (Edge edge : from.parents) {
            Node target = edge.parent();
            if (!target.operator.needsInput()) {
                throw new IllegalStateException(target.operator.getClass().getSimpleName() + " does not accept input");
            }
            long started = System.nanoTime();
            if (target.operator instanceof io.weir.engine.join.TwoInputOperator join) {
                join.addInput(edge.input(), batch);
            } else {
                // where the batch's rows were read: a source's, or a Calc's over one; not known after other operators
                RowPositions positions = from.operator instanceof SourceOperator source ? source.rowPositions()
                        : from.operator instanceof CalcOperator calc ? calc.rowPositions()
                        : from.operator instanceof io.weir.engine.over.OverAggregateOperator over ? over.rowPositions() : null;
                try {
                    if (target.operator instanceof KeepsRowPositions keeping) {
                        keeping.addInput(batch, positions);
                    } else {
                        target.operator.addInput(batch);
                    }
                } catch (WeirException e) {
                    // a function failing in an aggregation
                    throw RowPositions.locate(e, positions, batch);
                }
            }
            target.nanos += System.nanoTime() - started;
            target.rowsIn += batch.rowCount();
            drain(target);
        }
    }

    private void drain(Node node) {
        while (true) {
            long started = System.nanoTime();
            Batch output = node.operator.getOutput();
            node.nanos += System.nanoTime() - started;
            if (output == null) {
                return;
            }
            node.rowsOut += output.rowCount();
            deliver(node, output);
        }
    }

    /**
     * Passes the micro-batch's end through {@code node} once its inputs passed it: their watermarks
     * (and the windows they fired, delivered to every parent) come before its own. Every input ends
     * its batch before the node sees any input's watermark: a join whose first input's watermark
     * fired its windows before the second input delivered the rows of those windows would count
     * them late (an input that was idle in the last batch does not hold the first one back).
     * A node shared by several parents does this once, for the first.
     */
    private void endBatch(Node node) {
        if (node.ended) {
            return;
        }
        node.ended = true;
        if (node.operator instanceof SourceOperator source) {
            long started = System.nanoTime();
            node.watermark = source.endBatch();
            node.nanos += System.nanoTime() - started;
            return;
        }
        for (Node child : node.children) {
            endBatch(child);
        }
        boolean inputsFinished = true;
        for (int i = 0; i < node.children.size(); i++) {
            Node child = node.children.get(i);
            long started = System.nanoTime();
            node.operator.processWatermark(i, child.watermark);
            node.nanos += System.nanoTime() - started;
            inputsFinished &= child.operator.isFinished();
        }
        drain(node);
        if (inputsFinished && !node.finishCalled) {
            node.finishCalled = true;
            long started = System.nanoTime();
            node.operator.finish();
            node.nanos += System.nanoTime() - started;
            drain(node);
        }
        node.watermark = node.operator.outputWatermark();
    }

    /** Whether every source is finished and every window has fired. */
    public boolean isFinished() {
        return root.operator.isFinished() && (root.finishCalled || root.operator instanceof SourceOperator);
    }

    /**
     * Whether the next micro-batch should start at once: a source stopped at its per-batch cap, or a
     * bounded source still has input (bounded queries run as fast as they can read).
     */
    public boolean hasPendingInput() {
        for (int i = 0; i < sources.size(); i++) {
            SourceOperator source = sources.get(i);
            if (source.backlogged() || (bounded.get(i) && !source.isFinished())) {
                return true;
            }
        }
        return false;
    }

    public long rowsIn() {
        long rows = 0;
        for (SourceOperator source : sources) {
            rows += source.rowsRead();
        }
        return rows;
    }

    /** Records its sources hold that the query has not read yet, summed; -1 when no source knows. */
    public long lag() {
        long total = -1;
        for (SourceOperator source : sources) {
            java.util.OptionalLong lag = source.lag();
            if (lag.isPresent()) {
                total = Math.max(total, 0) + lag.getAsLong();
            }
        }
        return total;
    }

    /** Rows written to the plan's sink, 0 when it has none. */
    public long rowsWritten() {
        return sinkOperator == null ? 0 : sinkOperator.rowsWritten();
    }

    public long lateRows() {
        long late = 0;
        for (WindowAggregationBase operator : windowOperators) {
            late += operator.lateRows();
        }
        for (Node node : nodes) {
            late += io.weir.engine.join.JoinOperators.lateRows(node.operator);
            if (node.operator instanceof io.weir.engine.over.OverAggregateOperator over) {
                late += over.lateRows();
            }
        }
        return late;
    }

    public long batches() {
        return batches;
    }

    /** The root's watermark after the last batch. */
    public long watermarkMillis() {
        return watermark.millis();
    }

    /** The window operators, in plan order (for state inspection and snapshots). */
    public List<WindowAggregationBase> windowOperators() {
        return List.copyOf(windowOperators);
    }

    /**
     * Forgets the positions the query's sources committed for it, once it is stopped for good and
     * closed, so that a query started later under its id (a view created again) starts afresh, as its
     * checkpoints are deleted. A source that cannot forget is logged: the query is stopped all the same.
     */
    @Override
    public void forgetConsumers() {
        for (int i = 0; i < sources.size(); i++) {
            Optional<String> consumerId = sourceConsumerIds.get(i);
            Source source = sourceConnectors.get(i);
            if (consumerId.isEmpty() || !source.resumes()) {
                continue;
            }
            try {
                // looked up only now: stopping for good is rare, starting is not
                source.offsetReading().ifPresent(reading -> reading.forget(consumerId.get()));
            } catch (RuntimeException e) {
                LOG.warn("Cannot forget the position of consumer '{}' of stream '{}': {}", consumerId.get(),
                        sources.get(i).spec().objectName(), e.getMessage());
            }
        }
    }

    /** Closes readers and frees operator state. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeOperators();
        }
    }

    private void closeOperators() {
        if (checkpointer != null) {
            checkpointer.ifPresent(QueryCheckpointer::close);
        }
        if (lateRowSink != null) {
            try {
                lateRowSink.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing the late-row sink '{}' failed", lateRowSink.sinkName(), e);
            }
        }
        if (stateAccount != null) {
            stateAccount.close();
        }
        for (Node node : nodes) {
            try {
                node.operator.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing operator {} failed", node.operator.getClass().getSimpleName(), e);
            }
        }
    }
}

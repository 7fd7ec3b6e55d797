package io.weir.engine.parallel;

import io.weir.engine.aggregate.GroupAggregateOperator;
import io.weir.engine.checkpoint.BatchPositions;
import io.weir.engine.checkpoint.Checkpoint;
import io.weir.engine.checkpoint.CheckpointConfig;
import io.weir.engine.checkpoint.CheckpointSections;
import io.weir.engine.checkpoint.CheckpointStatistics;
import io.weir.engine.checkpoint.CheckpointedQuery;
import io.weir.engine.checkpoint.QueryCheckpointer;
import io.weir.engine.exec.CheckpointedPlan;
import io.weir.engine.exec.MicroBatchRunner;
import io.weir.engine.exec.QueryCounters;
import io.weir.engine.expression.EvaluationContext;
import io.weir.engine.join.JoinOperators;
import io.weir.engine.join.RowStore;
import io.weir.engine.operator.CalcOperator;
import io.weir.engine.operator.Operator;
import io.weir.engine.operator.SourceOperator;
import io.weir.engine.operator.UnionAllOperator;
import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.Calc;
import io.weir.engine.plan.GroupAggregate;
import io.weir.engine.plan.IntervalJoin;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SinkWrite;
import io.weir.engine.plan.SourceScan;
import io.weir.engine.plan.UnionAll;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowJoin;
import io.weir.engine.sink.SinkOpener;
import io.weir.engine.sink.SinkOperator;
import io.weir.engine.source.SharedSources;
import io.weir.engine.source.SourceInput;
import io.weir.engine.source.SourceOpener;
import io.weir.engine.state.GroupTable;
import io.weir.engine.state.IncrementalState;
import io.weir.engine.state.RowKeyHasher;
import io.weir.engine.state.SnapshottableState;
import io.weir.engine.state.StateBytes;
import io.weir.engine.state.StateMemoryBudget;
import io.weir.engine.window.WindowAggregationBase;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.connector.SourcePosition;
import io.weir.spi.connector.SplitOffsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

import static java.util.Objects.requireNonNull;

/**
 * Runs a query as N tasks, each a copy of the plan's operator DAG, in stages cut at exchanges (in the
 * style of Spark's micro-batch stages). An exchange sits below every keyed stateful operator (window
 * and group aggregates, interval and window joins): each task sends each row to the task that owns the
 * key group of its grouping or join key ({@link KeyGroupAssignment}), so a task keeps the state of its
 * key groups only. Stateless operators (calculations, unions, lookup joins) run in the stage of their
 * input; an operator that feeds several parents (a shared sub-plan) hands its rows to them through
 * forward exchanges, which keep them in the task, so that each parent's stage runs once they are all
 * there. The splits of a stream (its files, its partitions) are divided among the tasks; a stream that
 * cannot be divided is read by task 0 and its rows spread by the exchange above it.
 *
 * <p>Per micro-batch the stages run bottom-up with a barrier between them; within a stage the tasks
 * run in parallel on the server's {@link WorkerPool} and the query's thread. A task takes the rows the
 * exchanges brought it, reads its sources, then passes watermarks bottom-up as {@code QueryRunner}
 * does, where an exchange stands for the merged watermark of all its producers. So an operator sees
 * the windows fired below it before the watermark that fired them, as at parallelism 1, and window
 * results are the same. The root's rows are handed on (to the client or the sink's one writer) by the
 * query's thread, in task order, so output is deterministic for a given input.
 *
 * <p><b>Checkpoints.</b> A query that checkpoints (a persistent query, a view) does so at micro-batch
 * boundaries, when no row is between tasks, with {@link QueryCheckpointer} as at parallelism 1 and the
 * same layout: the plan's operators and sources are numbered as {@code QueryRunner} numbers them
 * ({@link PlanGraph}); an operator's section is its instances' snapshots combined into the one an
 * instance owning all key groups would have written ({@link SnapshottableState#combine}), a source's
 * section holds the positions and event times of all of its splits, whichever task reads them. A
 * checkpoint restores at any parallelism: each task takes its key-group range of every operator's
 * section and its splits of every source's; counters that belong to no key are restored once. The
 * micro-batches logged since the checkpoint are replayed with their positions per split, each task
 * reading its splits up to them. The sink has one writer, on the query's thread, with the same
 * commit protocol as at parallelism 1, so an exactly-once sink stays exactly-once. Not thread-safe:
 * one query's thread drives it.
 */
public final class ParallelQueryRunner implements MicroBatchRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ParallelQueryRunner.class);
    private static final Duration REPLAY_WAIT = Duration.ofSeconds(30);

    private final int parallelism;
    private final WorkerPool pool;
    private final InstantSource clock;
    private final Consumer<Batch> sink;
    private final List<QueryTask> tasks = new ArrayList<>();
    /** The plan's scans in order, with each task's source operator of it (null where the task does not read it). */
    private final List<Scan> scans = new ArrayList<>();
    /** The sources of every task. */
    private final List<SourceOperator> sources = new ArrayList<>();
    /** The roots of the stages in the order they run (children first), as node numbers. */
    private final List<Integer> stageRoots = new ArrayList<>();
    /** The numbers of the nodes whose operators keep state, in plan order. */
    private final List<Integer> statefulNodes = new ArrayList<>();
    private final List<Operator> allOperators = new ArrayList<>();
    private final SinkOperator sinkOperator;
    /** Where the late rows go ('late-rows.sink'); null: no sink. */
    private io.weir.engine.late.LateRowSink lateRowSink;
    /** The sink's description (EXPLAIN's), when the plan has one; null otherwise. */
    private String sinkDescription;
    /** Per node of the tasks' graph: its description and its depth below the root (the sink's input is one deeper). */
    private List<String> descriptions = List.of();
    private int[] depths = new int[0];
    /** The sink's figures: rows given, rows written on, time spent. */
    private long sinkRowsIn;
    private long sinkRowsOut;
    private long sinkNanos;
    private volatile List<io.weir.engine.exec.OperatorStatistics> operatorStatistics = List.of();
    /** What checkpoint sections add to a node's number: 1 when the plan's root is a sink (it is operator 0). */
    private final int sectionOffset;
    /** Present for a query that checkpoints its state. */
    private final Optional<QueryCheckpointer> checkpointer;
    private boolean started;
    private boolean sinkFinished;
    private Watermark watermark = Watermark.INITIAL;
    private long batches;
    private boolean closed;
    private StateMemoryBudget.Account stateAccount;
    private Map<Integer, SplitOffsets> lastLoggedPositions = Map.of();

    /** One scan of the plan: its inputs (and what they tell of the stream) and each task's source over it. */
    private record Scan(ScanInputs inputs, SourceOperator[] perTask) {
        String name() {
            for (SourceOperator source : perTask) {
                if (source != null) {
                    return source.spec().objectName();
                }
            }
            return "?";
        }
    }

    /**
     * A query that does not checkpoint (a push query).
     *
     * @see #ParallelQueryRunner(PlanNode, SourceOpener, SinkOpener, SharedSources, Optional, Optional, InstantSource, int,
     *      Consumer, int, WorkerPool)
     */
    public ParallelQueryRunner(PlanNode plan, SourceOpener opener, SinkOpener sinkOpener, SharedSources sharedSources,
                               Optional<String> consumerIdPrefix, InstantSource clock, int maxRowsPerSourceBatch,
                               Consumer<Batch> sink, int parallelism, WorkerPool pool) {
        this(plan, opener, sinkOpener, sharedSources, consumerIdPrefix, Optional.empty(), clock, maxRowsPerSourceBatch, sink,
                parallelism, pool);
    }

    /**
     * Opens the plan's sources (dividing their splits among the tasks) and sink, and builds N copies
     * of its operators.
     *
     * @param sinkOpener opens the writer of a {@link SinkWrite} root; null when the plan has none
     * @param sharedSources the engine's readers shared between queries, for a stream read by one task;
     *        null to give every source its own reader
     * @param consumerIdPrefix for a persistent query, the prefix of its sources' consumer ids
     * @param checkpoints present for a query that checkpoints its state: it restores its newest
     *        checkpoint (taken at any parallelism) at its first micro-batch, and its sources commit their
     *        positions only as part of checkpoints
     * @param sink receives the root's output batches, on the query's thread; may block
     */
    public ParallelQueryRunner(PlanNode plan, SourceOpener opener, SinkOpener sinkOpener, SharedSources sharedSources,
                               Optional<String> consumerIdPrefix, Optional<CheckpointConfig> checkpoints, InstantSource clock,
                               int maxRowsPerSourceBatch, Consumer<Batch> sink, int parallelism, WorkerPool pool) {
        requireNonNull(plan, "plan is null");
        requireNonNull(opener, "opener is null");
        requireNonNull(consumerIdPrefix, "consumerIdPrefix is null");
        requireNonNull(checkpoints, "checkpoints is null");
        KeyGroupAssignment.checkParallelism(parallelism);
        this.parallelism = parallelism;
        this.pool = requireNonNull(pool, "pool is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.sink = requireNonNull(sink, "sink is null");
        PlanNode runnable = checkpoints.map(config -> CheckpointedPlan.toRun(plan, config)).orElse(plan);
        SinkOperator sinkOp = null;
        List<ScanInputs> opened = new ArrayList<>();
        try {
            PlanNode taskPlan = runnable;
            if (runnable instanceof SinkWrite write) {
                if (sinkOpener == null) {
                    throw new IllegalArgumentException("a plan with a sink needs a sink opener");
                }
                // one writer for the query: the tasks' rows are gathered and written by the query's thread
                sinkOp = new SinkOperator(write.spec().objectName(), sinkOpener.open(write.spec(),
                        consumerIdPrefix.map(prefix -> prefix + "." + write.spec().objectName().toLowerCase(Locale.ROOT))));
                allOperators.add(sinkOp);
                sinkDescription = write.explain();
                taskPlan = write.input();
            }
            PlanGraph graph = PlanGraph.of(taskPlan);
            describe(graph, sinkDescription == null ? 0 : 1);
            ScanOpening opening = new ScanOpening(opener, sharedSources, consumerIdPrefix, parallelism);
            for (int scan : graph.scans()) {
                opened.add(opening.open((SourceScan) graph.node(scan)));
                scans.add(new Scan(opened.get(opened.size() - 1), new SourceOperator[parallelism]));
            }
            Map<Long, Exchange> exchanges = new HashMap<>();
            for (int task = 0; task < parallelism; task++) {
                tasks.add(buildTask(task, graph, opener, maxRowsPerSourceBatch, exchanges));
            }
            addStages(tasks.get(0).root, new boolean[graph.size()]);
            for (TaskNode node : tasks.get(0).nodes) {
                if (node.operator instanceof SnapshottableState) {
                    statefulNodes.add(node.index);
                }
            }
        } catch (RuntimeException e) {
            this.sinkOperator = sinkOp;
            this.sectionOffset = 0;
            this.checkpointer = Optional.empty();
            opened.forEach(ScanInputs::closeUntaken);
            closeOperators();
            throw e;
        }
        this.sinkOperator = sinkOp;
        this.sectionOffset = sinkOp == null ? 0 : 1;
        String fingerprint = CheckpointedPlan.fingerprint(runnable);
        this.checkpointer = checkpoints.map(config -> new QueryCheckpointer(config.queryId(), config.storage(), config.interval(),
                clock, fingerprint, config.compactor()));
        LOG.debug("Running a query as {} tasks in {} stages", parallelism, stageRoots.size());
    }

    /** Task {@code task}'s copy of the operators, linked as the plan's DAG, with the exchanges the tasks share. */
    private QueryTask buildTask(int task, PlanGraph graph, SourceOpener opener, int maxRowsPerSourceBatch,
                                Map<Long, Exchange> exchanges) {
        List<TaskNode> nodes = new ArrayList<>(graph.size());
        int scan = 0;
        for (int index = 0; index < graph.size(); index++) {
            PlanNode plan = graph.node(index);
            Operator operator;
            if (plan instanceof SourceScan scanNode) {
                Scan opened = scans.get(scan++);
                Optional<SourceInput> input = opened.inputs().take(task);
                if (input.isEmpty()) {
                    operator = new AbsentSourceOperator();
                } else {
                    SourceOperator source = new SourceOperator(scanNode.spec(), input.get(), maxRowsPerSourceBatch);
                    opened.perTask()[task] = source;
                    sources.add(source);
                    operator = source;
                }
            } else {
                operator = operator(plan, opener);
            }
            allOperators.add(operator);
            nodes.add(new TaskNode(index, operator));
        }
        for (int index = 0; index < graph.size(); index++) {
            TaskNode node = nodes.get(index);
            int[] inputs = graph.inputs(index);
            for (int input = 0; input < inputs.length; input++) {
                TaskNode child = nodes.get(inputs[input]);
                Exchange exchange = exchange(graph, index, input, exchanges);
                node.children.add(child);
                node.inputExchanges.add(exchange);
                child.outputs.add(new TaskNode.Output(node, input, exchange));
            }
            if (node.operator instanceof CalcOperator calc && node.inputExchanges.get(0) == null
                    && node.children.get(0).operator instanceof SourceOperator source) {
                calc.readsFrom(source.rowPositions());
            } else if (node.operator instanceof CalcOperator calc && node.inputExchanges.get(0) == null
                    && node.children.get(0).operator instanceof io.weir.engine.over.OverAggregateOperator over) {
                calc.readsFrom(over.rowPositions()); // each row an OVER aggregation sends is one it read
            }
        }
        return new QueryTask(task, nodes.get(0), nodes);
    }

    /**
     * The exchange of input {@code input} of node {@code parent}, one for all tasks: by key below a keyed
     * operator, forward from a node that feeds several parents, none (null) otherwise.
     */
    private Exchange exchange(PlanGraph graph, int parent, int input, Map<Long, Exchange> exchanges) {
        RowKeyHasher key = exchangeKey(graph.node(parent), input);
        int child = graph.inputs(parent)[input];
        if (key == null && graph.parentEdges(child) < 2) {
            return null;
        }
        return exchanges.computeIfAbsent(((long) parent << 32) | input,
                edge -> key == null ? Exchange.forward(parallelism) : new Exchange(key, parallelism));
    }

    private static Operator operator(PlanNode plan, SourceOpener opener) {
        if (plan instanceof Calc calc) {
            return new CalcOperator(calc.filter(), calc.projection(), calc.outputType());
        }
        if (plan instanceof WindowAggregate aggregate) {
            return WindowAggregationBase.create(aggregate);
        }
        if (plan instanceof GroupAggregate aggregate) {
            return new GroupAggregateOperator(aggregate);
        }
        if (plan instanceof io.weir.engine.plan.Changelog changelog) {
            // its input, an aggregation by the same keys, keeps each group in one task: no exchange
            return new io.weir.engine.changelog.ChangelogOperator(changelog);
        }
        if (plan instanceof io.weir.engine.plan.Rank rank) {
            return new io.weir.engine.rank.RankOperator(rank);
        }
        if (plan instanceof io.weir.engine.plan.OverAggregate over) {
            return new io.weir.engine.over.OverAggregateOperator(over);
        }
        if (plan instanceof UnionAll union) {
            return new UnionAllOperator(union.inputs().size());
        }
        if (JoinOperators.isJoin(plan)) {
            return JoinOperators.create(plan, opener);
        }
        throw new IllegalArgumentException("cannot run " + plan.getClass().getSimpleName() + " in a parallel task");
    }

    /** Post-order over the DAG: a stage runs after the stages of every node below it. */
    private void addStages(TaskNode node, boolean[] visited) {
        if (visited[node.index]) {
            return;
        }
        visited[node.index] = true;
        for (TaskNode child : node.children) {
            addStages(child, visited);
        }
        if (node.isStageRoot()) {
            stageRoots.add(node.index);
        }
    }

    /**
     * The key the rows of input {@code input} of {@code plan} are exchanged by, hashed as the operator's
     * state hashes it; null when they stay in their task.
     */
    static RowKeyHasher exchangeKey(PlanNode plan, int input) {
        if (plan instanceof WindowAggregate aggregate) {
            return GroupTable.hasher(aggregate.input().outputType(), aggregate.groupKeys());
        }
        if (plan instanceof GroupAggregate aggregate) {
            return GroupTable.hasher(aggregate.input().outputType(), aggregate.groupKeys());
        }
        if (plan instanceof io.weir.engine.plan.Rank rank) {
            return RowStore.hasher(keys(rank.partitionKeys()));
        }
        if (plan instanceof io.weir.engine.plan.OverAggregate over) {
            return RowStore.hasher(keys(over.partitionKeys()));
        }
        if (plan instanceof IntervalJoin join) {
            return RowStore.hasher(keys(input == 0 ? join.leftKeys() : join.rightKeys()));
        }
        if (plan instanceof WindowJoin join) {
            return RowStore.hasher(keys(input == 0 ? join.leftKeys() : join.rightKeys()));
        }
        return null;
    }

    private static int[] keys(List<Integer> keys) {
        return keys.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Restores the query's newest usable checkpoint, once, before its first batch (which calls this
     * too), so that its statistics show the restored state before the first batch, which may be long.
     */
    @Override
    public void recover() {
        if (closed) {
            throw new IllegalStateException("query runner is closed");
        }
        if (!started) {
            started = true;
            checkpointer.ifPresent(c -> c.recover(checkpointState, sinkWriter()));
        }
    }

    @Override
    public long runBatch(io.weir.engine.latency.ResultArrivals arrivals) {
        if (closed) {
            throw new IllegalStateException("query runner is closed");
        }
        recover();
        EvaluationContext context = new EvaluationContext(clock.millis(), watermark.millis(), arrivals);
        long before = rowsIn();
        for (QueryTask task : tasks) {
            task.startBatch(context);
        }
        if (sinkOperator != null) {
            sinkOperator.startBatch(context);
        }
        Optional<BatchPositions> replayed = checkpointer.flatMap(QueryCheckpointer::nextReplay);
        replayed.ifPresent(this::replay);
        long replayDeadline = replayed.isPresent() ? Math.max(1, System.nanoTime() + REPLAY_WAIT.toNanos()) : 0;
        for (QueryTask task : tasks) {
            task.replayDeadline = replayDeadline;
        }
        for (int stageRoot : stageRoots) {
            List<Runnable> work = new ArrayList<>(parallelism);
            for (QueryTask task : tasks) {
                TaskNode root = task.nodes.get(stageRoot);
                work.add(() -> task.runStage(root));
            }
            pool.runAll(work);
            for (TaskNode.Output output : tasks.get(0).nodes.get(stageRoot).outputs) {
                output.exchange().closeBatch();
            }
        }
        if (checkpointer.isPresent() && replayed.isEmpty()) {
            // before the batch's results reach the sink: a crash after they did replays exactly this batch
            logPositions(rowsIn() - before);
        }
        Watermark[] roots = new Watermark[parallelism];
        boolean[] finished = new boolean[parallelism];
        for (QueryTask task : tasks) {
            for (Batch batch : task.results) {
                deliver(batch);
            }
            task.results.clear();
            roots[task.index] = task.root.watermark;
            finished[task.index] = task.isFinished();
        }
        Watermark combined = Exchange.merge(roots, finished);
        watermark = combined.isFinished() ? combined : new Watermark(Math.max(watermark.millis(), combined.millis()), combined.idle());
        if (sinkOperator != null) {
            sinkOperator.processWatermark(0, watermark);
            if (allFinished() && !sinkFinished) {
                sinkFinished = true;
                sinkOperator.finish();
            }
            // at-least-once: sources record their positions only once the sink holds the batch's rows
            sinkOperator.flush();
        }
        if (lateRowSink != null) {
            // the late rows this batch found: delivered (or staged) before the checkpoint that covers them
            lateRowSink.endBatch(checkpointer.isPresent());
        }
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

    /** This micro-batch replays one that ran before the query stopped: each task's sources read their splits up to its positions. */
    private void replay(BatchPositions positions) {
        positions.sources().forEach((index, end) -> {
            if (index >= scans.size()) {
                return;
            }
            Scan scan = scans.get(index);
            for (int task = 0; task < parallelism; task++) {
                SourceOperator source = scan.perTask()[task];
                if (source != null) {
                    source.replayBatch(ownOffsets(end, scan.inputs().ownsSplit(task)));
                }
            }
        });
    }

    private static SplitOffsets ownOffsets(SplitOffsets offsets, Predicate<String> ownsSplit) {
        Map<String, Long> own = new LinkedHashMap<>();
        offsets.forEach((split, offset) -> {
            if (ownsSplit.test(split)) {
                own.put(split, offset);
            }
        });
        return SplitOffsets.of(own);
    }

    /**
     * Logs where the scans that can be read again stand after this batch (each the positions of all of
     * its splits, whichever task reads them); a batch that read nothing and moved no position is not logged.
     */
    private void logPositions(long rowsRead) {
        Map<Integer, SplitOffsets> positions = new LinkedHashMap<>();
        for (int i = 0; i < scans.size(); i++) {
            Optional<SplitOffsets> position = position(scans.get(i));
            if (position.isPresent()) {
                positions.put(i, position.get());
            }
        }
        if (!positions.isEmpty() && (rowsRead > 0 || !positions.equals(lastLoggedPositions))) {
            checkpointer.get().logBatch(new BatchPositions(batches + 1, positions));
            lastLoggedPositions = positions;
        }
    }

    /** The positions of every split of the scan, gathered from the tasks that read them; empty when none reads by offsets. */
    private static Optional<SplitOffsets> position(Scan scan) {
        Map<String, Long> offsets = null;
        for (SourceOperator source : scan.perTask()) {
            if (source == null) {
                continue;
            }
            Optional<SplitOffsets> position = source.position();
            if (position.isPresent()) {
                offsets = offsets == null ? new LinkedHashMap<>() : offsets;
                offsets.putAll(position.get().offsets());
            }
        }
        return Optional.ofNullable(offsets).map(SplitOffsets::of);
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

    private void deliver(Batch batch) {
        if (sinkOperator == null) {
            sink.accept(batch);
            return;
        }
        long started = System.nanoTime();
        sinkOperator.addInput(batch);
        sinkRowsIn += batch.rowCount();
        Batch output;
        while ((output = sinkOperator.getOutput()) != null) {
            sinkRowsOut += output.rowCount();
            sink.accept(output);
        }
        sinkNanos += System.nanoTime() - started;
    }

    /** Each node's description and depth, for the operators' figures. */
    private void describe(PlanGraph graph, int rootDepth) {
        List<String> described = new ArrayList<>(graph.size());
        int[] depth = new int[graph.size()];
        java.util.Arrays.fill(depth, -1);
        depth[0] = rootDepth;
        for (int index = 0; index < graph.size(); index++) {
            described.add(graph.node(index).explain());
            for (int child : graph.inputs(index)) {
                if (depth[child] < 0) {
                    depth[child] = depth[index] + 1;
                }
            }
        }
        descriptions = List.copyOf(described);
        depths = depth;
    }

    /** The operators' figures after the last micro-batch, summed over the tasks; the sink first when there is one. */
    @Override
    public List<io.weir.engine.exec.OperatorStatistics> operatorStatistics() {
        return operatorStatistics;
    }

    private List<io.weir.engine.exec.OperatorStatistics> measureOperators() {
        List<io.weir.engine.exec.OperatorStatistics> measured = new ArrayList<>(descriptions.size() + 1);
        int offset = 0;
        if (sinkDescription != null) {
            measured.add(new io.weir.engine.exec.OperatorStatistics(0, 0, sinkDescription, sinkRowsIn, sinkRowsOut, sinkNanos, 0, 0));
            offset = 1;
        }
        for (int index = 0; index < descriptions.size(); index++) {
            io.weir.engine.exec.OperatorStatistics sum = null;
            for (QueryTask task : tasks) {
                TaskNode node = task.nodes.get(index);
                io.weir.engine.exec.OperatorStatistics one = io.weir.engine.exec.OperatorStatistics.of(index + offset, depths[index],
                        descriptions.get(index), node.operator, node.rowsIn, node.rowsOut, node.nanos);
                sum = sum == null ? one : sum.plus(one);
            }
            measured.add(sum);
        }
        return List.copyOf(measured);
    }

    private boolean allFinished() {
        for (QueryTask task : tasks) {
            if (!task.isFinished()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean isFinished() {
        return allFinished() && (sinkOperator == null || sinkFinished);
    }

    @Override
    public boolean hasPendingInput() {
        for (Scan scan : scans) {
            for (SourceOperator source : scan.perTask()) {
                if (source != null && (source.backlogged() || (scan.inputs().bounded() && !source.isFinished()))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Takes a checkpoint now, at a micro-batch boundary, if the query checkpoints: when it stops
     * cleanly, so that it continues exactly where it was. Returns whether one was completed.
     */
    @Override
    public boolean checkpointNow() {
        if (checkpointer.isEmpty() || !started || closed) {
            return false;
        }
        return checkpointer.get().checkpoint(checkpointState, sinkWriter(), this::commitSources);
    }

    @Override
    public CheckpointStatistics checkpointStatistics() {
        return checkpointer.map(QueryCheckpointer::statistics).orElse(CheckpointStatistics.NONE);
    }

    /**
     * What a checkpoint of this query holds, laid out as at parallelism 1: per stateful operator the
     * snapshots of its N instances combined, per scan the positions and event times of all its splits.
     */
    private final CheckpointedQuery checkpointState = new CheckpointedQuery() {
        @Override
        public Map<String, StateBytes> snapshotState(boolean full) {
            Map<String, StateBytes> sections = new LinkedHashMap<>();
            sections.put(CheckpointSections.QUERY, StateBytes.of(QueryCounters.write(batches, rowsWritten())));
            // deltas of one operator must chain in every task: all its instances write full ones when one must
            boolean[] fullNode = new boolean[statefulNodes.size()];
            for (int s = 0; s < fullNode.length; s++) {
                fullNode[s] = full;
                for (QueryTask task : tasks) {
                    if (task.nodes.get(statefulNodes.get(s)).operator instanceof IncrementalState state && state.mostlyChanged()) {
                        fullNode[s] = true;
                    }
                }
            }
            // the tasks' snapshots are taken in parallel: writing a million groups takes a while
            StateBytes[][] snapshots = new StateBytes[statefulNodes.size()][parallelism];
            List<Runnable> work = new ArrayList<>(parallelism);
            for (QueryTask task : tasks) {
                work.add(() -> {
                    for (int s = 0; s < fullNode.length; s++) {
                        Operator operator = task.nodes.get(statefulNodes.get(s)).operator;
                        snapshots[s][task.index] = operator instanceof IncrementalState state
                                ? state.checkpointSnapshot(fullNode[s]) : StateBytes.of(((SnapshottableState) operator).snapshot());
                    }
                });
            }
            pool.runAll(work);
            for (int s = 0; s < fullNode.length; s++) {
                SnapshottableState first = (SnapshottableState) tasks.get(0).nodes.get(statefulNodes.get(s)).operator;
                sections.put(CheckpointSections.operator(statefulNodes.get(s) + sectionOffset), first.combine(List.of(snapshots[s])));
            }
            for (int i = 0; i < scans.size(); i++) {
                List<byte[]> parts = new ArrayList<>();
                for (SourceOperator source : scans.get(i).perTask()) {
                    if (source != null) {
                        parts.add(source.snapshot());
                    }
                }
                sections.put(CheckpointSections.source(i), StateBytes.of(SourceOperator.combine(parts, scans.get(i).name())));
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
            List<byte[]> sections = new ArrayList<>(statefulNodes.size());
            for (int node : statefulNodes) {
                sections.add(checkpoint.section(CheckpointSections.operator(node + sectionOffset)).orElse(null));
            }
            List<Runnable> work = new ArrayList<>(parallelism);
            for (QueryTask task : tasks) {
                work.add(() -> {
                    for (int s = 0; s < sections.size(); s++) {
                        if (sections.get(s) != null) {
                            ((SnapshottableState) task.nodes.get(statefulNodes.get(s)).operator).restore(sections.get(s),
                                    KeyGroupAssignment.rangeOf(task.index, parallelism));
                        }
                    }
                });
            }
            pool.runAll(work);
            for (int i = 0; i < scans.size(); i++) {
                Optional<byte[]> section = checkpoint.section(CheckpointSections.source(i));
                if (section.isEmpty()) {
                    continue;
                }
                Scan scan = scans.get(i);
                boolean countersRestored = false;
                boolean positioned = false;
                for (int task = 0; task < parallelism; task++) {
                    SourceOperator source = scan.perTask()[task];
                    if (source != null) {
                        positioned |= source.restore(section.get(), scan.inputs().ownsSplit(task), !countersRestored);
                        countersRestored = true;
                    }
                }
                if (countersRestored && !positioned) {
                    LOG.warn("Stream '{}' cannot be read again from a position: rows it delivered after checkpoint {} are not"
                            + " read again", scan.name(), checkpoint.id());
                }
            }
            watermark = Watermark.INITIAL;
        }

        @Override
        public List<SourcePosition> sourcePositions() {
            List<SourcePosition> positions = new ArrayList<>();
            for (Scan scan : scans) {
                Optional<SplitOffsets> at = position(scan);
                Optional<String> consumerId = scan.inputs().consumerId();
                SourceOperator any = null;
                for (SourceOperator source : scan.perTask()) {
                    any = any == null ? source : any;
                }
                if (consumerId.isPresent() && at.isPresent() && any != null) {
                    positions.add(new SourcePosition(consumerId.get(), any.spec().options(), at.get()));
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
            return ParallelQueryRunner.this.stateRows();
        }
    };

    @Override
    public void trackState(StateMemoryBudget.Account account) {
        this.stateAccount = requireNonNull(account, "account is null");
    }

    @Override
    public void expireStateAfter(Duration ttl) {
        for (Operator operator : allOperators) {
            if (operator instanceof io.weir.engine.state.ExpiringState expiring) {
                expiring.expireAfter(ttl);
            }
        }
    }

    @Override
    public void routeLateRows(io.weir.engine.late.LateRowRouter router) {
        for (Operator operator : allOperators) {
            if (operator instanceof WindowAggregationBase window) {
                window.routeLateRows(router);
            } else if (operator instanceof io.weir.engine.over.OverAggregateOperator over) {
                over.routeLateRows(router);
            }
        }
    }

    @Override
    public long rowsIn() {
        long rows = 0;
        for (SourceOperator source : sources) {
            rows += source.rowsRead();
        }
        return rows;
    }

    @Override
    public long rowsWritten() {
        return sinkOperator == null ? 0 : sinkOperator.rowsWritten();
    }

    @Override
    public long lateRows() {
        long late = 0;
        for (Operator operator : allOperators) {
            if (operator instanceof WindowAggregationBase window) {
                late += window.lateRows();
            } else if (operator instanceof io.weir.engine.over.OverAggregateOperator over) {
                late += over.lateRows();
            }
            late += JoinOperators.lateRows(operator);
        }
        return late;
    }

    @Override
    public long batches() {
        return batches;
    }

    @Override
    public long watermarkMillis() {
        return watermark.millis();
    }

    @Override
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

    @Override
    public long stateRows() {
        return sumOverState(SnapshottableState::stateRows);
    }

    @Override
    public long stateBytes() {
        return sumOverState(SnapshottableState::stateBytesEstimate);
    }

    private long sumOverState(ToLongFunction<SnapshottableState> measure) {
        long sum = 0;
        for (Operator operator : allOperators) {
            if (operator instanceof SnapshottableState state) {
                sum += measure.applyAsLong(state);
            }
        }
        return sum;
    }

    @Override
    public int parallelism() {
        return parallelism;
    }

    /**
     * Forgets the positions the query's scans committed for it, once it is stopped for good and closed,
     * so that a query started later under its id starts afresh; a source that cannot is logged.
     */
    @Override
    public void forgetConsumers() {
        for (Scan scan : scans) {
            Optional<String> consumerId = scan.inputs().consumerId();
            if (consumerId.isEmpty() || !scan.inputs().source().resumes()) {
                continue;
            }
            try {
                scan.inputs().source().offsetReading().ifPresent(reading -> reading.forget(consumerId.get()));
            } catch (RuntimeException e) {
                LOG.warn("Cannot forget the position of consumer '{}' of stream '{}': {}", consumerId.get(), scan.name(),
                        e.getMessage());
            }
        }
    }

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
        for (Operator operator : allOperators) {
            try {
                operator.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing operator {} failed", operator.getClass().getSimpleName(), e);
            }
        }
    }
}

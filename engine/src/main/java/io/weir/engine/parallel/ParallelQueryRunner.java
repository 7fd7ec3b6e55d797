package io.weir.engine.parallel;

import io.weir.engine.aggregate.GroupAggregateOperator;
import io.weir.engine.checkpoint.CheckpointStatistics;
import io.weir.engine.exec.MicroBatchRunner;
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
import io.weir.engine.state.RowKeyHasher;
import io.weir.engine.state.SnapshottableState;
import io.weir.engine.state.StateMemoryBudget;
import io.weir.engine.window.WindowAggregationBase;
import io.weir.spi.batch.Batch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

import static java.util.Objects.requireNonNull;

/**
 * Runs a query as N tasks, each a copy of the plan's operators, in stages cut at exchanges (in the
 * style of Spark's micro-batch stages). An exchange sits below every keyed stateful operator (window
 * and group aggregates, interval and window joins): each task sends each row to the task that owns the
 * key group of its grouping or join key ({@link KeyGroupAssignment}), so a task keeps the state of its
 * key groups only. Stateless operators (calculations, unions, lookup joins) run in the stage of their
 * input. The splits of a stream (its files) are divided among the tasks; a stream that cannot be
 * divided is read by task 0 and its rows spread by the exchange above it.
 *
 * <p>Per micro-batch the stages run bottom-up with a barrier between them; within a stage the tasks
 * run in parallel on the server's {@link WorkerPool} and the query's thread. A task takes the rows the
 * exchanges brought it, reads its sources, then passes watermarks bottom-up as {@code QueryRunner}
 * does, where an exchange stands for the merged watermark of all its producers. So an operator sees
 * the windows fired below it before the watermark that fired them, as at parallelism 1, and window
 * results are the same. The root's rows are handed on (to the client or the sink) by the query's
 * thread, in task order, so output is deterministic for a given input.
 *
 * <p>Not for queries that checkpoint (persistent queries and views run on one task for now). Not
 * thread-safe: one query's thread drives it.
 */
public final class ParallelQueryRunner implements MicroBatchRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ParallelQueryRunner.class);

    private final int parallelism;
    private final WorkerPool pool;
    private final InstantSource clock;
    private final Consumer<Batch> sink;
    private final List<QueryTask> tasks = new ArrayList<>();
    /** The sources of every task, and whether the stream of each is bounded. */
    private final List<SourceOperator> sources = new ArrayList<>();
    private final List<Boolean> bounded = new ArrayList<>();
    /** The roots of the stages in the order they run (children first), as indexes into a task's nodes. */
    private final List<Integer> stageRoots = new ArrayList<>();
    /** The exchange above each stage root but the last, by the root's index in a task's nodes; shared by the tasks. */
    private final Map<Integer, Exchange> exchanges = new HashMap<>();
    private final List<Operator> allOperators = new ArrayList<>();
    private final SinkOperator sinkOperator;
    private boolean sinkFinished;
    private Watermark watermark = Watermark.INITIAL;
    private long batches;
    private boolean closed;
    private StateMemoryBudget.Account stateAccount;

    /**
     * Opens the plan's sources (dividing their splits among the tasks) and sink, and builds N copies
     * of its operators.
     *
     * @param sinkOpener opens the writer of a {@link SinkWrite} root; null when the plan has none
     * @param sharedSources the engine's readers shared between queries, for a stream read by one task;
     *        null to give every source its own reader
     * @param consumerIdPrefix for a persistent query, the prefix of its sources' consumer ids
     * @param sink receives the root's output batches, on the query's thread; may block
     */
    public ParallelQueryRunner(PlanNode plan, SourceOpener opener, SinkOpener sinkOpener, SharedSources sharedSources,
                               Optional<String> consumerIdPrefix, InstantSource clock, int maxRowsPerSourceBatch,
                               Consumer<Batch> sink, int parallelism, WorkerPool pool) {
        requireNonNull(plan, "plan is null");
        requireNonNull(opener, "opener is null");
        requireNonNull(consumerIdPrefix, "consumerIdPrefix is null");
        KeyGroupAssignment.checkParallelism(parallelism);
        this.parallelism = parallelism;
        this.pool = requireNonNull(pool, "pool is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.sink = requireNonNull(sink, "sink is null");
        SinkOperator sinkOp = null;
        List<ScanInputs> scans = new ArrayList<>();
        try {
            PlanNode taskPlan = plan;
            if (plan instanceof SinkWrite write) {
                if (sinkOpener == null) {
                    throw new IllegalArgumentException("a plan with a sink needs a sink opener");
                }
                // one writer for the query: the tasks' rows are gathered and written by the query's thread
                sinkOp = new SinkOperator(write.spec().objectName(), sinkOpener.open(write.spec(),
                        consumerIdPrefix.map(prefix -> prefix + "." + write.spec().objectName().toLowerCase(Locale.ROOT))));
                allOperators.add(sinkOp);
                taskPlan = write.input();
            }
            ScanOpening opening = new ScanOpening(opener, sharedSources, consumerIdPrefix, parallelism);
            collectScans(taskPlan, scans, opening);
            for (int task = 0; task < parallelism; task++) {
                TaskBuilder builder = new TaskBuilder(task, opener, scans, maxRowsPerSourceBatch);
                TaskNode root = builder.build(taskPlan, null);
                tasks.add(new QueryTask(task, root, builder.nodes));
            }
            addStages(tasks.get(0).root, tasks.get(0).nodes);
        } catch (RuntimeException e) {
            this.sinkOperator = sinkOp;
            scans.forEach(ScanInputs::closeUntaken);
            closeOperators();
            throw e;
        }
        this.sinkOperator = sinkOp;
        LOG.debug("Running a query as {} tasks in {} stages", parallelism, stageRoots.size());
    }

    private void collectScans(PlanNode plan, List<ScanInputs> scans, ScanOpening opening) {
        if (plan instanceof SourceScan scan) {
            scans.add(opening.open(scan));
            return;
        }
        for (PlanNode input : plan.inputs()) {
            collectScans(input, scans, opening);
        }
    }

    /** Post-order over the stage roots: a stage runs after the stages that feed it. */
    private void addStages(TaskNode node, List<TaskNode> nodes) {
        for (TaskNode child : node.children) {
            addStages(child, nodes);
        }
        if (node.parent == null || node.exchange != null) {
            stageRoots.add(nodes.indexOf(node));
        }
    }

    /** Builds one task's copy of the operators. */
    private final class TaskBuilder {
        final int task;
        final SourceOpener opener;
        final List<ScanInputs> scans;
        final int maxRowsPerSourceBatch;
        final List<TaskNode> nodes = new ArrayList<>();
        int scanIndex;
        int nodeIndex;

        TaskBuilder(int task, SourceOpener opener, List<ScanInputs> scans, int maxRowsPerSourceBatch) {
            this.task = task;
            this.opener = opener;
            this.scans = scans;
            this.maxRowsPerSourceBatch = maxRowsPerSourceBatch;
        }

        TaskNode build(PlanNode plan, RowKeyHasher exchangeKey) {
            TaskNode node = new TaskNode(operator(plan));
            int index = nodeIndex++;
            nodes.add(node);
            allOperators.add(node.operator);
            if (exchangeKey != null) {
                node.exchange = exchanges.computeIfAbsent(index, i -> new Exchange(exchangeKey, parallelism));
            }
            List<PlanNode> inputs = plan.inputs();
            for (int i = 0; i < inputs.size(); i++) {
                TaskNode child = build(inputs.get(i), exchangeKey(plan, i));
                child.parent = node;
                child.input = i;
                node.children.add(child);
            }
            return node;
        }

        private Operator operator(PlanNode plan) {
            if (plan instanceof SourceScan scan) {
                ScanInputs inputs = scans.get(scanIndex++);
                Optional<SourceInput> input = inputs.take(task);
                if (input.isEmpty()) {
                    return new AbsentSourceOperator();
                }
                SourceOperator source = new SourceOperator(scan.spec(), input.get(), maxRowsPerSourceBatch);
                sources.add(source);
                bounded.add(inputs.bounded());
                return source;
            }
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
            if (plan instanceof UnionAll union) {
                return new UnionAllOperator(union.inputs().size());
            }
            if (JoinOperators.isJoin(plan)) {
                return JoinOperators.create(plan, opener);
            }
            throw new IllegalArgumentException("cannot run " + plan.getClass().getSimpleName() + " in a parallel task");
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

    @Override
    public void recover() {
        if (closed) {
            throw new IllegalStateException("query runner is closed");
        }
    }

    @Override
    public long runBatch() {
        if (closed) {
            throw new IllegalStateException("query runner is closed");
        }
        EvaluationContext context = new EvaluationContext(clock.millis(), watermark.millis());
        long before = rowsIn();
        for (QueryTask task : tasks) {
            task.startBatch(context);
        }
        if (sinkOperator != null) {
            sinkOperator.startBatch(context);
        }
        for (int stageRoot : stageRoots) {
            List<Runnable> work = new ArrayList<>(parallelism);
            for (QueryTask task : tasks) {
                TaskNode root = task.nodes.get(stageRoot);
                work.add(() -> task.runStage(root));
            }
            pool.runAll(work);
            TaskNode producer = tasks.get(0).nodes.get(stageRoot);
            if (producer.exchange != null) {
                producer.exchange.closeBatch();
            }
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
            sinkOperator.flush();
        }
        batches++;
        if (stateAccount != null) {
            stateAccount.update(stateBytes());
        }
        for (SourceOperator source : sources) {
            source.commit();
        }
        return rowsIn() - before;
    }

    private void deliver(Batch batch) {
        if (sinkOperator == null) {
            sink.accept(batch);
            return;
        }
        sinkOperator.addInput(batch);
        Batch output;
        while ((output = sinkOperator.getOutput()) != null) {
            sink.accept(output);
        }
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
        for (int i = 0; i < sources.size(); i++) {
            SourceOperator source = sources.get(i);
            if (source.backlogged() || (bounded.get(i) && !source.isFinished())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean checkpointNow() {
        return false;
    }

    @Override
    public CheckpointStatistics checkpointStatistics() {
        return CheckpointStatistics.NONE;
    }

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

    public int parallelism() {
        return parallelism;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeOperators();
        }
    }

    private void closeOperators() {
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

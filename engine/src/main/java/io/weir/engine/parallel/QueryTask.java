package io.weir.engine.parallel;

import io.weir.engine.expression.EvaluationContext;
import io.weir.engine.join.TwoInputOperator;
import io.weir.engine.operator.CalcOperator;
import io.weir.engine.operator.KeepsRowPositions;
import io.weir.engine.operator.RowPositions;
import io.weir.engine.operator.SourceOperator;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static java.util.Objects.requireNonNull;

/**
 * One of a parallel query's N copies of its operators, with its share of the sources' splits and of
 * the key groups. Runs one stage of a micro-batch at a time, as {@link io.weir.engine.exec.QueryRunner}
 * runs the whole DAG: the rows the exchanges into the stage brought it, then its sources, then the
 * watermarks bottom-up; what the stage's root produces goes to the exchanges above it, or, at the plan's
 * root, into {@link #results} for the query's thread. Used by one thread at a time.
 */
final class QueryTask {
    private static final Logger LOG = LoggerFactory.getLogger(QueryTask.class);

    final int index;
    final TaskNode root;
    /** Every operator, by its number in the plan ({@link PlanGraph}). */
    final List<TaskNode> nodes;
    /** The root's output of the current micro-batch, for the query's thread to gather. */
    final List<Batch> results = new ArrayList<>();
    private final Map<TaskNode, Stage> stages = new HashMap<>();
    /** While a micro-batch is replayed: the {@link System#nanoTime} until which its sources wait for its rows; else 0. */
    long replayDeadline;

    /** The operators of one stage: those below its root down to the exchanges and sources. */
    private record Stage(List<Input> exchangeInputs, List<TaskNode> sources) {
    }

    /** Input {@code input} of {@code node} comes through {@code exchange}. */
    private record Input(TaskNode node, int input, Exchange exchange) {
    }

    QueryTask(int index, TaskNode root, List<TaskNode> nodes) {
        this.index = index;
        this.root = requireNonNull(root, "root is null");
        this.nodes = List.copyOf(nodes);
    }

    void startBatch(EvaluationContext context) {
        for (TaskNode node : nodes) {
            node.operator.startBatch(context);
        }
    }

    /** Runs the stage whose root is {@code stageRoot} for one micro-batch. */
    void runStage(TaskNode stageRoot) {
        Stage stage = stages.computeIfAbsent(stageRoot, QueryTask::stageOf);
        for (Input input : stage.exchangeInputs()) {
            for (Exchange.Received received : input.exchange().take(index)) {
                push(input.node(), input.input(), received.batch(), received.positions());
            }
        }
        readSources(stage);
        if (replayDeadline != 0) {
            awaitReplayedRows(stage);
        }
        endBatch(stageRoot);
        for (TaskNode.Output output : stageRoot.outputs) {
            output.exchange().endBatch(index, stageRoot.watermark, stageRoot.operator.isFinished());
        }
    }

    private void readSources(Stage stage) {
        for (TaskNode source : stage.sources()) {
            while (true) {
                long started = System.nanoTime();
                Batch batch = source.operator.getOutput();
                source.nanos += System.nanoTime() - started;
                if (batch == null) {
                    break;
                }
                source.rowsOut += batch.rowCount();
                deliver(source, batch);
            }
        }
    }

    /**
     * A replayed micro-batch waits until this task's sources of the stage delivered every row it had
     * before (their readers fetch in the background), until the deadline at most: then it goes on with
     * what they have, so input that is gone does not stop the query (as at parallelism 1).
     */
    private void awaitReplayedRows(Stage stage) {
        while (!replayComplete(stage)) {
            if (System.nanoTime() - replayDeadline > 0) {
                LOG.warn("A replayed micro-batch did not get all of its rows back in time; task {} goes on with what its"
                        + " sources delivered (the input may be gone)", index);
                return;
            }
            LockSupport.parkNanos(1_000_000); // readers fetch in the background; nothing to wait on but time
            if (Thread.currentThread().isInterrupted()) {
                throw new WeirException(ErrorCode.QUERY_CANCELLED, "The query was stopped while it replayed a micro-batch");
            }
            readSources(stage);
        }
    }

    private static boolean replayComplete(Stage stage) {
        for (TaskNode source : stage.sources()) {
            if (source.operator instanceof SourceOperator operator && !operator.replayComplete()) {
                return false;
            }
        }
        return true;
    }

    private static Stage stageOf(TaskNode stageRoot) {
        List<Input> inputs = new ArrayList<>();
        List<TaskNode> sources = new ArrayList<>();
        collect(stageRoot, inputs, sources);
        return new Stage(List.copyOf(inputs), List.copyOf(sources));
    }

    private static void collect(TaskNode node, List<Input> inputs, List<TaskNode> sources) {
        if (node.children.isEmpty()) {
            sources.add(node);
        }
        for (int i = 0; i < node.children.size(); i++) {
            Exchange exchange = node.inputExchanges.get(i);
            if (exchange != null) {
                inputs.add(new Input(node, i, exchange));
            } else {
                collect(node.children.get(i), inputs, sources);
            }
        }
    }

    private void deliver(TaskNode from, Batch batch) {
        if (from.outputs.isEmpty()) {
            results.add(batch);
            return;
        }
        for (TaskNode.Output output : from.outputs) {
            if (output.exchange() != null) {
                output.exchange().send(index, batch, positionsOf(from));
            } else {
                push(output.parent(), output.input(), batch, positionsOf(from));
            }
        }
    }

    /** Where the rows {@code node} sends were read: a source's, or a Calc's over one; null for other operators. */
    private static RowPositions positionsOf(TaskNode node) {
        return node.operator instanceof SourceOperator source ? source.rowPositions()
                : node.operator instanceof CalcOperator calc ? calc.rowPositions()
                : node.operator instanceof io.weir.engine.over.OverAggregateOperator over ? over.rowPositions() : null;
    }

    /** @param from where the batch's rows were read, for a function failing on one of them (null when not known) */
    private void push(TaskNode target, int input, Batch batch, RowPositions from) {
        if (!target.operator.needsInput()) {
            throw new IllegalStateException(target.operator.getClass().getSimpleName() + " does not accept input");
        }
        long started = System.nanoTime();
        if (target.operator instanceof TwoInputOperator join) {
            join.addInput(input, batch);
        } else {
            try {
                if (target.operator instanceof KeepsRowPositions keeping) {
                    keeping.addInput(batch, from);
                } else {
                    target.operator.addInput(batch);
                }
            } catch (WeirException e) {
                // a function failing in an aggregation, as QueryRunner names it: the rows came from a source (or a Calc over one)
                throw RowPositions.locate(e, from, batch);
            }
        }
        target.nanos += System.nanoTime() - started;
        target.rowsIn += batch.rowCount();
        drain(target);
    }

    private void drain(TaskNode node) {
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
     * As QueryRunner's: every input ends its batch before the node sees a watermark, but an input
     * through an exchange stands for its producers, which ran before, with their merged watermark.
     * Within a stage every node has one parent, so each is ended once.
     */
    private void endBatch(TaskNode node) {
        if (node.operator instanceof SourceOperator source) {
            long started = System.nanoTime();
            node.watermark = source.endBatch();
            node.nanos += System.nanoTime() - started;
            return;
        }
        if (node.children.isEmpty()) {
            node.watermark = node.operator.outputWatermark(); // a source this task does not read
            return;
        }
        for (int i = 0; i < node.children.size(); i++) {
            if (node.inputExchanges.get(i) == null) {
                endBatch(node.children.get(i));
            }
        }
        boolean inputsFinished = true;
        long started = System.nanoTime();
        for (int i = 0; i < node.children.size(); i++) {
            Exchange exchange = node.inputExchanges.get(i);
            if (exchange != null) {
                node.operator.processWatermark(i, exchange.watermark());
                inputsFinished &= exchange.finished();
            } else {
                TaskNode child = node.children.get(i);
                node.operator.processWatermark(i, child.watermark);
                inputsFinished &= child.operator.isFinished();
            }
        }
        node.nanos += System.nanoTime() - started;
        drain(node);
        if (inputsFinished && !node.finishCalled) {
            node.finishCalled = true;
            started = System.nanoTime();
            node.operator.finish();
            node.nanos += System.nanoTime() - started;
            drain(node);
        }
        node.watermark = node.operator.outputWatermark();
    }

    /** Whether this task's part of the query is done: its root finished and every window fired. */
    boolean isFinished() {
        return root.operator.isFinished() && (root.finishCalled || root.children.isEmpty());
    }
}

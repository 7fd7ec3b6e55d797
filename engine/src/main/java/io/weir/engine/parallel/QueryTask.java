package io.weir.engine.parallel;

import io.weir.engine.expression.EvaluationContext;
import io.weir.engine.join.TwoInputOperator;
import io.weir.engine.operator.SourceOperator;
import io.weir.spi.batch.Batch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One of a parallel query's N copies of its operators, with its share of the sources' splits and of
 * the key groups. Runs one stage of a micro-batch at a time, as {@link io.weir.engine.exec.QueryRunner}
 * runs the whole tree: the rows the exchanges below the stage brought it, then its sources, then the
 * watermarks bottom-up; what the stage's root produces goes to the exchange above it, or, at the plan's
 * root, into {@link #results} for the query's thread. Used by one thread at a time.
 */
final class QueryTask {
    final int index;
    final TaskNode root;
    /** Every operator, in the plan's pre-order. */
    final List<TaskNode> nodes;
    /** The root's output of the current micro-batch, for the query's thread to gather. */
    final List<Batch> results = new ArrayList<>();
    private final Map<TaskNode, Stage> stages = new HashMap<>();

    /** The operators of one stage: those below its root down to the exchanges and sources. */
    private record Stage(List<TaskNode> exchangeInputs, List<TaskNode> sources) {
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
        for (TaskNode input : stage.exchangeInputs()) {
            for (Batch batch : input.exchange.take(index)) {
                push(input.parent, input.input, batch);
            }
        }
        for (TaskNode source : stage.sources()) {
            Batch batch;
            while ((batch = source.operator.getOutput()) != null) {
                deliver(source, batch);
            }
        }
        endBatch(stageRoot);
        if (stageRoot.exchange != null) {
            stageRoot.exchange.endBatch(index, stageRoot.watermark, stageRoot.operator.isFinished());
        }
    }

    private static Stage stageOf(TaskNode stageRoot) {
        List<TaskNode> inputs = new ArrayList<>();
        List<TaskNode> sources = new ArrayList<>();
        collect(stageRoot, inputs, sources);
        return new Stage(List.copyOf(inputs), List.copyOf(sources));
    }

    private static void collect(TaskNode node, List<TaskNode> inputs, List<TaskNode> sources) {
        if (node.children.isEmpty()) {
            sources.add(node);
        }
        for (TaskNode child : node.children) {
            if (child.exchange != null) {
                inputs.add(child);
            } else {
                collect(child, inputs, sources);
            }
        }
    }

    private void deliver(TaskNode from, Batch batch) {
        if (from.exchange != null) {
            from.exchange.send(index, batch);
        } else if (from.parent == null) {
            results.add(batch);
        } else {
            push(from.parent, from.input, batch);
        }
    }

    private void push(TaskNode target, int input, Batch batch) {
        if (!target.operator.needsInput()) {
            throw new IllegalStateException(target.operator.getClass().getSimpleName() + " does not accept input");
        }
        if (target.operator instanceof TwoInputOperator join) {
            join.addInput(input, batch);
        } else {
            target.operator.addInput(batch);
        }
        drain(target);
    }

    private void drain(TaskNode node) {
        Batch output;
        while ((output = node.operator.getOutput()) != null) {
            deliver(node, output);
        }
    }

    /** As QueryRunner's: children first, but an exchange below stands for its producers, which ran before. */
    private void endBatch(TaskNode node) {
        if (node.operator instanceof SourceOperator source) {
            node.watermark = source.endBatch();
            return;
        }
        if (node.children.isEmpty()) {
            node.watermark = node.operator.outputWatermark(); // a source this task does not read
            return;
        }
        // every input ends its batch before the node sees a watermark (see QueryRunner.endBatch)
        for (TaskNode child : node.children) {
            if (child.exchange == null) {
                endBatch(child);
            }
        }
        boolean inputsFinished = true;
        for (int i = 0; i < node.children.size(); i++) {
            TaskNode child = node.children.get(i);
            if (child.exchange != null) {
                node.operator.processWatermark(i, child.exchange.watermark());
                inputsFinished &= child.exchange.finished();
            } else {
                node.operator.processWatermark(i, child.watermark);
                inputsFinished &= child.operator.isFinished();
            }
        }
        drain(node);
        if (inputsFinished && !node.finishCalled) {
            node.finishCalled = true;
            node.operator.finish();
            drain(node);
        }
        node.watermark = node.operator.outputWatermark();
    }

    /** Whether this task's part of the query is done: its root finished and every window fired. */
    boolean isFinished() {
        return root.operator.isFinished() && (root.finishCalled || root.children.isEmpty());
    }
}

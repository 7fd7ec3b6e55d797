package io.weir.engine.parallel;

import io.weir.engine.operator.Operator;
import io.weir.engine.operator.Watermark;

import java.util.ArrayList;
import java.util.List;

/**
 * One operator of one task's copy of the plan's DAG. Its output goes to each of its parents: straight
 * into the parent's operator in this task, or through an exchange to the parents' tasks. A node whose
 * output leaves through exchanges only (or the root) is the root of a stage.
 */
final class TaskNode {
    final int index;
    final Operator operator;
    final List<TaskNode> children = new ArrayList<>();
    /** Per input: the exchange its rows come through, null when they come straight from the child in this task. */
    final List<Exchange> inputExchanges = new ArrayList<>();
    final List<Output> outputs = new ArrayList<>();
    boolean finishCalled;
    Watermark watermark = Watermark.INITIAL;
    /** Rows given to it and taken from it in this task, and the time spent in its calls; written by the task's thread. */
    long rowsIn;
    long rowsOut;
    long nanos;

    /** Where the node's rows go: input {@code input} of {@code parent}, through {@code exchange} or (null) straight. */
    record Output(TaskNode parent, int input, Exchange exchange) {
    }

    TaskNode(int index, Operator operator) {
        this.index = index;
        this.operator = operator;
    }

    /** Whether its rows leave the stage: through exchanges, or as the query's result. */
    boolean isStageRoot() {
        for (Output output : outputs) {
            if (output.exchange() == null) {
                return false;
            }
        }
        return true;
    }
}

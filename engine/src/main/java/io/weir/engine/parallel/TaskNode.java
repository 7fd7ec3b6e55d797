package io.weir.engine.parallel;

import io.weir.engine.operator.Operator;
import io.weir.engine.operator.Watermark;

import java.util.ArrayList;
import java.util.List;

/** One operator of one task's copy of the plan. */
final class TaskNode {
    final Operator operator;
    final List<TaskNode> children = new ArrayList<>();
    TaskNode parent;
    /** Which input of {@link #parent} this node feeds. */
    int input;
    /** Present when this node's rows go to its parent's tasks through an exchange: the node is the root of a stage. */
    Exchange exchange;
    boolean finishCalled;
    Watermark watermark = Watermark.INITIAL;

    TaskNode(Operator operator) {
        this.operator = operator;
    }
}

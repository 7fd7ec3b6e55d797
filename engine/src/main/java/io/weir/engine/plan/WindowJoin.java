package io.weir.engine.plan;

import io.weir.engine.expression.BatchFilter;
import io.weir.spi.type.DataType;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Joins the results of two windowed aggregations window by window: rows are held until the
 * watermark of both sides passes their window's end, then matched on the keys (which include
 * window_start and window_end), emitted once and freed. Rows for a window that already fired are
 * late: dropped and counted. Output: the left columns, then the right ones; the watermark is the
 * minimum of the inputs'.
 *
 * @param leftWindowEnd the left input's window_end column (TIMESTAMP), which decides when a row fires
 * @param rightWindowEnd the right input's window_end column
 */
public record WindowJoin(PlanNode left, PlanNode right, List<Integer> leftKeys, List<Integer> rightKeys, int leftWindowEnd,
                         int rightWindowEnd, JoinKind kind, Optional<BatchFilter> condition, String conditionText,
                         List<DataType.Field> outputType) implements PlanNode {
    public WindowJoin {
        requireNonNull(left, "left is null");
        requireNonNull(right, "right is null");
        leftKeys = List.copyOf(leftKeys);
        rightKeys = List.copyOf(rightKeys);
        requireNonNull(kind, "kind is null");
        requireNonNull(condition, "condition is null");
        requireNonNull(conditionText, "conditionText is null");
        outputType = List.copyOf(outputType);
        if (leftKeys.size() != rightKeys.size() || !leftKeys.contains(leftWindowEnd) || !rightKeys.contains(rightWindowEnd)) {
            throw new IllegalArgumentException("a window join's keys pair up and include window_end");
        }
        if (outputType.size() != left.outputType().size() + right.outputType().size()) {
            throw new IllegalArgumentException("output type must be the left columns, then the right ones");
        }
    }

    @Override
    public List<PlanNode> inputs() {
        return List.of(left, right);
    }

    @Override
    public String explain() {
        return "WindowJoin(type=" + kind + ", keys=" + JoinKeys.describe(left, leftKeys) + "=" + JoinKeys.describe(right, rightKeys)
                + ", window end=" + left.outputType().get(leftWindowEnd).name() + "/" + right.outputType().get(rightWindowEnd).name()
                + (conditionText.isEmpty() ? "" : ", condition=[" + conditionText + "]")
                + ", state=rows of each side per open window, freed when the watermark of both passes the window end)";
    }
}

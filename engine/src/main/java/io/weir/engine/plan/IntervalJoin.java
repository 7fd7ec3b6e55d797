package io.weir.engine.plan;

import io.weir.engine.expression.BatchFilter;
import io.weir.spi.type.DataType;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Joins two streams on keys and an event-time bound, {@code lower <= right.time - left.time <= upper}
 * (Flink's interval join): each row is matched against the other side's rows held so far and then
 * held while a future row of the other side can still match it, i.e. until the other side's
 * watermark makes it unmatchable; outer joins emit the unmatched row with NULLs then. The output
 * watermark is the minimum of the inputs' held back by {@code max(-lower, upper)}.
 *
 * @param condition the whole ON condition except the key equalities (including the time bounds), over the output columns
 */
public record IntervalJoin(PlanNode left, PlanNode right, List<Integer> leftKeys, List<Integer> rightKeys, int leftTime,
                           int rightTime, long lowerMillis, long upperMillis, JoinKind kind, Optional<BatchFilter> condition,
                           String conditionText, List<DataType.Field> outputType) implements PlanNode {
    public IntervalJoin {
        requireNonNull(left, "left is null");
        requireNonNull(right, "right is null");
        leftKeys = List.copyOf(leftKeys);
        rightKeys = List.copyOf(rightKeys);
        requireNonNull(kind, "kind is null");
        requireNonNull(condition, "condition is null");
        requireNonNull(conditionText, "conditionText is null");
        outputType = List.copyOf(outputType);
        if (leftKeys.size() != rightKeys.size()) {
            throw new IllegalArgumentException("keys must pair up");
        }
        if (lowerMillis > upperMillis) {
            throw new IllegalArgumentException("empty interval [" + lowerMillis + ", " + upperMillis + "]");
        }
        if (outputType.size() != left.outputType().size() + right.outputType().size()) {
            throw new IllegalArgumentException("output type must be the left columns, then the right ones");
        }
    }

    /** How far the output watermark trails the inputs'. */
    public long outputDelayMillis() {
        return Math.max(0, Math.max(-lowerMillis, upperMillis));
    }

    @Override
    public List<PlanNode> inputs() {
        return List.of(left, right);
    }

    @Override
    public String explain() {
        String leftTimeName = left.outputType().get(leftTime).name();
        String rightTimeName = right.outputType().get(rightTime).name();
        return "IntervalJoin(type=" + kind + ", keys=" + JoinKeys.describe(left, leftKeys) + "=" + JoinKeys.describe(right, rightKeys)
                + ", bounds=[right." + rightTimeName + " - left." + leftTimeName + " between " + lowerMillis + " ms and "
                + upperMillis + " ms]" + (conditionText.isEmpty() ? "" : ", condition=[" + conditionText + "]")
                + ", output watermark delay=" + outputDelayMillis() + " ms"
                + ", state=rows of each side by key until the other side's watermark passes their bound)";
    }
}

package io.weir.engine.join;

import io.weir.engine.expression.BatchFilter;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.batch.BooleanVector;
import io.weir.spi.batch.ColumnVector;
import io.weir.spi.batch.DoubleVector;
import io.weir.spi.batch.LongVector;
import io.weir.spi.batch.ObjectVector;
import io.weir.spi.type.DataType;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Queue;

/**
 * Builds a join's output: candidate pairs (left columns, then right columns) are written to
 * {@link #pairs()} and committed with two tags saying where each side came from; {@link #flushPairs}
 * applies the compiled ON condition (the part that is not an equality of keys) to them at once,
 * reports the pairs that pass, and queues those as output. Rows padded with NULLs for outer joins
 * go to {@link #padded()}, which the condition does not apply to.
 */
final class JoinOutput {
    /** Told about each pair that passed the condition. */
    interface MatchListener {
        void matched(int leftTag, int rightTag);
    }

    private final List<DataType.Field> outputType;
    private final BatchFilter condition;
    private final BatchBuilder pairs;
    private final BatchBuilder padded;
    private final Queue<Batch> ready = new ArrayDeque<>();
    private int[] leftTags = new int[64];
    private int[] rightTags = new int[64];
    private int[] selection = new int[64];

    JoinOutput(List<DataType.Field> outputType, Optional<BatchFilter> condition) {
        this.outputType = List.copyOf(outputType);
        this.condition = condition.orElse(null);
        this.pairs = new BatchBuilder(outputType);
        this.padded = new BatchBuilder(outputType);
    }

    BatchBuilder pairs() {
        return pairs;
    }

    BatchBuilder padded() {
        return padded;
    }

    /** Commits the pair written to {@link #pairs()}. */
    void commitPair(int leftTag, int rightTag) {
        int row = pairs.rowCount();
        if (row == leftTags.length) {
            leftTags = Arrays.copyOf(leftTags, row * 2);
            rightTags = Arrays.copyOf(rightTags, row * 2);
        }
        leftTags[row] = leftTag;
        rightTags[row] = rightTag;
        pairs.commitRow();
    }

    /** Applies the condition to the pairs committed since the last call and queues those that pass. */
    void flushPairs(MatchListener listener) {
        evaluatePairs(listener, true);
    }

    /** Applies the condition to the pairs committed since the last call and reports those that pass, queuing none. */
    void matchPairs(MatchListener listener) {
        evaluatePairs(listener, false);
    }

    private void evaluatePairs(MatchListener listener, boolean queue) {
        int rows = pairs.rowCount();
        if (rows == 0) {
            return;
        }
        Batch batch = pairs.build();
        if (condition == null) {
            for (int row = 0; row < rows; row++) {
                listener.matched(leftTags[row], rightTags[row]);
            }
            if (queue) {
                ready.add(batch);
            }
            return;
        }
        if (selection.length < rows) {
            selection = new int[Math.max(rows, selection.length * 2)];
        }
        for (int row = 0; row < rows; row++) {
            selection[row] = row;
        }
        int selected = condition.filter(batch, selection, rows, selection);
        for (int i = 0; i < selected; i++) {
            listener.matched(leftTags[selection[i]], rightTags[selection[i]]);
        }
        if (!queue) {
            return;
        }
        if (selected == rows) {
            ready.add(batch);
        } else if (selected > 0) {
            BatchBuilder kept = new BatchBuilder(outputType, selected);
            for (int i = 0; i < selected; i++) {
                copyRow(batch, selection[i], 0, outputType.size(), kept, 0);
                kept.commitRow();
            }
            ready.add(kept.build().withArrival(batch.arrivalNanos()));
        }
    }

    /** Queues the padded rows written so far. */
    void flushPadded() {
        if (!padded.isEmpty()) {
            ready.add(padded.build());
        }
    }

    Batch poll() {
        return ready.poll();
    }

    boolean isEmpty() {
        return ready.isEmpty() && pairs.isEmpty() && padded.isEmpty();
    }

    /** Writes {@code count} columns of a batch row, from {@code firstColumn}, to {@code out} from {@code outColumn} on. */
    static void copyRow(Batch batch, int row, int firstColumn, int count, BatchBuilder out, int outColumn) {
        for (int i = 0; i < count; i++) {
            ColumnVector vector = batch.column(firstColumn + i);
            int target = outColumn + i;
            if (vector.isNull(row)) {
                out.setNull(target);
            } else if (vector instanceof LongVector v) {
                out.setLong(target, v.values()[row]);
            } else if (vector instanceof DoubleVector v) {
                out.setDouble(target, v.values()[row]);
            } else if (vector instanceof BooleanVector v) {
                out.setBoolean(target, v.values()[row]);
            } else {
                out.setObject(target, ((ObjectVector) vector).values()[row]);
            }
        }
    }

    /** Writes NULL to {@code count} columns from {@code firstColumn} on. */
    static void writeNulls(BatchBuilder out, int firstColumn, int count) {
        for (int i = 0; i < count; i++) {
            out.setNull(firstColumn + i);
        }
    }
}

package io.weir.engine.join;

import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.WindowJoin;
import io.weir.engine.state.KeyGroupRange;
import io.weir.engine.state.StateReader;
import io.weir.engine.state.StateWriter;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.batch.LongVector;

import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Window join: holds the rows of both sides per window (their time is the window end) until the
 * combined watermark reaches {@code window_end - 1} (when windows fire, as in window aggregation),
 * then matches the window's left rows against its right rows by key, emits the pairs (and, for
 * outer joins, the rows without a partner padded with NULLs) once, and frees the window's rows.
 * A row for a window that already fired is late: dropped and counted.
 */
public final class WindowJoinOperator extends BufferedJoinOperator {
    private final int[] windowEnd;
    private final int leftWidth;
    private final int rightWidth;
    private final boolean keepLeft;
    private final boolean keepRight;
    /** Windows ending at or before this have fired. */
    private long firedThrough = Long.MIN_VALUE;
    private long lateRows;
    private int[] firing = new int[64];
    private final JoinOutput.MatchListener markMatched;
    /** The arrivals of the rows held, by their window's end; rows restored from a checkpoint count from none. */
    private final io.weir.engine.latency.ArrivalLedger heldArrivals = new io.weir.engine.latency.ArrivalLedger();

    public WindowJoinOperator(WindowJoin plan) {
        super("window join", requireNonNull(plan, "plan is null").left().outputType(), plan.leftKeys(),
                plan.right().outputType(), plan.rightKeys(), plan.outputType(), plan.condition());
        windowEnd = new int[] {plan.leftWindowEnd(), plan.rightWindowEnd()};
        leftWidth = plan.left().outputType().size();
        rightWidth = plan.right().outputType().size();
        keepLeft = plan.kind().keepsUnmatchedLeft();
        keepRight = plan.kind().keepsUnmatchedRight();
        markMatched = (left, right) -> {
            stores[0].setMatched(left);
            stores[1].setMatched(right);
        };
    }

    @Override
    public void addInput(int input, Batch batch) {
        RowStore store = stores[input];
        int[] sideKeys = keys[input];
        LongVector ends = (LongVector) batch.column(windowEnd[input]);
        for (int row = 0; row < batch.rowCount(); row++) {
            if (ends.isNull(row)) {
                continue;
            }
            long end = ends.values()[row];
            if (end <= firedThrough) {
                lateRows++;
                continue;
            }
            boolean nullKey = RowStore.hasNullKey(batch, row, sideKeys);
            int id = store.add(batch, row, nullKey ? 0 : RowStore.hash(batch, row, sideKeys), end);
            heaps[input].add(id);
            heldArrivals.hold(end, batch.arrivalNanos(), 1); // its result comes when its window fires
        }
    }

    @Override
    public void processWatermark(int input, Watermark watermark) {
        watermarks[input] = watermark;
        Watermark combined = outputWatermark();
        if (combined.millis() != Long.MIN_VALUE) {
            // a window [start, end) fires once the watermark is at least end - 1
            fire(combined.isFinished() ? Long.MAX_VALUE : combined.millis() + 1);
        }
    }

    /** Matches and frees the rows of every window ending at or before {@code through}. */
    private void fire(long through) {
        if (through <= firedThrough) {
            return;
        }
        firedThrough = through;
        heldArrivals.releaseThrough(through, arrivals);
        int count = 0;
        TimeHeap leftHeap = heaps[0];
        RowStore left = stores[0];
        RowStore right = stores[1];
        BatchBuilder pairs = output.pairs();
        while (!leftHeap.isEmpty() && leftHeap.peekTime() <= through) {
            int id = leftHeap.poll();
            if (count == firing.length) {
                firing = Arrays.copyOf(firing, count * 2);
            }
            firing[count++] = id;
            if (left.hasNullKey(id)) {
                continue;
            }
            for (int other = right.firstWithHash(left.hash(id)); other >= 0; other = right.nextWithHash(other)) {
                if (left.keyEquals(id, right, other)) {
                    left.write(id, pairs, 0);
                    right.write(other, pairs, leftWidth);
                    output.commitPair(id, other);
                }
            }
        }
        output.flushPairs(markMatched);
        BatchBuilder padded = output.padded();
        for (int i = 0; i < count; i++) {
            int id = firing[i];
            if (keepLeft && !left.matched(id)) {
                left.write(id, padded, 0);
                JoinOutput.writeNulls(padded, leftWidth, rightWidth);
                padded.commitRow();
            }
            left.remove(id);
        }
        TimeHeap rightHeap = heaps[1];
        while (!rightHeap.isEmpty() && rightHeap.peekTime() <= through) {
            int id = rightHeap.poll();
            if (keepRight && !right.matched(id)) {
                JoinOutput.writeNulls(padded, 0, leftWidth);
                right.write(id, padded, leftWidth);
                padded.commitRow();
            }
            right.remove(id);
        }
        output.flushPadded();
    }

    @Override
    public Watermark outputWatermark() {
        return Watermark.combine(watermarks);
    }

    @Override
    public void finish() {
        if (!finishing) {
            finishing = true;
            fire(Long.MAX_VALUE);
        }
    }

    /** Rows dropped because their window had already fired. */
    public long lateRows() {
        return lateRows;
    }

    @Override
    protected void writeProgress(StateWriter out) {
        out.writeLong(firedThrough);
        out.writeLong(lateRows);
    }

    @Override
    protected void readProgress(StateReader in, KeyGroupRange keyGroups) {
        heldArrivals.clear();
        firedThrough = in.readLong();
        long late = in.readLong();
        lateRows = keyGroups.holdsCounters() ? late : 0;
    }

    @Override
    protected void combineProgress(List<StateReader> instances, StateWriter out) {
        long late = 0;
        for (int i = 0; i < instances.size(); i++) {
            long fired = instances.get(i).readLong();
            late += instances.get(i).readLong();
            if (i == 0) {
                out.writeLong(fired);
            }
        }
        out.writeLong(late);
    }
}

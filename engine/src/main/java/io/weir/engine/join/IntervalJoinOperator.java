package io.weir.engine.join;

import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.IntervalJoin;
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
 * Interval join ({@code lower <= right.time - left.time <= upper}, Flink's semantics): a row is
 * matched at once against the rows the other side holds with its key (the compiled condition checks
 * the time bound and the rest of ON), then held while a future row of the other side can still
 * match it. Rows of the other side that are not late have a time of at least that side's
 * watermark, so a left row is dropped once {@code left.time + upper < right watermark} and a right
 * row once {@code right.time - lower < left watermark}; outer joins emit it padded with NULLs then
 * if it never matched. A row with a NULL time or key matches nothing.
 */
public final class IntervalJoinOperator extends BufferedJoinOperator {


    private final int[] timeColumn;
    private final int[] widths;
    private final boolean[] keepUnmatched;
    /** How far past a row's time the other side's watermark must be for the row to expire, per side. */
    private final long[] retention;
    private final long outputDelay;
    private Watermark outputWatermark = Watermark.INITIAL;
    private boolean[] probeMatched = new boolean[64];
    private int probingSide;
    private boolean[] late = new boolean[64];
    private long lateRows;
    private final JoinOutput.MatchListener markMatched;

    public IntervalJoinOperator(IntervalJoin plan) {
        super("interval join", requireNonNull(plan, "plan is null").left().outputType(), plan.leftKeys(),
                plan.right().outputType(), plan.rightKeys(), plan.outputType(), plan.condition());
        timeColumn = new int[] {plan.leftTime(), plan.rightTime()};
        widths = new int[] {plan.left().outputType().size(), plan.right().outputType().size()};
        keepUnmatched = new boolean[] {plan.kind().keepsUnmatchedLeft(), plan.kind().keepsUnmatchedRight()};
        // left row unmatchable once left.time + upper < wm(right); right row once right.time - lower < wm(left)
        retention = new long[] {plan.upperMillis(), -plan.lowerMillis()};
        outputDelay = plan.outputDelayMillis();
        markMatched = (left, right) -> {
            if (probingSide == LEFT) {
                probeMatched[left] = true;
                stores[RIGHT].setMatched(right);
            } else {
                stores[LEFT].setMatched(left);
                probeMatched[right] = true;
            }
        };
    }

    @Override
    public void addInput(int input, Batch batch) {
        int rows = batch.rowCount();
        if (rows == 0) {
            return;
        }
        int other = 1 - input;
        if (probeMatched.length < rows) {
            probeMatched = new boolean[Math.max(rows, probeMatched.length * 2)];
        }
        Arrays.fill(probeMatched, 0, rows, false);
        probingSide = input;
        int[] sideKeys = keys[input];
        RowStore otherStore = stores[other];
        LongVector times = (LongVector) batch.column(timeColumn[input]);
        // as in Flink, a row older than the join's watermark is late: dropped and counted, not matched
        long joinWatermark = Math.min(watermarks[LEFT].millis(), watermarks[RIGHT].millis());
        if (late.length < rows) {
            late = new boolean[Math.max(rows, late.length * 2)];
        }
        for (int row = 0; row < rows; row++) {
            late[row] = !times.isNull(row) && joinWatermark != Long.MIN_VALUE && times.values()[row] < joinWatermark;
            if (late[row]) {
                lateRows++;
            }
        }
        BatchBuilder pairs = output.pairs();
        for (int row = 0; row < rows; row++) {
            if (late[row] || times.isNull(row) || RowStore.hasNullKey(batch, row, sideKeys)) {
                continue;
            }
            long hash = RowStore.hash(batch, row, sideKeys);
            for (int id = otherStore.firstWithHash(hash); id >= 0; id = otherStore.nextWithHash(id)) {
                if (otherStore.keyEquals(id, batch, row, sideKeys)) {
                    if (input == LEFT) {
                        JoinOutput.copyRow(batch, row, 0, widths[LEFT], pairs, 0);
                        otherStore.write(id, pairs, widths[LEFT]);
                        output.commitPair(row, id);
                    } else {
                        otherStore.write(id, pairs, 0);
                        JoinOutput.copyRow(batch, row, 0, widths[RIGHT], pairs, widths[LEFT]);
                        output.commitPair(id, row);
                    }
                }
            }
        }
        // the pairs (and the rows padded now) are results of this batch's rows: they carry their arrival
        pairs.arrived(batch.arrivalNanos(), pairs.rowCount());
        output.flushPairs(markMatched);
        long otherWatermark = watermarks[other].millis();
        for (int row = 0; row < rows; row++) {
            if (late[row]) {
                continue;
            }
            boolean matchable = !times.isNull(row) && !RowStore.hasNullKey(batch, row, sideKeys);
            if (matchable && !expired(times.values()[row], input, otherWatermark)) {
                int id = stores[input].add(batch, row, RowStore.hash(batch, row, sideKeys), times.values()[row]);
                if (probeMatched[row]) {
                    stores[input].setMatched(id);
                }
                heaps[input].add(id);
            } else if (keepUnmatched[input] && !probeMatched[row]) {
                pad(input, batch, row);
            }
        }
        output.padded().arrived(batch.arrivalNanos(), output.padded().rowCount());
        output.flushPadded();
    }

    /** Whether a row of {@code side} with time {@code time} can no longer match a row of the other side. */
    private boolean expired(long time, int side, long otherWatermark) {
        if (otherWatermark == Long.MIN_VALUE) {
            return false;
        }
        if (otherWatermark == Long.MAX_VALUE) {
            return true;
        }
        long limit = time + retention[side];
        boolean overflowed = ((time ^ limit) & (retention[side] ^ limit)) < 0;
        return !overflowed && limit < otherWatermark;
    }

    private void pad(int side, Batch batch, int row) {
        BatchBuilder padded = output.padded();
        if (side == LEFT) {
            JoinOutput.copyRow(batch, row, 0, widths[LEFT], padded, 0);
            JoinOutput.writeNulls(padded, widths[LEFT], widths[RIGHT]);
        } else {
            JoinOutput.writeNulls(padded, 0, widths[LEFT]);
            JoinOutput.copyRow(batch, row, 0, widths[RIGHT], padded, widths[LEFT]);
        }
        padded.commitRow();
    }

    @Override
    public void processWatermark(int input, Watermark watermark) {
        watermarks[input] = watermark;
        // the new watermark of this side expires rows of the other side
        purge(1 - input, watermark.millis());
        Watermark combined = Watermark.combine(watermarks);
        long millis = combined.millis();
        if (millis != Long.MIN_VALUE && millis != Long.MAX_VALUE) {
            millis = millis - outputDelay < millis ? millis - outputDelay : Long.MIN_VALUE;
        }
        Watermark held = new Watermark(millis, combined.idle());
        outputWatermark = held.millis() >= outputWatermark.millis() ? held : new Watermark(outputWatermark.millis(), held.idle());
    }

    private void purge(int side, long otherWatermark) {
        TimeHeap heap = heaps[side];
        RowStore store = stores[side];
        BatchBuilder padded = output.padded();
        while (!heap.isEmpty() && expired(heap.peekTime(), side, otherWatermark)) {
            int id = heap.poll();
            if (keepUnmatched[side] && !store.matched(id)) {
                if (side == LEFT) {
                    store.write(id, padded, 0);
                    JoinOutput.writeNulls(padded, widths[LEFT], widths[RIGHT]);
                } else {
                    JoinOutput.writeNulls(padded, 0, widths[LEFT]);
                    store.write(id, padded, widths[LEFT]);
                }
                padded.commitRow();
            }
            store.remove(id);
        }
        output.flushPadded();
    }

    @Override
    public Watermark outputWatermark() {
        return outputWatermark;
    }

    @Override
    public void finish() {
        if (!finishing) {
            finishing = true;
            purge(LEFT, Long.MAX_VALUE);
            purge(RIGHT, Long.MAX_VALUE);
            outputWatermark = Watermark.FINISHED;
        }
    }

    /** Rows dropped because they were older than the join's watermark when they came. */
    public long lateRows() {
        return lateRows;
    }

    @Override
    protected void writeProgress(StateWriter out) {
        writeWatermark(out, outputWatermark);
        out.writeLong(lateRows);
    }

    @Override
    protected void readProgress(StateReader in, KeyGroupRange keyGroups) {
        outputWatermark = readWatermark(in);
        long late = in.readLong();
        lateRows = keyGroups.holdsCounters() ? late : 0;
    }

    @Override
    protected void combineProgress(List<StateReader> instances, StateWriter out) {
        long late = 0;
        for (int i = 0; i < instances.size(); i++) {
            Watermark watermark = readWatermark(instances.get(i));
            late += instances.get(i).readLong();
            if (i == 0) {
                writeWatermark(out, watermark);
            }
        }
        out.writeLong(late);
    }
}

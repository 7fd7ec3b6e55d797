package io.weir.engine.join;

import io.weir.engine.expression.BatchFilter;
import io.weir.engine.operator.Watermark;
import io.weir.engine.state.KeyGroupRange;
import io.weir.engine.state.KeyGroupSections;
import io.weir.engine.state.StateBytes;
import io.weir.engine.state.SnapshotFormat;
import io.weir.engine.state.SnapshottableState;
import io.weir.engine.state.StateReader;
import io.weir.engine.state.StateWriter;
import io.weir.spi.batch.Batch;
import io.weir.spi.type.DataType;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What the joins of two streams share: the rows of each side held by key ({@link RowStore}) and by
 * time ({@link TimeHeap}) until the watermarks say they can match nothing more, the output, and the
 * snapshot of both sides. Subclasses decide when rows are matched and freed.
 */
abstract class BufferedJoinOperator implements TwoInputOperator, SnapshottableState {
    protected static final int LEFT = 0;
    protected static final int RIGHT = 1;

    private final String kind;
    protected final int[][] keys;
    protected final RowStore[] stores;
    protected final TimeHeap[] heaps;
    protected final JoinOutput output;
    protected final Watermark[] watermarks = {Watermark.INITIAL, Watermark.INITIAL};
    protected boolean finishing;

    /** @param kind names the join in snapshots, e.g. {@code "window join"} */
    protected BufferedJoinOperator(String kind, List<DataType.Field> leftType, List<Integer> leftKeys,
                                   List<DataType.Field> rightType, List<Integer> rightKeys,
                                   List<DataType.Field> outputType, Optional<BatchFilter> condition) {
        this.kind = requireNonNull(kind, "kind is null");
        keys = new int[][] {toArray(leftKeys), toArray(rightKeys)};
        stores = new RowStore[] {new RowStore(leftType, leftKeys), new RowStore(rightType, rightKeys)};
        heaps = new TimeHeap[] {new TimeHeap(stores[LEFT]), new TimeHeap(stores[RIGHT])};
        output = new JoinOutput(outputType, condition);
    }

    private static int[] toArray(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Where this micro-batch's rows' arrivals go (end-to-end latency). */
    protected io.weir.engine.latency.ResultArrivals arrivals = io.weir.engine.latency.ResultArrivals.IGNORED;

    @Override
    public void startBatch(io.weir.engine.expression.EvaluationContext context) {
        arrivals = context.arrivals();
    }

    @Override
    public boolean needsInput() {
        return !finishing;
    }

    @Override
    public Batch getOutput() {
        return output.poll();
    }

    @Override
    public boolean isFinished() {
        return finishing && output.isEmpty();
    }

    /** Rows held on the left (0) or right (1) side. */
    public int heldRows(int input) {
        return stores[input].size();
    }

    /** What a snapshot's rows hold, checked on restore: both sides' column and key types. */
    private String stateLayout() {
        return "left=" + describe(stores[LEFT].rowType(), keys[LEFT]) + " right=" + describe(stores[RIGHT].rowType(), keys[RIGHT]);
    }

    private static String describe(List<DataType.Field> rowType, int[] keyColumns) {
        return rowType.stream().map(field -> field.type().kind().name()).toList() + " keys=" + Arrays.toString(keyColumns);
    }

    /** The held rows of both sides and the join's progress, as of the end of the last micro-batch. */
    @Override
    public byte[] snapshot() {
        if (!output.isEmpty()) {
            throw new IllegalStateException("snapshot of a " + kind + " with output not taken yet");
        }
        int expected = (int) Math.min(Integer.MAX_VALUE / 2, 64 + stateBytesEstimate());
        return SnapshotFormat.write(kind, stateLayout(), expected, out -> {
            writeWatermark(out, watermarks[LEFT]);
            writeWatermark(out, watermarks[RIGHT]);
            writeProgress(out);
            stores[LEFT].writeTo(out);
            stores[RIGHT].writeTo(out);
        });
    }

    @Override
    public void restore(byte[] snapshot, KeyGroupRange keyGroups) {
        requireNonNull(keyGroups, "keyGroups is null");
        SnapshotFormat.read(snapshot, kind, stateLayout(), in -> {
            close();
            watermarks[LEFT] = readWatermark(in);
            watermarks[RIGHT] = readWatermark(in);
            readProgress(in, keyGroups);
            for (int side = 0; side < 2; side++) {
                stores[side].readFrom(in, keyGroups, heaps[side]::add);
            }
        });
    }

    /**
     * The first instance's watermarks and progress (every instance sees the merged watermarks of its
     * inputs' tasks, so all have the same), the late rows summed, both sides' rows of every instance.
     */
    @Override
    public StateBytes combine(List<StateBytes> snapshots) {
        if (snapshots.size() == 1) {
            return snapshots.get(0);
        }
        List<StateReader> bodies = new java.util.ArrayList<>(snapshots.size());
        for (StateBytes snapshot : snapshots) {
            bodies.add(SnapshotFormat.body(snapshot.toByteArray(), kind, stateLayout()));
        }
        StateWriter header = SnapshotFormat.header(kind, stateLayout(), 64);
        for (int i = 0; i < bodies.size(); i++) {
            Watermark left = readWatermark(bodies.get(i));
            Watermark right = readWatermark(bodies.get(i));
            if (i == 0) {
                writeWatermark(header, left);
                writeWatermark(header, right);
            }
        }
        combineProgress(bodies, header);
        StateBytes.Builder combined = new StateBytes.Builder().add(header);
        KeyGroupSections.combine(bodies, combined);
        KeyGroupSections.combine(bodies, combined);
        for (StateReader body : bodies) {
            if (body.remaining() != 0) {
                throw new IllegalStateException(body.remaining() + " bytes after the rows of a " + kind + " snapshot");
            }
        }
        return combined.build();
    }

    protected static void writeWatermark(StateWriter out, Watermark watermark) {
        out.writeLong(watermark.millis());
        out.writeBoolean(watermark.idle());
    }

    protected static Watermark readWatermark(StateReader in) {
        return new Watermark(in.readLong(), in.readBoolean());
    }

    /** Writes what the subclass tracks besides the held rows and the input watermarks. */
    protected abstract void writeProgress(StateWriter out);

    /** Reads what {@link #writeProgress} wrote; counters only if {@code keyGroups} holds them. */
    protected abstract void readProgress(StateReader in, KeyGroupRange keyGroups);

    /** Reads what {@link #writeProgress} wrote from each instance's snapshot and writes it once (see {@link #combine}). */
    protected abstract void combineProgress(List<StateReader> instances, StateWriter out);

    /** Rows held on both sides. */
    @Override
    public long stateRows() {
        return (long) stores[LEFT].size() + stores[RIGHT].size();
    }

    @Override
    public long stateBytesEstimate() {
        return stores[LEFT].estimatedBytes() + stores[RIGHT].estimatedBytes();
    }

    @Override
    public void close() {
        for (int side = 0; side < 2; side++) {
            stores[side].clear();
            heaps[side].clear();
        }
    }
}

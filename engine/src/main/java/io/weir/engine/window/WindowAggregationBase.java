package io.weir.engine.window;

import io.weir.engine.aggregate.Accumulator;
import io.weir.engine.aggregate.Accumulators;
import io.weir.engine.expression.EvaluationContext;
import io.weir.engine.latency.ArrivalLedger;
import io.weir.engine.latency.ResultArrivals;
import io.weir.engine.operator.Operator;
import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.state.GroupTable;
import io.weir.engine.state.KeyGroupSections;
import io.weir.engine.state.StateBytes;
import io.weir.engine.state.KeyGroupRange;
import io.weir.engine.state.SlotPool;
import io.weir.engine.state.SnapshotFormat;
import io.weir.engine.state.SnapshottableState;
import io.weir.engine.state.StateReader;
import io.weir.engine.state.StateWriter;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.type.DataType;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

import static java.util.Objects.requireNonNull;

/**
 * What windowed aggregations share: accumulators in struct-of-arrays indexed by group slot, the
 * firing condition, late-row counting, output layout (keys, window_start, window_end, aggregates) and
 * the snapshot format.
 *
 * <p><b>Firing.</b> Event time: a window {@code [start, end)} fires once, at the end of the micro-batch
 * in which the watermark reaches {@code end - 1} (Flink's {@code isWindowFired}: the window's last
 * millisecond is covered). Processing time: in the first micro-batch whose processing time is at
 * least {@code end} (the clock has passed the end). Rows are checked against the windows fired at the
 * end of earlier batches; a row all of whose windows have fired is late: dropped and counted.
 *
 * <p><b>Allowed lateness.</b> With {@code allowedLatenessMillis} L, a fired window's groups are kept until
 * the progress reaches its fire time plus L; a row for it meanwhile updates it, and at the end of the
 * micro-batch its changed groups' rows are emitted again (corrections). Only rows whose windows are all
 * past that are late.
 */
public abstract class WindowAggregationBase implements Operator, SnapshottableState {
    protected final WindowSpec spec;
    protected final List<DataType.Field> inputType;
    protected final List<Integer> groupKeys;
    protected final List<DataType> keyTypes;
    protected final Accumulator[] accumulators;
    protected final SlotPool slots = new SlotPool();
    private final List<DataType.Field> outputType;
    private final Queue<Batch> output = new ArrayDeque<>();
    private int accumulatorCapacity;
    /** Windows whose fire time is at most this have fired. */
    protected long progress = Long.MIN_VALUE;
    protected long processingTime = Long.MIN_VALUE;
    /**
     * The arrivals of the rows taken in, by the fire time of the first window each row's result comes with (for
     * the end-to-end latency); released into {@link #batchArrivals} when those windows fire.
     */
    protected final ArrivalLedger arrivals = new ArrivalLedger();
    /** Where this micro-batch's released arrivals go. */
    protected ResultArrivals batchArrivals = ResultArrivals.IGNORED;
    protected long lateRows;
    /** Where late rows go besides being counted ('late-rows' = 'side-output'); null: dropped. */
    private io.weir.engine.late.LateRowRouter lateRowRouter;
    private Watermark watermark = Watermark.INITIAL;
    private boolean finishing;
    protected final boolean emitOpenWindows;
    /** How long (event time) a fired window's groups are kept for late rows, whose corrections are emitted; 0: none. */
    protected final long allowedLatenessMillis;
    /** With {@link #emitOpenWindows}: the interval of processing time between emissions of open windows; 0 for every batch. */
    private final long emitIntervalMillis;
    /** The processing time from which the open windows are emitted next (intervals aligned to the epoch). */
    private long nextOpenEmission = Long.MIN_VALUE;
    /** With {@link #emitOpenWindows}: whether a slot's group changed in this micro-batch. */
    protected boolean[] changed = new boolean[0];
    /** Whether a slot's group was written since the last checkpoint snapshot (for incremental checkpoints). */
    private boolean[] dirty = new boolean[0];
    private int dirtyCount;

    protected WindowAggregationBase(WindowAggregate plan) {
        requireNonNull(plan, "plan is null");
        this.spec = plan.window();
        this.inputType = plan.input().outputType();
        this.groupKeys = plan.groupKeys();
        this.keyTypes = groupKeys.stream().map(key -> inputType.get(key).type()).toList();
        this.outputType = plan.outputType();
        this.emitOpenWindows = plan.emitOpenWindows();
        this.emitIntervalMillis = plan.emitIntervalMillis();
        this.allowedLatenessMillis = plan.allowedLatenessMillis();
        this.accumulators = new Accumulator[plan.aggregates().size()];
        for (int i = 0; i < accumulators.length; i++) {
            AggregateCall call = plan.aggregates().get(i);
            accumulators[i] = Accumulators.create(call, inputType);
        }
        if (inputType.get(spec.timeColumn()).type().kind() != io.weir.spi.type.TypeKind.TIMESTAMP) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, "The window time column '" + inputType.get(spec.timeColumn()).name()
                    + "' must be a TIMESTAMP, not " + inputType.get(spec.timeColumn()).type());
        }
    }

    /** Creates the operator for a plan node: a merging one for sessions. */
    public static WindowAggregationBase create(WindowAggregate plan) {
        return switch (plan.window().kind()) {
            case SESSION -> new SessionWindowAggregateOperator(plan);
            case TUMBLE, HOP, CUMULATE, WINDOWED -> new WindowAggregateOperator(plan);
        };
    }

    protected GroupTable newKeyTable(int expectedSize) {
        return GroupTable.create(inputType, groupKeys, expectedSize);
    }

    /** The time by which a window ending at {@code end} fires (compared with the progress). */
    protected final long fireTime(long end) {
        return spec.eventTime() ? end - 1 : end;
    }

    protected final boolean hasFired(long end) {
        return fireTime(end) <= progress;
    }

    /** The time by which a window ending at {@code end} is freed: its fire time plus the allowed lateness. */
    protected final long expiryTime(long end) {
        long fire = fireTime(end);
        return fire > Long.MAX_VALUE - allowedLatenessMillis ? Long.MAX_VALUE : fire + allowedLatenessMillis;
    }

    /** Whether a window ending at {@code end} has fired and is no longer kept for late rows (without allowed lateness: fired). */
    protected final boolean hasExpired(long end) {
        return expiryTime(end) <= progress;
    }

    /** A fresh group slot with empty accumulators. */
    protected final int newSlot() {
        int slot = slots.allocate();
        if (slot >= accumulatorCapacity) {
            accumulatorCapacity = Math.max(slot + 1, Math.max(64, accumulatorCapacity * 2));
            for (Accumulator accumulator : accumulators) {
                accumulator.ensureCapacity(accumulatorCapacity);
            }
        }
        for (Accumulator accumulator : accumulators) {
            accumulator.reset(slot);
        }
        return slot;
    }

    /** Marks the groups of these slots (-1 for none) as changed in this micro-batch. */
    protected final void markChanged(int[] rowSlots, int rows) {
        for (int row = 0; row < rows; row++) {
            int slot = rowSlots[row];
            if (slot >= 0) {
                if (slot >= changed.length) {
                    changed = java.util.Arrays.copyOf(changed, Math.max(slot + 1, Math.max(64, changed.length * 2)));
                }
                changed[slot] = true;
            }
        }
    }

    /** Marks the groups of these slots (-1 for none) as written since the last checkpoint snapshot. */
    protected final void markDirty(int[] rowSlots, int rows) {
        for (int row = 0; row < rows; row++) {
            int slot = rowSlots[row];
            if (slot >= 0) {
                if (slot >= dirty.length) {
                    dirty = java.util.Arrays.copyOf(dirty, Math.max(slot + 1, Math.max(64, dirty.length * 2)));
                }
                if (!dirty[slot]) {
                    dirty[slot] = true;
                    dirtyCount++;
                }
            }
        }
    }

    /** Groups written since the last checkpoint snapshot (see {@link io.weir.engine.state.IncrementalState}). */
    public final long changedGroups() {
        return dirtyCount;
    }

    protected final boolean isDirty(int slot) {
        return slot < dirty.length && dirty[slot];
    }

    /** Forgets which groups were written: a checkpoint snapshot holds them now. */
    protected final void clearDirty() {
        java.util.Arrays.fill(dirty, false);
        dirtyCount = 0;
    }

    protected final boolean takeChanged(int slot) {
        if (slot < changed.length && changed[slot]) {
            changed[slot] = false;
            return true;
        }
        return false;
    }

    protected final void freeSlot(int slot) {
        if (slot < changed.length) {
            changed[slot] = false;
        }
        if (slot < dirty.length && dirty[slot]) {
            dirty[slot] = false;
            dirtyCount--;
        }
        for (Accumulator accumulator : accumulators) {
            accumulator.reset(slot); // drops objects (decimals, sets, sketches) now
        }
        slots.release(slot);
    }

    protected final void bindAccumulators(Batch batch) {
        for (Accumulator accumulator : accumulators) {
            accumulator.bind(batch);
        }
    }

    @Override
    public void startBatch(EvaluationContext context) {
        processingTime = context.processingTimeMillis();
        batchArrivals = context.arrivals();
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
    public void processWatermark(int input, Watermark watermark) {
        this.watermark = watermark;
        long target = spec.eventTime() ? watermark.millis() : processingTime;
        advance(target);
    }

    private void advance(long target) {
        if (allowedLatenessMillis > 0) {
            BatchBuilder corrections = new BatchBuilder(outputType, 64);
            emitCorrections(corrections);
            if (!corrections.isEmpty()) {
                output.add(corrections.build());
            }
        }
        if (emitOpenWindows && openEmissionDue()) {
            // windows that fire now are emitted by fire() below: their open values would only repeat
            BatchBuilder open = new BatchBuilder(outputType, 256);
            emitChangedOpenWindows(Math.max(target, progress), open);
            if (!open.isEmpty()) {
                output.add(open.build());
            }
            arrivals.releaseAll(batchArrivals); // every row taken in since the last emission changed a group emitted now
        }
        if (target <= progress) {
            releaseArrivals(progress); // rows of fired windows kept for lateness: their corrections are out now
            return;
        }
        if (earliestFireTime() > target) {
            progress = target;
            releaseArrivals(target);
            return;
        }
        BatchBuilder out = new BatchBuilder(outputType, 256);
        fire(target, out);
        progress = target;
        releaseArrivals(target);
        if (!out.isEmpty()) {
            output.add(out.build());
        }
    }

    /** The rows whose first results came with the windows fired up to {@code target} (and their corrections). */
    protected void releaseArrivals(long target) {
        arrivals.releaseThrough(target, batchArrivals);
    }

    /**
     * Whether this micro-batch emits the open windows' changed groups: every batch, or with an interval the
     * first batch at or after each interval's end, counted from the query's first batch (the groups changed
     * meanwhile stay marked until it comes). As with Flink's early firing, the first early rows come an
     * interval after the start, not at once; intervals without a batch are skipped. Not at the end of the
     * input, which fires every window.
     */
    private boolean openEmissionDue() {
        if (emitIntervalMillis == 0) {
            return true;
        }
        if (finishing || processingTime == Long.MIN_VALUE) {
            return false;
        }
        if (nextOpenEmission == Long.MIN_VALUE) {
            nextOpenEmission = processingTime + emitIntervalMillis;
            return false;
        }
        if (processingTime < nextOpenEmission) {
            return false;
        }
        nextOpenEmission += ((processingTime - nextOpenEmission) / emitIntervalMillis + 1) * emitIntervalMillis;
        return true;
    }

    @Override
    public Watermark outputWatermark() {
        return watermark;
    }

    @Override
    public void finish() {
        if (!finishing) {
            finishing = true;
            advance(Long.MAX_VALUE);
        }
    }

    @Override
    public boolean isFinished() {
        return finishing && output.isEmpty();
    }

    /**
     * With {@link #emitOpenWindows}: writes the current values of the groups changed in this
     * micro-batch of the windows that stay open after {@code target}, and clears their marks.
     */
    protected void emitChangedOpenWindows(long target, BatchBuilder out) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot emit open windows");
    }

    /**
     * With allowed lateness: writes the current rows of the groups of fired (kept) windows that late rows
     * changed in this micro-batch, and clears their marks.
     */
    protected void emitCorrections(BatchBuilder out) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no fired windows");
    }

    /** The windows open now (not fired), for the query's statistics; sessions count one each. */
    public abstract long openWindowCount();

    /** The end of the oldest open window (for sessions, a lower bound); call only when {@link #openWindowCount()} is positive. */
    public abstract long oldestOpenWindowEnd();

    /** The smallest fire time of an open window, {@link Long#MAX_VALUE} when none is open. */
    protected abstract long earliestFireTime();

    /**
     * Emits, in order of window end, window start and key, every window with a fire time up to
     * {@code target}, and frees its state.
     */
    protected abstract void fire(long target, BatchBuilder out);

    /** Writes one result row. */
    protected final void writeRow(BatchBuilder out, GroupTable keys, int keyEntry, long start, long end, int slot) {
        keys.writeKey(keyEntry, out, 0);
        int column = groupKeys.size();
        out.setLong(column, start);
        out.setLong(column + 1, end);
        for (int i = 0; i < accumulators.length; i++) {
            accumulators[i].write(slot, out, column + 2 + i);
        }
        out.commitRow();
    }

    public long lateRows() {
        return lateRows;
    }

    /** Sends the late rows to {@code router} from now on, besides counting them. */
    public final void routeLateRows(io.weir.engine.late.LateRowRouter router) {
        this.lateRowRouter = requireNonNull(router, "router is null");
    }

    /** Counts row {@code row} of {@code batch}, of time {@code ts}, as late, and routes it if asked. */
    protected final void late(Batch batch, int row, long ts) {
        lateRows++;
        if (lateRowRouter != null) {
            lateRowRouter.route(inputType, batch, row, ts, progress, processingTime);
        }
    }

    /** Groups (window and key, or session) with state now. */
    public int openGroups() {
        return slots.live();
    }

    /** Approximate bytes of state held. */
    public abstract long estimatedStateBytes();

    protected final int accumulatorBytesPerGroup() {
        int bytes = 0;
        for (Accumulator accumulator : accumulators) {
            bytes += accumulator.bytesPerGroup();
        }
        return bytes;
    }

    @Override
    public void close() {
        output.clear();
        clearState();
    }

    /** Drops all keyed state. */
    protected abstract void clearState();

    // ---- snapshots: header, progress, then the groups by key group (see KeyGroupSections)

    /** The snapshot's operator kind. */
    protected abstract String snapshotKind();

    /** What the groups' entries hold, checked on restore: the window, the key types and the accumulators. */
    protected final String stateLayout() {
        StringBuilder layout = new StringBuilder(spec.toString()).append(" keys=").append(keyTypes.stream()
                .map(type -> type.kind().name()).toList()).append(" aggregates=[");
        for (int i = 0; i < accumulators.length; i++) {
            layout.append(i == 0 ? "" : ", ").append(accumulators[i].stateLayout());
        }
        layout.append("] emitOpenWindows=").append(emitOpenWindows);
        if (allowedLatenessMillis > 0) {
            layout.append(" allowedLateness=").append(allowedLatenessMillis);
        }
        return layout.append(stateLayoutDetail()).toString();
    }

    /** How the operator keeps its groups, when that differs between operators of the same window (e.g. by slice). */
    protected String stateLayoutDetail() {
        return "";
    }

    @Override
    public byte[] snapshot() {
        checkOutputTaken();
        int expected = (int) Math.min(Integer.MAX_VALUE / 2, 64 + (long) slots.live() * (24 + accumulatorBytesPerGroup()));
        return SnapshotFormat.write(snapshotKind(), stateLayout(), expected, out -> {
            writeProgress(out);
            writeGroups(out);
        });
    }

    @Override
    public void restore(byte[] snapshot, KeyGroupRange keyGroups) {
        requireNonNull(keyGroups, "keyGroups is null");
        SnapshotFormat.read(snapshot, snapshotKind(), stateLayout(), in -> {
            clearAndReadProgress(in, keyGroups);
            readGroups(in, keyGroups);
        });
    }

    /** The progress of the first instance (all have the same), their late rows summed, and their groups. */
    @Override
    public StateBytes combine(List<StateBytes> snapshots) {
        if (snapshots.size() == 1) {
            return snapshots.get(0);
        }
        List<StateReader> bodies = new java.util.ArrayList<>(snapshots.size());
        for (StateBytes snapshot : snapshots) {
            bodies.add(SnapshotFormat.body(snapshot.toByteArray(), snapshotKind(), stateLayout()));
        }
        StateWriter header = SnapshotFormat.header(snapshotKind(), stateLayout(), 64);
        combineProgress(bodies, header);
        StateBytes.Builder combined = new StateBytes.Builder().add(header);
        KeyGroupSections.combine(bodies, combined);
        for (StateReader body : bodies) {
            if (body.remaining() != 0) {
                throw new IllegalStateException(body.remaining() + " bytes after the groups of a " + snapshotKind() + " snapshot");
            }
        }
        return combined.build();
    }

    /**
     * Reads what {@link #writeProgress} wrote from each instance's snapshot and writes it once: the
     * firing progress and watermark are the same in every instance (each sees the merged watermark of
     * its input's tasks), the late rows are summed.
     */
    protected static void combineProgress(List<StateReader> instances, StateWriter out) {
        long progress = 0;
        long late = 0;
        Watermark watermark = Watermark.INITIAL;
        for (int i = 0; i < instances.size(); i++) {
            StateReader in = instances.get(i);
            long instanceProgress = in.readLong();
            late += in.readLong();
            Watermark instanceWatermark = new Watermark(in.readLong(), in.readBoolean());
            if (i == 0) {
                progress = instanceProgress;
                watermark = instanceWatermark;
            }
        }
        out.writeLong(progress);
        out.writeLong(late);
        out.writeLong(watermark.millis());
        out.writeBoolean(watermark.idle());
    }

    /** Fails unless all output was taken: a snapshot is of the state between micro-batches. */
    protected final void checkOutputTaken() {
        if (!output.isEmpty()) {
            throw new IllegalStateException("snapshot of " + getClass().getSimpleName() + " with output not taken yet");
        }
    }

    /** Writes what is not keyed: the firing progress, late rows and the watermark. */
    protected final void writeProgress(StateWriter out) {
        out.writeLong(progress);
        out.writeLong(lateRows);
        out.writeLong(watermark.millis());
        out.writeBoolean(watermark.idle());
    }

    /** Drops all state, then reads what {@link #writeProgress} wrote (the late rows if {@code keyGroups} holds counters). */
    protected final void clearAndReadProgress(StateReader in, KeyGroupRange keyGroups) {
        clearState();
        arrivals.clear(); // restored rows count from no arrival
        output.clear();
        changed = new boolean[0];
        dirty = new boolean[0];
        dirtyCount = 0;
        progress = in.readLong();
        long late = in.readLong();
        lateRows = keyGroups.holdsCounters() ? late : 0;
        watermark = new Watermark(in.readLong(), in.readBoolean());
    }

    /** Writes the groups with {@link KeyGroupSections}, each with {@link GroupTable#writeKey} and {@link #writeGroupState}. */
    protected abstract void writeGroups(StateWriter out);

    /** Reads what {@link #writeGroups} wrote, keeping the key groups in {@code keyGroups}. */
    protected abstract void readGroups(StateReader in, KeyGroupRange keyGroups);

    /** A group's accumulators and, for views, whether it changed in a batch whose values were not emitted yet. */
    protected final void writeGroupState(StateWriter out, int slot) {
        if (emitOpenWindows) {
            out.writeBoolean(slot < changed.length && changed[slot]);
        }
        for (Accumulator accumulator : accumulators) {
            accumulator.writeState(slot, out);
        }
    }

    protected final void readGroupState(StateReader in, int slot) {
        if (emitOpenWindows && in.readBoolean()) {
            markChanged(new int[] {slot}, 1);
        }
        for (Accumulator accumulator : accumulators) {
            accumulator.readState(slot, in);
        }
    }

    @Override
    public long stateRows() {
        return slots.live();
    }

    @Override
    public long stateBytesEstimate() {
        return estimatedStateBytes();
    }

}

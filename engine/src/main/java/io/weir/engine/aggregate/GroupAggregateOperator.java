package io.weir.engine.aggregate;

import io.weir.engine.expression.EvaluationContext;
import io.weir.engine.operator.Operator;
import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.GroupAggregate;
import io.weir.engine.state.GroupTable;
import io.weir.engine.state.KeyGroupRange;
import io.weir.engine.state.KeyGroupSections;
import io.weir.engine.state.SnapshotFormat;
import io.weir.engine.state.StateBytes;
import io.weir.engine.state.IncrementalState;
import io.weir.engine.state.KeyedSnapshot;
import io.weir.engine.state.StateReader;
import io.weir.engine.state.StateWriter;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.type.DataType;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;

import static java.util.Objects.requireNonNull;

/**
 * Updating GROUP BY over a stream (see {@link GroupAggregate}): one accumulator set per key, found
 * through a {@link GroupTable} whose entry numbers are the accumulator slots; at the end of every
 * micro-batch, the keys whose values changed are emitted in key order.
 *
 * <p>With a state TTL ({@link #expireAfter}), a key not updated for that long (processing time) is
 * dropped, as Flink's state TTL does: its next row starts it anew. Expired keys are not retracted
 * downstream (a sink or view keeps their last row). The table is rebuilt without them at most every
 * tenth of the TTL, so expiry costs one pass over the keys then, nothing per row.
 */
public final class GroupAggregateOperator implements Operator, IncrementalState, io.weir.engine.state.ExpiringState {
    private static final String SNAPSHOT_KIND = "group aggregate";

    private final List<DataType.Field> outputType;
    private final List<DataType> keyTypes;
    private final int keyCount;
    private GroupTable groups;
    private final Accumulator[] accumulators;
    private final Queue<Batch> output = new ArrayDeque<>();
    private int capacity;
    private int[] rowSlots = new int[0];
    private boolean[] changed = new boolean[0];
    private int changedCount;
    /** Whether a key was updated since the last checkpoint snapshot (for incremental checkpoints). */
    private boolean[] dirty = new boolean[0];
    private int dirtyCount;
    /** Reused by every checkpoint snapshot (see KeyGroupSections.Buffers). */
    private final KeyGroupSections.Buffers checkpointBuffers = new KeyGroupSections.Buffers();
    private Watermark watermark = Watermark.INITIAL;
    private boolean finishing;
    /** When each key was last updated, in processing time. */
    private long[] lastUpdate = new long[0];
    private long now;
    private long ttlMillis = Long.MAX_VALUE;
    private long nextExpiry = Long.MIN_VALUE;
    private long expiredKeys;
    private boolean expiredSinceSnapshot;

    public GroupAggregateOperator(GroupAggregate plan) {
        requireNonNull(plan, "plan is null");
        List<DataType.Field> inputType = plan.input().outputType();
        this.outputType = plan.outputType();
        this.keyCount = plan.groupKeys().size();
        this.keyTypes = plan.groupKeys().stream().map(key -> inputType.get(key).type()).toList();
        this.groups = GroupTable.create(inputType, plan.groupKeys(), 64);
        this.accumulators = new Accumulator[plan.aggregates().size()];
        for (int i = 0; i < accumulators.length; i++) {
            AggregateCall call = plan.aggregates().get(i);
            accumulators[i] = Accumulators.create(call, inputType);
        }
    }

    /** Drops keys not updated for {@code ttl} (processing time); call before the first micro-batch. */
    public void expireAfter(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("state TTL must be positive: " + ttl);
        }
        this.ttlMillis = ttl.toMillis();
    }

    /** Keys dropped by the state TTL so far. */
    public long expiredKeys() {
        return expiredKeys;
    }

    /** Where this micro-batch's rows' arrivals go (end-to-end latency). */
    private io.weir.engine.latency.ResultArrivals arrivals = io.weir.engine.latency.ResultArrivals.IGNORED;

    @Override
    public void startBatch(EvaluationContext context) {
        now = context.processingTimeMillis();
        arrivals = context.arrivals();
    }

    @Override
    public boolean needsInput() {
        return !finishing;
    }

    @Override
    public void addInput(Batch batch) {
        int rows = batch.rowCount();
        if (rows == 0) {
            return;
        }
        if (rowSlots.length < rows) {
            rowSlots = new int[rows];
        }
        arrivals.contributed(batch.arrivalNanos(), rows); // every row's group is emitted at the end of this batch
        groups.bind(batch);
        for (int row = 0; row < rows; row++) {
            int entry = groups.findOrInsert(row);
            if (groups.lastInserted()) {
                ensureCapacity(entry + 1);
                for (Accumulator accumulator : accumulators) {
                    accumulator.reset(entry);
                }
            }
            rowSlots[row] = entry;
            if (!dirty[entry]) {
                dirty[entry] = true;
                dirtyCount++;
            }
            if (!changed[entry]) {
                changed[entry] = true;
                changedCount++;
                lastUpdate[entry] = now;
            }
        }
        for (Accumulator accumulator : accumulators) {
            accumulator.bind(batch);
            accumulator.addAll(rowSlots, rows);
        }
    }

    private void ensureCapacity(int entries) {
        if (entries > capacity) {
            capacity = Math.max(entries, Math.max(64, capacity * 2));
            for (Accumulator accumulator : accumulators) {
                accumulator.ensureCapacity(capacity);
            }
            changed = Arrays.copyOf(changed, capacity);
            lastUpdate = Arrays.copyOf(lastUpdate, capacity);
            dirty = Arrays.copyOf(dirty, capacity);
        }
    }

    @Override
    public Batch getOutput() {
        return output.poll();
    }

    @Override
    public void processWatermark(int input, Watermark watermark) {
        this.watermark = watermark;
        emitChanged();
        if (ttlMillis != Long.MAX_VALUE && now >= nextExpiry) {
            expire();
            nextExpiry = now + Math.max(1, ttlMillis / 10);
        }
    }

    /** Rebuilds the table without the keys not updated within the TTL (all changes are emitted by now). */
    private void expire() {
        int count = groups.size();
        int[] kept = new int[count];
        int keptCount = 0;
        for (int entry = 0; entry < count; entry++) {
            if (now - lastUpdate[entry] < ttlMillis) {
                kept[keptCount++] = entry;
            }
        }
        if (keptCount == count) {
            return;
        }
        StateWriter saved = new StateWriter(64 + keptCount * (8 + accumulatorBytesPerGroup()));
        GroupTable fresh = groups.newEmpty(Math.max(64, keptCount));
        long[] freshUpdates = new long[lastUpdate.length];
        for (int i = 0; i < keptCount; i++) {
            int entry = kept[i];
            int moved = fresh.insertKey(groups.key(entry));
            if (moved != i) {
                throw new IllegalStateException("a rebuilt group table numbers its keys in insertion order");
            }
            freshUpdates[i] = lastUpdate[entry];
            for (Accumulator accumulator : accumulators) {
                accumulator.writeState(entry, saved);
            }
        }
        // every kept key's state is saved before any slot is overwritten
        StateReader reader = new StateReader(saved.toByteArray());
        for (int i = 0; i < keptCount; i++) {
            for (Accumulator accumulator : accumulators) {
                accumulator.reset(i);
                accumulator.readState(i, reader);
            }
        }
        groups = fresh;
        lastUpdate = freshUpdates;
        Arrays.fill(dirty, false);
        dirtyCount = 0;
        expiredSinceSnapshot = true;
        expiredKeys += count - keptCount;
    }

    private void emitChanged() {
        if (changedCount == 0) {
            return;
        }
        BatchBuilder out = new BatchBuilder(outputType, Math.max(16, changedCount));
        for (int entry : groups.sortedEntries()) {
            if (!changed[entry]) {
                continue;
            }
            changed[entry] = false;
            groups.writeKey(entry, out, 0);
            for (int i = 0; i < accumulators.length; i++) {
                accumulators[i].write(entry, out, keyCount + i);
            }
            out.commitRow();
        }
        changedCount = 0;
        output.add(out.build());
    }

    @Override
    public Watermark outputWatermark() {
        return watermark;
    }

    @Override
    public void finish() {
        if (!finishing) {
            finishing = true;
            emitChanged();
        }
    }

    @Override
    public boolean isFinished() {
        return finishing && output.isEmpty();
    }

    /** Keys with state. */
    public int groups() {
        return groups.size();
    }

    @Override
    public void close() {
        output.clear();
    }

    // ---- snapshots: header, watermark, then per key (by key group) the key, its changed mark and accumulators

    private String stateLayout() {
        StringBuilder layout = new StringBuilder("updated-at keys=").append(keyTypes.stream().map(type -> type.kind().name()).toList())
                .append(" aggregates=[");
        for (int i = 0; i < accumulators.length; i++) {
            layout.append(i == 0 ? "" : ", ").append(accumulators[i].stateLayout());
        }
        return layout.append(']').toString();
    }

    @Override
    public byte[] snapshot() {
        return writeSnapshot(false, new KeyGroupSections.Buffers()).toByteArray();
    }

    @Override
    public long changedGroups() {
        return dirtyCount;
    }

    /** After keys expired, the next checkpoint snapshot is full: a delta of this operator cannot remove keys. */
    @Override
    public boolean mostlyChanged() {
        return expiredSinceSnapshot || IncrementalState.super.mostlyChanged();
    }

    @Override
    public StateBytes checkpointSnapshot(boolean full) {
        if (expiredSinceSnapshot && !full) {
            throw new IllegalStateException("keys expired since the last checkpoint snapshot: it must be full");
        }
        expiredSinceSnapshot = false;
        StateBytes snapshot = writeSnapshot(!full, checkpointBuffers);
        Arrays.fill(dirty, false);
        dirtyCount = 0;
        return snapshot;
    }

    /** A keyed snapshot: the watermark, then per key its changed mark and accumulators; a delta holds the keys updated since the last. */
    private StateBytes writeSnapshot(boolean delta, KeyGroupSections.Buffers buffers) {
        if (!output.isEmpty()) {
            throw new IllegalStateException("snapshot of a group aggregate with output not taken yet");
        }
        int size = groups.size();
        int[] keyGroups = new int[size];
        int[] entries = new int[size];
        int count = 0;
        for (int entry = 0; entry < size; entry++) {
            if (!delta || dirty[entry]) {
                keyGroups[count] = groups.keyGroup(entry);
                entries[count++] = entry;
            }
        }
        int expected = (int) Math.min(Integer.MAX_VALUE / 2, 256 + (long) count * (16 + accumulatorBytesPerGroup()));
        return KeyedSnapshot.write(SNAPSHOT_KIND, stateLayout(), expected, out -> {
            out.writeLong(watermark.millis());
            out.writeBoolean(watermark.idle());
        }, delta ? List.of() : null, keyGroups, count, (e, out) -> groups.writeKey(entries[e], out), (e, out) -> {
            int entry = entries[e];
            // only set between a batch's input and its watermark, but kept so no update is lost
            out.writeBoolean(changed[entry]);
            out.writeLong(lastUpdate[entry]);
            for (Accumulator accumulator : accumulators) {
                accumulator.writeState(entry, out);
            }
        }, null, buffers);
    }

    /** Every instance sees the same watermark (the merge of its inputs' tasks): the first's is every one's. */
    @Override
    public StateBytes combine(List<StateBytes> snapshots) {
        return KeyedSnapshot.combine(snapshots, (headers, out) -> {
            StateReader first = headers.get(0);
            out.writeLong(first.readLong());
            out.writeBoolean(first.readBoolean());
        });
    }

    @Override
    public void restore(byte[] snapshot, KeyGroupRange keyGroups) {
        requireNonNull(keyGroups, "keyGroups is null");
        KeyedSnapshot.read(snapshot, SNAPSHOT_KIND, stateLayout(), keyGroups, in -> {
            if (groups.size() != 0) {
                throw new IllegalStateException("restore into a group aggregate that already has state");
            }
            watermark = new Watermark(in.readLong(), in.readBoolean());
        }, new KeyedSnapshot.EntryReader() {
            @Override
            public int readKey(int keyGroup, io.weir.engine.state.StateReader in) {
                int entry = groups.readKey(in);
                KeyGroupSections.checkKeyGroup(keyGroup, groups.keyGroup(entry));
                if (entry != groups.size() - 1) {
                    throw new SnapshotFormat.CorruptSnapshotException("a key written twice");
                }
                ensureCapacity(entry + 1);
                for (Accumulator accumulator : accumulators) {
                    accumulator.reset(entry);
                }
                return entry;
            }

            @Override
            public void readValue(int entry, io.weir.engine.state.StateReader in) {
                if (in.readBoolean()) {
                    changed[entry] = true;
                    changedCount++;
                }
                lastUpdate[entry] = in.readLong();
                for (Accumulator accumulator : accumulators) {
                    accumulator.readState(entry, in);
                }
            }
        });
    }

    private int accumulatorBytesPerGroup() {
        int bytes = 0;
        for (Accumulator accumulator : accumulators) {
            bytes += accumulator.bytesPerGroup();
        }
        return bytes;
    }

    @Override
    public long stateRows() {
        return groups.size();
    }

    @Override
    public long stateBytesEstimate() {
        return groups.estimatedBytes() + (long) capacity * (1 + 8 + accumulatorBytesPerGroup());
    }
}

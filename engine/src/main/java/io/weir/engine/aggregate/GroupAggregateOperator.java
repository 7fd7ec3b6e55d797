package io.weir.engine.aggregate;

import io.weir.engine.operator.Operator;
import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.GroupAggregate;
import io.weir.engine.state.GroupTable;
import io.weir.engine.state.IntSorter;
import io.weir.engine.state.KeyGroupRange;
import io.weir.engine.state.KeyGroupSections;
import io.weir.engine.state.SnapshotFormat;
import io.weir.engine.state.IncrementalState;
import io.weir.engine.state.KeyedSnapshot;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.type.DataType;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;

import static java.util.Objects.requireNonNull;

/**
 * Updating GROUP BY over a stream (see {@link GroupAggregate}): one accumulator set per key, found
 * through a {@link GroupTable} whose entry numbers are the accumulator slots; at the end of every
 * micro-batch, the keys whose values changed are emitted in key order.
 */
public final class GroupAggregateOperator implements Operator, IncrementalState {
    private static final String SNAPSHOT_KIND = "group aggregate";

    private final List<DataType.Field> outputType;
    private final List<DataType> keyTypes;
    private final int keyCount;
    private final GroupTable groups;
    private final Accumulator[] accumulators;
    private final Queue<Batch> output = new ArrayDeque<>();
    private int capacity;
    private int[] rowSlots = new int[0];
    private boolean[] changed = new boolean[0];
    private int changedCount;
    /** Whether a key was updated since the last checkpoint snapshot (for incremental checkpoints). */
    private boolean[] dirty = new boolean[0];
    private int dirtyCount;
    private Watermark watermark = Watermark.INITIAL;
    private boolean finishing;

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
    }

    private void emitChanged() {
        if (changedCount == 0) {
            return;
        }
        BatchBuilder out = new BatchBuilder(outputType, Math.max(16, changedCount));
        for (int entry : IntSorter.sortedIndexes(groups.size(), groups::compareKeys)) {
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
        StringBuilder layout = new StringBuilder("keys=").append(keyTypes.stream().map(type -> type.kind().name()).toList())
                .append(" aggregates=[");
        for (int i = 0; i < accumulators.length; i++) {
            layout.append(i == 0 ? "" : ", ").append(accumulators[i].stateLayout());
        }
        return layout.append(']').toString();
    }

    @Override
    public byte[] snapshot() {
        return writeSnapshot(false);
    }

    @Override
    public long changedGroups() {
        return dirtyCount;
    }

    @Override
    public byte[] checkpointSnapshot(boolean full) {
        byte[] snapshot = writeSnapshot(!full);
        Arrays.fill(dirty, false);
        dirtyCount = 0;
        return snapshot;
    }

    /** A keyed snapshot: the watermark, then per key its changed mark and accumulators; a delta holds the keys updated since the last. */
    private byte[] writeSnapshot(boolean delta) {
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
            for (Accumulator accumulator : accumulators) {
                accumulator.writeState(entry, out);
            }
        }, null);
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
        return groups.estimatedBytes() + (long) capacity * (1 + accumulatorBytesPerGroup());
    }
}

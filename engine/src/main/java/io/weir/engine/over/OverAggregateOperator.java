package io.weir.engine.over;

import io.weir.engine.aggregate.Accumulator;
import io.weir.engine.aggregate.Accumulators;
import io.weir.engine.expression.EvaluationContext;
import io.weir.engine.join.RowStore;
import io.weir.engine.late.LateRowRouter;
import io.weir.engine.operator.Operator;
import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.OverAggregate;
import io.weir.engine.state.ExpiringState;
import io.weir.engine.state.KeyGroupRange;
import io.weir.engine.state.KeyGroups;
import io.weir.engine.state.KeyedSnapshot;
import io.weir.engine.state.RowKeyHasher;
import io.weir.engine.state.SnapshotFormat;
import io.weir.engine.state.SnapshottableState;
import io.weir.engine.state.StateBytes;
import io.weir.engine.state.StateReader;
import io.weir.engine.state.ValueCodec;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Runs an {@link OverAggregate} as Flink's {@code RowTimeRangeBoundedPrecedingFunction},
 * {@code RowTimeRowsBoundedPrecedingFunction} and their unbounded forms do: a partition's rows wait, by time, until
 * the watermark passes them; then, in time order (rows of equal time in arrival order), each joins the partition's
 * frame and is sent with the frame's aggregates. A RANGE frame takes all rows of a time before sending any of them
 * (peers see each other); a ROWS frame one row at a time. A row at or behind the watermark when it comes is late:
 * dropped, counted, and routed to {@code sys.late_rows} when the query keeps them.
 *
 * <p>The accumulators cannot take a row back out, so a bounded frame is kept as a two-stack queue: the rows that
 * joined it last in one accumulator (the back), and the older rows each with the aggregate of itself and the front
 * rows after it (the front); the frame's aggregate is the first front row's merged with the back's. When the front
 * is empty and a row must leave, the back's rows become the front (each row is added about twice in all). A row
 * leaves a RANGE frame once it is more than the bound older than the newest row, a ROWS frame once more than the
 * bound rows joined after it. An unbounded frame is one accumulator per partition.
 *
 * <p>Checkpoints hold each partition's waiting rows and its frame's rows (bounded) or accumulators (unbounded); a
 * restored bounded frame is rebuilt from its rows. With a state TTL ({@link #expireAfter}) a partition without rows
 * waiting and not updated for that long (processing time) is forgotten, as Flink's state TTL does. All rows of a
 * partition come to the same task (the exchange before it hashes the partition keys as {@link RowStore#hasher} does).
 */
public final class OverAggregateOperator implements Operator, SnapshottableState, ExpiringState {
    private static final String SNAPSHOT_KIND = "over";

    private final int[] partitionKeys;
    private final int timeColumn;
    private final boolean rowsFrame;
    private final long preceding;
    private final boolean unbounded;
    private final List<DataType.Field> inputType;
    private final List<DataType.Field> outputType;
    private final Accumulator[] accumulators;
    private final RowKeyHasher hasher;
    private final Map<List<Object>, Partition> partitions = new LinkedHashMap<>();
    /** Partitions with rows waiting for the watermark. */
    private final Set<Partition> waiting = new LinkedHashSet<>();
    private final Queue<Batch> output = new ArrayDeque<>();
    private final int scratch;
    private Watermark watermark = Watermark.INITIAL;
    private boolean finishing;
    private long now;
    private long ttlMillis = Long.MAX_VALUE;
    private long nextExpiry = Long.MIN_VALUE;
    /** For a RANGE frame: the watermark at which frames are next cleared of rows no later row can see. */
    private long nextFrameCleanup = Long.MIN_VALUE;
    private long[] hashes = new long[0];
    private long lateRows;
    private LateRowRouter lateRowRouter;
    private long heldRows;
    // accumulator slots: one per unbounded partition, per front row and back of a bounded frame, and a scratch one
    private int slotCount;
    private int[] freeSlots = new int[16];
    private int freeCount;

    /** A partition's rows waiting for the watermark, its frame, when it was last updated. */
    private static final class Partition {
        final List<Object> key;
        final long hash;
        final TreeMap<Long, List<Object[]>> pending = new TreeMap<>();
        int pendingRows;
        /** Unbounded: the accumulators' slot (-1 before the first row). */
        int slot = -1;
        /** Bounded: the frame's rows, oldest first: the front rows, then the back's. */
        final ArrayDeque<Object[]> frame = new ArrayDeque<>();
        /** Bounded: per front row, oldest first, the slot with the aggregate of it and the front rows after it. */
        final ArrayDeque<Integer> front = new ArrayDeque<>();
        /** Bounded: the slot with the aggregate of the back's rows (-1 when none). */
        int back = -1;
        long updatedAt;

        Partition(List<Object> key, long hash) {
            this.key = key;
            this.hash = hash;
        }
    }

    public OverAggregateOperator(OverAggregate plan) {
        requireNonNull(plan, "plan is null");
        this.partitionKeys = plan.partitionKeys().stream().mapToInt(Integer::intValue).toArray();
        this.timeColumn = plan.timeColumn();
        this.rowsFrame = plan.rows();
        this.preceding = plan.preceding();
        this.unbounded = plan.unbounded();
        this.inputType = plan.input().outputType();
        this.outputType = plan.outputType();
        this.accumulators = plan.aggregates().stream().map(call -> Accumulators.create(call, inputType))
                .toArray(Accumulator[]::new);
        this.hasher = RowStore.hasher(partitionKeys);
        this.scratch = allocate();
    }

    @Override
    public void expireAfter(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("state TTL must be positive: " + ttl);
        }
        this.ttlMillis = ttl.toMillis();
    }

    /** Sends the late rows to {@code router} from now on, besides counting them. */
    public void routeLateRows(LateRowRouter router) {
        this.lateRowRouter = requireNonNull(router, "router is null");
    }

    /** Rows dropped because the watermark had passed their time when they came. */
    public long lateRows() {
        return lateRows;
    }

    /** Where this micro-batch's rows' arrivals go (end-to-end latency). */
    private io.weir.engine.latency.ResultArrivals arrivals = io.weir.engine.latency.ResultArrivals.IGNORED;
    /** The arrivals of the rows waiting for the watermark, by their time; restored rows count from none. */
    private final io.weir.engine.latency.ArrivalLedger heldArrivals = new io.weir.engine.latency.ArrivalLedger();

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
        if (hashes.length < rows) {
            hashes = new long[rows];
        }
        hasher.hash(batch, hashes);
        int width = inputType.size();
        for (int r = 0; r < rows; r++) {
            Object time = batch.value(timeColumn, r);
            if (!(time instanceof Long ts) || ts <= watermark.millis()) {
                // a row without time has no place in the order: dropped as late rows are
                late(batch, r, time instanceof Long ts ? ts : Long.MIN_VALUE);
                continue;
            }
            Object[] row = new Object[width];
            for (int c = 0; c < width; c++) {
                row[c] = batch.value(c, r);
            }
            List<Object> key = key(row);
            Partition partition = partitions.get(key);
            if (partition == null) {
                partition = new Partition(key, hashes[r]);
                partitions.put(key, partition);
            }
            partition.updatedAt = now;
            partition.pending.computeIfAbsent(ts, t -> new ArrayList<>(1)).add(row);
            heldArrivals.hold(ts, batch.arrivalNanos(), 1); // its result goes out once the watermark passes ts
            partition.pendingRows++;
            heldRows++;
            waiting.add(partition);
        }
    }

    private void late(Batch batch, int row, long ts) {
        lateRows++;
        if (lateRowRouter != null) {
            lateRowRouter.route(inputType, batch, row, ts, watermark.millis(), now);
        }
    }

    private List<Object> key(Object[] row) {
        Object[] key = new Object[partitionKeys.length];
        for (int i = 0; i < key.length; i++) {
            Object value = row[partitionKeys[i]];
            // arrays compare by identity: key a BINARY partition by its content
            key[i] = value instanceof byte[] bytes ? List.of(Arrays.toString(bytes)) : value;
        }
        return Arrays.asList(key);
    }

    @Override
    public Batch getOutput() {
        return output.poll();
    }

    @Override
    public void processWatermark(int input, Watermark watermark) {
        // never backwards: rows behind it were sent or dropped as late
        this.watermark = watermark.millis() >= this.watermark.millis() ? watermark
                : new Watermark(this.watermark.millis(), watermark.idle());
        emit(this.watermark.millis());
        heldArrivals.releaseThrough(this.watermark.millis(), arrivals);
        boolean expire = ttlMillis != Long.MAX_VALUE && now >= nextExpiry;
        boolean cleanFrames = !unbounded && !rowsFrame && this.watermark.millis() >= nextFrameCleanup
                && this.watermark.millis() != Long.MIN_VALUE;
        if (expire || cleanFrames) {
            // a scan of every partition, a few times per TTL or per RANGE bound of watermark progress
            long oldest = cleanFrames ? this.watermark.millis() - preceding : Long.MIN_VALUE;
            for (Iterator<Partition> all = partitions.values().iterator(); all.hasNext(); ) {
                Partition partition = all.next();
                if (partition.pendingRows > 0) {
                    continue;
                }
                if (expire && partition.updatedAt < now - ttlMillis) {
                    drop(partition);
                    all.remove();
                    continue;
                }
                if (cleanFrames) {
                    // no row to come is older than the watermark: rows older than it by more than the bound are in no frame
                    while (!partition.frame.isEmpty() && time(partition.frame.peekFirst()) < oldest) {
                        evict(partition);
                    }
                    if (partition.frame.isEmpty()) {
                        drop(partition);
                        all.remove();
                    }
                }
            }
            if (expire) {
                nextExpiry = now + Math.max(1, ttlMillis / 4);
            }
            if (cleanFrames) {
                nextFrameCleanup = this.watermark.millis() + Math.max(1, preceding);
            }
        }
    }

    /** Frees a partition's slots and rows (it is removed from {@link #partitions} by the caller). */
    private void drop(Partition partition) {
        if (partition.slot >= 0) {
            release(partition.slot);
        }
        for (int slot : partition.front) {
            release(slot);
        }
        if (partition.back >= 0) {
            release(partition.back);
        }
        heldRows -= partition.frame.size() + partition.pendingRows;
        waiting.remove(partition);
    }

    /** Sends the waiting rows at or before {@code limit}, partition by partition, each partition's in time order. */
    private void emit(long limit) {
        if (waiting.isEmpty()) {
            return;
        }
        BatchBuilder out = null;
        for (Iterator<Partition> it = waiting.iterator(); it.hasNext(); ) {
            Partition partition = it.next();
            if (partition.pending.firstKey() > limit) {
                continue;
            }
            if (out == null) {
                out = new BatchBuilder(outputType, 64);
            }
            process(partition, partition.pending.headMap(limit, true), out);
            if (partition.pending.isEmpty()) {
                it.remove();
            }
        }
        if (out != null && !out.isEmpty()) {
            output.add(out.build());
        }
    }

    private void process(Partition partition, NavigableMap<Long, List<Object[]>> ready, BatchBuilder out) {
        List<Object[]> rows = new ArrayList<>();
        for (List<Object[]> peers : ready.values()) {
            rows.addAll(peers);
        }
        Batch batch = Batch.of(inputType, rows);
        bind(batch);
        int first = 0;
        for (Map.Entry<Long, List<Object[]>> entry : ready.entrySet()) {
            long time = entry.getKey();
            List<Object[]> peers = entry.getValue();
            if (rowsFrame) {
                for (int i = 0; i < peers.size(); i++) {
                    push(partition, peers.get(i), first + i);
                    if (!unbounded && partition.frame.size() > preceding + 1 && evictTo(partition, preceding + 1, Long.MIN_VALUE)) {
                        bind(batch);
                    }
                    write(partition, peers.get(i), out);
                }
            } else {
                for (int i = 0; i < peers.size(); i++) {
                    push(partition, peers.get(i), first + i);
                }
                if (!unbounded && evictTo(partition, Long.MAX_VALUE, time - preceding)) {
                    bind(batch);
                }
                for (Object[] row : peers) {
                    write(partition, row, out);
                }
            }
            first += peers.size();
        }
        partition.pendingRows -= rows.size();
        if (unbounded) {
            heldRows -= rows.size();
        }
        ready.clear();
    }

    private void bind(Batch batch) {
        for (Accumulator accumulator : accumulators) {
            accumulator.bind(batch);
        }
    }

    /** Adds row {@code index} of the bound batch, {@code row}, to the partition's frame. */
    private void push(Partition partition, Object[] row, int index) {
        int slot;
        if (unbounded) {
            if (partition.slot < 0) {
                partition.slot = allocate();
            }
            slot = partition.slot;
        } else {
            partition.frame.addLast(row);
            if (partition.back < 0) {
                partition.back = allocate();
            }
            slot = partition.back;
        }
        for (Accumulator accumulator : accumulators) {
            accumulator.add(slot, index);
        }
    }

    /**
     * Takes the oldest rows out of a bounded frame until it holds at most {@code maxRows} and none older than
     * {@code oldest}; true when the accumulators were bound to another batch meanwhile.
     */
    private boolean evictTo(Partition partition, long maxRows, long oldest) {
        boolean rebound = false;
        while (!partition.frame.isEmpty()
                && (partition.frame.size() > maxRows || time(partition.frame.peekFirst()) < oldest)) {
            rebound |= evict(partition);
        }
        return rebound;
    }

    /** Takes the oldest row out of a bounded frame; true when the accumulators were bound to another batch. */
    private boolean evict(Partition partition) {
        boolean rebound = false;
        if (partition.front.isEmpty()) {
            // the back's rows become the front: each with the aggregate of itself and the rows after it
            List<Object[]> rows = new ArrayList<>(partition.frame);
            bind(Batch.of(inputType, rows));
            rebound = true;
            int[] slots = new int[rows.size()];
            for (int i = rows.size() - 1; i >= 0; i--) {
                int slot = allocate();
                for (Accumulator accumulator : accumulators) {
                    if (i < rows.size() - 1) {
                        accumulator.merge(slot, slots[i + 1]);
                    }
                    accumulator.add(slot, i);
                }
                slots[i] = slot;
            }
            for (int slot : slots) {
                partition.front.addLast(slot);
            }
            if (partition.back >= 0) {
                release(partition.back);
                partition.back = -1;
            }
        }
        partition.frame.pollFirst();
        release(partition.front.pollFirst());
        heldRows--;
        return rebound;
    }

    private long time(Object[] row) {
        return (Long) row[timeColumn];
    }

    /** Writes {@code row} with the partition's frame's aggregates. */
    private void write(Partition partition, Object[] row, BatchBuilder out) {
        int width = inputType.size();
        for (int c = 0; c < width; c++) {
            out.set(c, row[c]);
        }
        int slot;
        if (unbounded) {
            slot = partition.slot;
        } else {
            slot = scratch;
            for (Accumulator accumulator : accumulators) {
                accumulator.reset(scratch);
                if (!partition.front.isEmpty()) {
                    accumulator.merge(scratch, partition.front.peekFirst());
                }
                if (partition.back >= 0) {
                    accumulator.merge(scratch, partition.back);
                }
            }
        }
        for (int i = 0; i < accumulators.length; i++) {
            accumulators[i].write(slot, out, width + i);
        }
        out.commitRow();
    }

    private int allocate() {
        int slot;
        if (freeCount > 0) {
            slot = freeSlots[--freeCount];
        } else {
            slot = slotCount++;
            for (Accumulator accumulator : accumulators) {
                accumulator.ensureCapacity(slotCount);
            }
        }
        for (Accumulator accumulator : accumulators) {
            accumulator.reset(slot);
        }
        return slot;
    }

    private void release(int slot) {
        for (Accumulator accumulator : accumulators) {
            accumulator.reset(slot);
        }
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
        }
        freeSlots[freeCount++] = slot;
    }

    @Override
    public Watermark outputWatermark() {
        return watermark;
    }

    @Override
    public void finish() {
        if (!finishing) {
            finishing = true;
            emit(Long.MAX_VALUE);
            heldArrivals.releaseAll(arrivals);
        }
    }

    @Override
    public boolean isFinished() {
        return finishing && output.isEmpty();
    }

    @Override
    public void close() {
        output.clear();
    }

    // ---- snapshots: header (watermark, late rows), then per partition (by key group) its key, waiting rows and
    // frame: its rows (bounded) or its accumulators (unbounded)

    private String stateLayout() {
        StringBuilder layout = new StringBuilder("frame=").append(rowsFrame ? "ROWS" : "RANGE").append(' ')
                .append(unbounded ? "UNBOUNDED" : Long.toString(preceding)).append(" keys=")
                .append(Arrays.toString(partitionKeys)).append(" time=").append(timeColumn).append(" columns=")
                .append(inputType.stream().map(field -> field.type().kind().name()).toList()).append(" aggregates=[");
        for (int i = 0; i < accumulators.length; i++) {
            layout.append(i == 0 ? "" : ", ").append(accumulators[i].stateLayout());
        }
        return layout.append(']').toString();
    }

    @Override
    public byte[] snapshot() {
        if (!output.isEmpty()) {
            throw new IllegalStateException("snapshot of an over aggregation with output not taken yet");
        }
        List<Partition> entries = new ArrayList<>(partitions.values());
        int[] keyGroups = new int[entries.size()];
        for (int i = 0; i < keyGroups.length; i++) {
            keyGroups[i] = KeyGroups.of(entries.get(i).hash);
        }
        long expected = 256 + entries.size() * 64L + heldRows * 16L * inputType.size();
        return KeyedSnapshot.write(SNAPSHOT_KIND, stateLayout(), (int) Math.min(Integer.MAX_VALUE / 2, expected), out -> {
            out.writeLong(watermark.millis());
            out.writeBoolean(watermark.idle());
            out.writeLong(lateRows);
        }, null, keyGroups, entries.size(), (e, out) -> {
            List<Object> key = entries.get(e).key;
            for (int i = 0; i < partitionKeys.length; i++) {
                Object value = key.get(i);
                // a BINARY key is held as its content's text; its rows hold the bytes themselves
                ValueCodec.write(out, value instanceof List<?> ? DataType.varchar() : inputType.get(partitionKeys[i]).type(),
                        value instanceof List<?> list ? list.get(0) : value);
            }
        }, (e, out) -> {
            Partition partition = entries.get(e);
            out.writeLong(partition.hash);
            out.writeLong(partition.updatedAt);
            out.writeInt(partition.pendingRows);
            for (List<Object[]> peers : partition.pending.values()) {
                for (Object[] row : peers) {
                    writeRow(out, row);
                }
            }
            if (unbounded) {
                out.writeBoolean(partition.slot >= 0);
                if (partition.slot >= 0) {
                    for (Accumulator accumulator : accumulators) {
                        accumulator.writeState(partition.slot, out);
                    }
                }
            } else {
                out.writeInt(partition.frame.size());
                for (Object[] row : partition.frame) {
                    writeRow(out, row);
                }
            }
        }, null).toByteArray();
    }

    private void writeRow(io.weir.engine.state.StateWriter out, Object[] row) {
        for (int c = 0; c < row.length; c++) {
            ValueCodec.write(out, inputType.get(c).type(), row[c]);
        }
    }

    private Object[] readRow(StateReader in) {
        Object[] row = new Object[inputType.size()];
        for (int c = 0; c < row.length; c++) {
            row[c] = ValueCodec.read(in, inputType.get(c).type());
        }
        return row;
    }

    /** Every instance sees the same watermark: the first's is every one's; the late rows are summed. */
    @Override
    public StateBytes combine(List<StateBytes> snapshots) {
        return KeyedSnapshot.combine(snapshots, (headers, out) -> {
            long late = 0;
            Watermark first = null;
            for (StateReader header : headers) {
                Watermark instance = new Watermark(header.readLong(), header.readBoolean());
                late += header.readLong();
                if (first == null) {
                    first = instance;
                }
            }
            out.writeLong(first.millis());
            out.writeBoolean(first.idle());
            out.writeLong(late);
        });
    }

    @Override
    public void restore(byte[] snapshot, KeyGroupRange keyGroups) {
        requireNonNull(keyGroups, "keyGroups is null");
        List<List<Object>> keys = new ArrayList<>();
        KeyedSnapshot.read(snapshot, SNAPSHOT_KIND, stateLayout(), keyGroups, in -> {
            if (!partitions.isEmpty()) {
                throw new IllegalStateException("restore into an over aggregation that already has state");
            }
            watermark = new Watermark(in.readLong(), in.readBoolean());
            long late = in.readLong();
            lateRows = keyGroups.holdsCounters() ? late : 0;
        }, new KeyedSnapshot.EntryReader() {
            @Override
            public int readKey(int keyGroup, StateReader in) {
                Object[] key = new Object[partitionKeys.length];
                for (int i = 0; i < key.length; i++) {
                    DataType type = inputType.get(partitionKeys[i]).type();
                    boolean binary = type.kind() == TypeKind.VARBINARY;
                    Object value = ValueCodec.read(in, binary ? DataType.varchar() : type);
                    key[i] = binary && value != null ? List.of(value) : value;
                }
                keys.add(Arrays.asList(key));
                return keys.size() - 1;
            }

            @Override
            public void readValue(int handle, StateReader in) {
                List<Object> key = keys.get(handle);
                Partition partition = new Partition(key, in.readLong());
                if (partitions.put(key, partition) != null) {
                    throw new SnapshotFormat.CorruptSnapshotException("a partition written twice");
                }
                partition.updatedAt = in.readLong();
                int pending = in.readInt();
                for (int r = 0; r < pending; r++) {
                    Object[] row = readRow(in);
                    partition.pending.computeIfAbsent(time(row), t -> new ArrayList<>(1)).add(row);
                }
                partition.pendingRows = pending;
                heldRows += pending;
                if (pending > 0) {
                    waiting.add(partition);
                }
                if (unbounded) {
                    if (in.readBoolean()) {
                        partition.slot = allocate();
                        for (Accumulator accumulator : accumulators) {
                            accumulator.readState(partition.slot, in);
                        }
                    }
                } else {
                    int count = in.readInt();
                    List<Object[]> rows = new ArrayList<>(count);
                    for (int r = 0; r < count; r++) {
                        rows.add(readRow(in));
                    }
                    if (count > 0) {
                        // the frame is rebuilt from its rows: all in the back
                        bind(Batch.of(inputType, rows));
                        for (int r = 0; r < count; r++) {
                            push(partition, rows.get(r), r);
                        }
                        heldRows += count;
                    }
                }
            }
        });
    }

    @Override
    public long stateRows() {
        return partitions.size();
    }

    @Override
    public long stateBytesEstimate() {
        return partitions.size() * 128L + heldRows * (16L + 24L * inputType.size())
                + (long) slotCount * Arrays.stream(accumulators).mapToLong(Accumulator::bytesPerGroup).sum();
    }
}

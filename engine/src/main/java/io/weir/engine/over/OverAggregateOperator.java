package io.weir.engine.over;

import io.weir.engine.aggregate.Accumulator;
import io.weir.engine.aggregate.Accumulators;
import io.weir.engine.expression.EvaluationContext;
import io.weir.engine.join.RowStore;
import io.weir.engine.late.LateRowRouter;
import io.weir.engine.operator.KeepsRowPositions;
import io.weir.engine.operator.Operator;
import io.weir.engine.operator.RowPositions;
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
import io.weir.engine.state.StateWriter;
import io.weir.engine.state.ValueCodec;
import io.weir.spi.WeirException;
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
 * <p>Each held row keeps where it was read (its split and offset, see {@link RowOrigins}), so that a user-defined
 * aggregate function failing on it when the watermark passes it names the row's position, as a projection does.
 *
 * <p>Checkpoints hold each partition's waiting rows and its frame's rows (bounded) or accumulators (unbounded), each
 * row with where it was read; a restored bounded frame is rebuilt from its rows. With a state TTL
 * ({@link #expireAfter}) a partition without rows waiting and not updated for that long (processing time) is
 * forgotten, as Flink's state TTL does. All rows of a partition come to the same task (the exchange before it hashes
 * the partition keys as {@link RowStore#hasher} does).
 */
public final class OverAggregateOperator implements Operator, KeepsRowPositions, SnapshottableState, ExpiringState {
    private static final String SNAPSHOT_KIND = "over";
    /**
     * Version 1 (its header without a version) did not keep where the held rows were read; version 2 writes the
     * version at the header's end, and per partition the names of its rows' splits and per row its split and offset.
     */
    private static final int SNAPSHOT_VERSION = 2;
    /** A version 1 header: the watermark (millis, idle) and the late rows. */
    private static final int V1_HEADER_BYTES = 8 + 1 + 8;
    // how a checkpoint writes a row's origin: not known, not kept by the checkpoint it was restored from, else
    // ORIGIN_BASE + the index of its split's name among the partition's
    private static final int ORIGIN_UNKNOWN = 0;
    private static final int ORIGIN_NOT_KEPT = 1;
    private static final int ORIGIN_BASE = 2;
    // what process was doing when a function failed: adding a row to its frame, evicting rows, sending a row
    private static final int ADDING = 0;
    private static final int EVICTING = 1;
    private static final int SENDING = 2;

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
    /** Where the held rows were read. */
    private final RowOrigins origins = new RowOrigins();
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
        final TreeMap<Long, Peers> pending = new TreeMap<>();
        int pendingRows;
        /** Unbounded: the accumulators' slot (-1 before the first row). */
        int slot = -1;
        /** Bounded: the frame's rows, oldest first: the front rows, then the back's. */
        final FrameRows frame = new FrameRows();
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

    /** The split ids of rows sent whose origin is not known, or was not kept by an old checkpoint. */
    private static final int UNKNOWN_SPLIT = Integer.MAX_VALUE;
    private static final int NOT_KEPT_SPLIT = Integer.MAX_VALUE - 1;

    /** Where the rows this operator sends were read: their split ids are origins, their offsets the rows' own. */
    private final RowPositions sentPositions = new RowPositions() {
        @Override
        public String of(Batch batch, int row) {
            return describe(batch.splitId(row), batch.offset(row));
        }

        @Override
        public String split(int splitId) {
            return describe(splitId, -1);
        }

        @Override
        public String range(Batch batch) {
            return RowPositions.ranges(batch, id -> describe(id, -1), id -> id < NOT_KEPT_SPLIT);
        }

        private String describe(int splitId, long offset) {
            if (splitId == UNKNOWN_SPLIT) {
                return "an input that did not say where (e.g. rows a join made)";
            }
            if (splitId == NOT_KEPT_SPLIT) {
                return "a row restored from a checkpoint of an earlier version of Weir, which did not keep where";
            }
            return RowPositions.at(origins.name(splitId), offset);
        }
    };

    /** Where the rows this operator sends were read, for a function failing on one of them after it. */
    public RowPositions rowPositions() {
        return sentPositions;
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
        addInput(batch, null);
    }

    @Override
    public void addInput(Batch batch, RowPositions positions) {
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
            int origin = positions == null ? RowOrigins.UNKNOWN : origins.of(positions, batch.splitId(r));
            partition.pending.computeIfAbsent(ts, t -> new Peers()).add(row, origin, positions == null ? -1 : batch.offset(r));
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
                    while (!partition.frame.isEmpty() && time(partition.frame.row(0)) < oldest) {
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

    private void process(Partition partition, NavigableMap<Long, Peers> ready, BatchBuilder out) {
        List<Object[]> rows = new ArrayList<>();
        for (Peers peers : ready.values()) {
            for (int i = 0; i < peers.size(); i++) {
                rows.add(peers.row(i));
            }
        }
        Batch batch = Batch.of(inputType, rows);
        bind(batch);
        int first = 0;
        // the row being added or sent, for a function failing on it (evict names the frame's rows itself)
        Peers peers = null;
        int at = 0;
        int doing = EVICTING;
        try {
            for (Map.Entry<Long, Peers> entry : ready.entrySet()) {
                long time = entry.getKey();
                peers = entry.getValue();
                int count = peers.size();
                if (rowsFrame) {
                    for (at = 0; at < count; at++) {
                        doing = ADDING;
                        push(partition, peers.row(at), peers.origin(at), peers.offset(at), first + at);
                        doing = EVICTING;
                        if (!unbounded && partition.frame.size() > preceding + 1
                                && evictTo(partition, preceding + 1, Long.MIN_VALUE)) {
                            bind(batch);
                        }
                        doing = SENDING;
                        write(partition, peers.row(at), peers.origin(at), peers.offset(at), out);
                    }
                } else {
                    doing = ADDING;
                    for (at = 0; at < count; at++) {
                        push(partition, peers.row(at), peers.origin(at), peers.offset(at), first + at);
                    }
                    doing = EVICTING;
                    if (!unbounded && evictTo(partition, Long.MAX_VALUE, time - preceding)) {
                        bind(batch);
                    }
                    doing = SENDING;
                    for (at = 0; at < count; at++) {
                        write(partition, peers.row(at), peers.origin(at), peers.offset(at), out);
                    }
                }
                first += count;
            }
        } catch (WeirException e) {
            throw doing == EVICTING ? e : origins.locate(e, peers.origin(at), peers.offset(at), doing == ADDING);
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

    /** Adds row {@code index} of the bound batch, {@code row} (read where origin and offset say), to the partition's frame. */
    private void push(Partition partition, Object[] row, int origin, long offset, int index) {
        int slot;
        if (unbounded) {
            if (partition.slot < 0) {
                partition.slot = allocate();
            }
            slot = partition.slot;
        } else {
            partition.frame.addLast(row, origin, offset);
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
                && (partition.frame.size() > maxRows || time(partition.frame.row(0)) < oldest)) {
            rebound |= evict(partition);
        }
        return rebound;
    }

    /** Takes the oldest row out of a bounded frame; true when the accumulators were bound to another batch. */
    private boolean evict(Partition partition) {
        boolean rebound = false;
        if (partition.front.isEmpty()) {
            // the back's rows become the front: each with the aggregate of itself and the rows after it
            FrameRows frame = partition.frame;
            List<Object[]> rows = frame.rows();
            bind(Batch.of(inputType, rows));
            rebound = true;
            int[] slots = new int[rows.size()];
            int i = rows.size() - 1;
            boolean adding = false;
            try {
                for (; i >= 0; i--) {
                    int slot = allocate();
                    for (Accumulator accumulator : accumulators) {
                        if (i < rows.size() - 1) {
                            adding = false;
                            accumulator.merge(slot, slots[i + 1]);
                        }
                        adding = true;
                        accumulator.add(slot, i);
                    }
                    slots[i] = slot;
                }
            } catch (WeirException e) {
                throw origins.locate(e, frame.origin(i), frame.offset(i), adding);
            }
            for (int slot : slots) {
                partition.front.addLast(slot);
            }
            if (partition.back >= 0) {
                release(partition.back);
                partition.back = -1;
            }
        }
        partition.frame.removeFirst();
        release(partition.front.pollFirst());
        heldRows--;
        return rebound;
    }

    private long time(Object[] row) {
        return (Long) row[timeColumn];
    }

    /** Writes {@code row} with the partition's frame's aggregates. */
    private void write(Partition partition, Object[] row, int origin, long offset, BatchBuilder out) {
        int width = inputType.size();
        // each row sent is one row read: it says where, for a function failing on it after this operator
        out.setSplit(origin >= 0 ? origin : origin == RowOrigins.NOT_KEPT ? NOT_KEPT_SPLIT : UNKNOWN_SPLIT);
        out.setOffset(Math.max(0, offset));
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

    // ---- snapshots: header (watermark, late rows, version), then per partition (by key group) its key, the names of
    // its rows' splits, its waiting rows and frame: its rows (bounded) or its accumulators (unbounded); each row with
    // where it was read

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
        long expected = 256 + entries.size() * 96L + heldRows * (16L * inputType.size() + 10);
        PartitionOrigins partitionOrigins = new PartitionOrigins(origins.count());
        return KeyedSnapshot.write(SNAPSHOT_KIND, stateLayout(), (int) Math.min(Integer.MAX_VALUE / 2, expected), out -> {
            out.writeLong(watermark.millis());
            out.writeBoolean(watermark.idle());
            out.writeLong(lateRows);
            out.writeInt(SNAPSHOT_VERSION);
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
            partitionOrigins.write(partition, out);
            out.writeInt(partition.pendingRows);
            for (Peers peers : partition.pending.values()) {
                for (int i = 0; i < peers.size(); i++) {
                    writeRow(out, peers.row(i));
                    partitionOrigins.writePosition(out, peers.origin(i), peers.offset(i));
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
                FrameRows frame = partition.frame;
                out.writeInt(frame.size());
                for (int i = 0; i < frame.size(); i++) {
                    writeRow(out, frame.row(i));
                    partitionOrigins.writePosition(out, frame.origin(i), frame.offset(i));
                }
            }
        }, null).toByteArray();
    }

    /**
     * Numbers the splits of one partition's rows at a time, for its checkpoint entry: the entry holds their names and
     * each row the number, so that an entry read alone (into any instance, see {@link KeyGroupRange}) names them.
     */
    private final class PartitionOrigins {
        /** Per origin: its number in the partition being written, valid when its stamp is the partition's. */
        private final int[] numbers;
        private final int[] stamps;
        private final int[] listed;
        private int stamp;

        PartitionOrigins(int count) {
            numbers = new int[count];
            stamps = new int[count];
            listed = new int[count];
        }

        /** Numbers the origins of the partition's rows and writes their names. */
        void write(Partition partition, StateWriter out) {
            stamp++;
            int count = 0;
            for (Peers peers : partition.pending.values()) {
                for (int i = 0; i < peers.size(); i++) {
                    count = number(peers.origin(i), count);
                }
            }
            for (int i = 0; i < partition.frame.size(); i++) {
                count = number(partition.frame.origin(i), count);
            }
            out.writeVarInt(count);
            for (int i = 0; i < count; i++) {
                out.writeString(origins.name(listed[i]));
            }
        }

        private int number(int origin, int count) {
            if (origin < 0 || stamps[origin] == stamp) {
                return count;
            }
            stamps[origin] = stamp;
            numbers[origin] = count;
            listed[count] = origin;
            return count + 1;
        }

        void writePosition(StateWriter out, int origin, long offset) {
            if (origin == RowOrigins.UNKNOWN) {
                out.writeVarInt(ORIGIN_UNKNOWN);
            } else if (origin == RowOrigins.NOT_KEPT) {
                out.writeVarInt(ORIGIN_NOT_KEPT);
            } else {
                out.writeVarInt(ORIGIN_BASE + numbers[origin]);
                out.writeLong(offset);
            }
        }
    }

    private void writeRow(StateWriter out, Object[] row) {
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

    /** The version a header says (a version 1 header has none), with {@code in} after it. */
    private static int readVersion(StateReader in, int headerLength) {
        if (headerLength == V1_HEADER_BYTES) {
            return 1;
        }
        int version = in.readInt();
        if (version < 2 || version > SNAPSHOT_VERSION) {
            throw new SnapshotFormat.CorruptSnapshotException("over aggregation state of version " + version
                    + "; this server reads versions 1 to " + SNAPSHOT_VERSION);
        }
        return version;
    }

    /** Every instance sees the same watermark: the first's is every one's; the late rows are summed. */
    @Override
    public StateBytes combine(List<StateBytes> snapshots) {
        return KeyedSnapshot.combine(snapshots, (headers, out) -> {
            long late = 0;
            Watermark first = null;
            int version = 0;
            for (StateReader header : headers) {
                int length = header.remaining();
                Watermark instance = new Watermark(header.readLong(), header.readBoolean());
                late += header.readLong();
                int instanceVersion = readVersion(header, length);
                if (first == null) {
                    first = instance;
                    version = instanceVersion;
                } else if (instanceVersion != version) {
                    // their entries are copied as they are: one version must read them all
                    throw new SnapshotFormat.CorruptSnapshotException("instances' snapshots of versions " + version
                            + " and " + instanceVersion);
                }
            }
            out.writeLong(first.millis());
            out.writeBoolean(first.idle());
            out.writeLong(late);
            if (version > 1) {
                out.writeInt(version);
            }
        });
    }

    @Override
    public void restore(byte[] snapshot, KeyGroupRange keyGroups) {
        requireNonNull(keyGroups, "keyGroups is null");
        List<List<Object>> keys = new ArrayList<>();
        int[] version = new int[1];
        KeyedSnapshot.read(snapshot, SNAPSHOT_KIND, stateLayout(), keyGroups, (in, length) -> {
            if (!partitions.isEmpty()) {
                throw new IllegalStateException("restore into an over aggregation that already has state");
            }
            watermark = new Watermark(in.readLong(), in.readBoolean());
            long late = in.readLong();
            lateRows = keyGroups.holdsCounters() ? late : 0;
            version[0] = readVersion(in, length);
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
                // per number in the entry, the origin; null: a version 1 entry, which kept no positions
                int[] entryOrigins = null;
                if (version[0] >= 2) {
                    entryOrigins = new int[in.readVarInt()];
                    for (int i = 0; i < entryOrigins.length; i++) {
                        entryOrigins[i] = origins.named(in.readString());
                    }
                }
                long[] offset = new long[1];
                int pending = in.readInt();
                for (int r = 0; r < pending; r++) {
                    Object[] row = readRow(in);
                    int origin = readPosition(in, entryOrigins, offset);
                    partition.pending.computeIfAbsent(time(row), t -> new Peers()).add(row, origin, offset[0]);
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
                    int[] rowOrigins = new int[count];
                    long[] rowOffsets = new long[count];
                    for (int r = 0; r < count; r++) {
                        rows.add(readRow(in));
                        rowOrigins[r] = readPosition(in, entryOrigins, offset);
                        rowOffsets[r] = offset[0];
                    }
                    if (count > 0) {
                        // the frame is rebuilt from its rows: all in the back
                        bind(Batch.of(inputType, rows));
                        int r = 0;
                        try {
                            for (; r < count; r++) {
                                push(partition, rows.get(r), rowOrigins[r], rowOffsets[r], r);
                            }
                        } catch (WeirException e) {
                            throw origins.locate(e, rowOrigins[r], rowOffsets[r], true);
                        }
                        heldRows += count;
                    }
                }
            }
        });
    }

    /**
     * Reads where a restored row was read: its origin, and its offset into {@code offset}; {@code entryOrigins} null
     * for a version 1 entry, which kept no positions.
     */
    private static int readPosition(StateReader in, int[] entryOrigins, long[] offset) {
        offset[0] = -1;
        if (entryOrigins == null) {
            return RowOrigins.NOT_KEPT;
        }
        int code = in.readVarInt();
        if (code == ORIGIN_UNKNOWN) {
            return RowOrigins.UNKNOWN;
        }
        if (code == ORIGIN_NOT_KEPT) {
            return RowOrigins.NOT_KEPT;
        }
        if (code - ORIGIN_BASE >= entryOrigins.length || code < 0) {
            throw new SnapshotFormat.CorruptSnapshotException("a row of split " + (code - ORIGIN_BASE) + " of a partition's "
                    + entryOrigins.length);
        }
        offset[0] = in.readLong();
        return entryOrigins[code - ORIGIN_BASE];
    }

    @Override
    public long stateRows() {
        return partitions.size();
    }

    @Override
    public long stateBytesEstimate() {
        return partitions.size() * 128L + heldRows * (28L + 24L * inputType.size())
                + (long) slotCount * Arrays.stream(accumulators).mapToLong(Accumulator::bytesPerGroup).sum();
    }
}

package io.weir.engine.rank;

import io.weir.engine.expression.EvaluationContext;
import io.weir.engine.join.RowStore;
import io.weir.engine.operator.Operator;
import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.Rank;
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

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Runs a {@link Rank}: per partition, the top {@code limit} rows in ORDER BY order, as Flink's rank and
 * deduplicate operators keep them. Rows with equal order values keep their arrival order, except for
 * keep-last deduplication, where the later row wins (as in Flink). Partitions are kept in arrival order,
 * so rows are sent in the order their partitions first appeared.
 *
 * <ul>
 *   <li>{@link Rank.Kind#WINDOW}: every partition is sent (top rows with row numbers) and dropped at the end
 *   of the micro-batch its rows came in; the window aggregation before it sends a window's rows together.</li>
 *   <li>{@link Rank.Kind#KEEP_FIRST}: a partition's earliest row is sent at the end of the micro-batch (by
 *   event time: once the watermark reaches it); the partition then only remembers that it sent one.</li>
 *   <li>{@link Rank.Kind#KEEP_LAST} and {@link Rank.Kind#UPDATING}: the partitions whose top rows changed
 *   send them at the end of every micro-batch.</li>
 * </ul>
 *
 * <p>With a state TTL ({@link #expireAfter}), a partition not updated for that long (processing time) is
 * forgotten, as Flink's state TTL does: its next row starts it anew. All rows of a partition come to the
 * same task (the exchange before it hashes the partition keys as {@link RowStore#hasher} does).
 */
public final class RankOperator implements Operator, SnapshottableState, ExpiringState {
    private static final String SNAPSHOT_KIND = "rank";

    private final Rank.Kind kind;
    private final int[] partitionKeys;
    private final long limit;
    private final boolean eventTime;
    private final int timeColumn;
    private final List<DataType.Field> inputType;
    private final List<DataType.Field> outputType;
    private final Comparator<Object[]> order;
    private final RowKeyHasher hasher;
    private final Map<List<Object>, Partition> partitions = new LinkedHashMap<>();
    /** Partitions with rows to send at the end of the micro-batch. */
    private final Set<List<Object>> changed = new LinkedHashSet<>();
    private final Queue<Batch> output = new ArrayDeque<>();
    private Watermark watermark = Watermark.INITIAL;
    private boolean finishing;
    private long now;
    private long ttlMillis = Long.MAX_VALUE;
    private long nextExpiry = Long.MIN_VALUE;
    private long[] hashes = new long[0];
    private long heldRows;

    /** A partition's state: its top rows in order, whether it sent its one row (keep-first), when last updated. */
    private static final class Partition {
        final long hash;
        final List<Object[]> rows = new ArrayList<>(1);
        boolean sent;
        long updatedAt;
        /** Keep-first: when its first row arrived at the server (end-to-end latency); unknown once restored. */
        long arrivalNanos = Batch.ARRIVAL_UNKNOWN;

        Partition(long hash) {
            this.hash = hash;
        }
    }

    public RankOperator(Rank plan) {
        requireNonNull(plan, "plan is null");
        this.kind = plan.kind();
        this.partitionKeys = plan.partitionKeys().stream().mapToInt(Integer::intValue).toArray();
        this.limit = plan.limit();
        this.eventTime = plan.eventTime();
        this.timeColumn = plan.orderKeys().get(0).column();
        this.inputType = plan.input().outputType();
        this.outputType = plan.outputType();
        this.order = comparator(plan.orderKeys());
        this.hasher = RowStore.hasher(partitionKeys);
    }

    private static Comparator<Object[]> comparator(List<Rank.SortKey> keys) {
        Comparator<Object[]> result = null;
        for (Rank.SortKey key : keys) {
            int column = key.column();
            Comparator<Object> values = RankOperator::compareValues;
            if (key.descending()) {
                values = values.reversed();
            }
            Comparator<Object> withNulls = key.nullsFirst() ? Comparator.nullsFirst(values) : Comparator.nullsLast(values);
            Comparator<Object[]> byColumn = Comparator.comparing(row -> row[column], withNulls);
            result = result == null ? byColumn : result.thenComparing(byColumn);
        }
        return result;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareValues(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.compareUnsigned(x, y);
        }
        if (a instanceof Comparable comparable) {
            return comparable.compareTo(b);
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }

    @Override
    public void expireAfter(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("state TTL must be positive: " + ttl);
        }
        this.ttlMillis = ttl.toMillis();
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
        if (hashes.length < rows) {
            hashes = new long[rows];
        }
        hasher.hash(batch, hashes);
        int width = inputType.size();
        long inserted = 0;
        for (int r = 0; r < rows; r++) {
            Object[] row = new Object[width];
            for (int c = 0; c < width; c++) {
                row[c] = batch.value(c, r);
            }
            List<Object> key = key(row);
            Partition partition = partitions.get(key);
            if (partition == null) {
                partition = new Partition(hashes[r]);
                partitions.put(key, partition);
            }
            partition.updatedAt = now;
            if (partition.sent) {
                continue; // keep-first: its row went out already
            }
            if (insert(partition, row)) {
                changed.add(key);
                inserted++;
                if (kind == Rank.Kind.KEEP_FIRST) {
                    partition.arrivalNanos = batch.arrivalNanos();
                }
            }
        }
        if (kind != Rank.Kind.KEEP_FIRST) {
            // rows among the top ones are sent at the end of this batch; the others are in no result
            arrivals.contributed(batch.arrivalNanos(), inserted);
        }
    }

    /** Puts {@code row} among the partition's top rows; false when it is not among them. */
    private boolean insert(Partition partition, Object[] row) {
        List<Object[]> top = partition.rows;
        int position = top.size();
        boolean laterWins = kind == Rank.Kind.KEEP_LAST;
        // from the end: rows usually arrive in order, and a tie goes after its equals (or before, for keep-last)
        while (position > 0) {
            int comparison = order.compare(top.get(position - 1), row);
            if (comparison < 0 || (comparison == 0 && !laterWins)) {
                break;
            }
            position--;
        }
        if (position >= limit) {
            return false;
        }
        top.add(position, row);
        heldRows++;
        if (top.size() > limit) {
            top.remove(top.size() - 1);
            heldRows--;
        }
        return true;
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
        this.watermark = watermark;
        emit(false);
        if (ttlMillis != Long.MAX_VALUE && now >= nextExpiry) {
            // a scan of every partition, a few times per TTL
            for (Iterator<Map.Entry<List<Object>, Partition>> all = partitions.entrySet().iterator(); all.hasNext(); ) {
                Map.Entry<List<Object>, Partition> entry = all.next();
                if (entry.getValue().updatedAt < now - ttlMillis && !changed.contains(entry.getKey())) {
                    heldRows -= entry.getValue().rows.size();
                    all.remove();
                }
            }
            nextExpiry = now + Math.max(1, ttlMillis / 4);
        }
    }

    /** Sends the changed partitions' rows; {@code all}: at the end of the input, rows waiting for the watermark too. */
    private void emit(boolean all) {
        if (changed.isEmpty()) {
            return;
        }
        BatchBuilder out = new BatchBuilder(outputType, Math.max(16, changed.size()));
        for (Iterator<List<Object>> keys = changed.iterator(); keys.hasNext(); ) {
            List<Object> key = keys.next();
            Partition partition = partitions.get(key);
            switch (kind) {
                case WINDOW -> {
                    write(out, partition.rows);
                    heldRows -= partition.rows.size();
                    partitions.remove(key);
                }
                case KEEP_FIRST -> {
                    Object[] first = partition.rows.get(0);
                    if (!all && eventTime && !passed(first)) {
                        continue; // an earlier row may still come: wait for the watermark
                    }
                    write(out, partition.rows);
                    heldRows -= partition.rows.size();
                    partition.rows.clear();
                    partition.sent = true;
                    arrivals.contributed(partition.arrivalNanos, 1);
                }
                case KEEP_LAST, UPDATING -> write(out, partition.rows);
            }
            keys.remove();
        }
        if (!out.isEmpty()) {
            output.add(out.build());
        }
    }

    private boolean passed(Object[] row) {
        return row[timeColumn] instanceof Long time && time <= watermark.millis();
    }

    private void write(BatchBuilder out, List<Object[]> rows) {
        int width = inputType.size();
        for (int i = 0; i < rows.size(); i++) {
            Object[] row = rows.get(i);
            for (int c = 0; c < width; c++) {
                out.set(c, row[c]);
            }
            out.set(width, (long) (i + 1));
            out.commitRow();
        }
    }

    @Override
    public Watermark outputWatermark() {
        return watermark;
    }

    @Override
    public void finish() {
        if (!finishing) {
            finishing = true;
            emit(true);
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

    // ---- snapshots: header (watermark), then per partition (by key group) its key, flags and top rows

    private String stateLayout() {
        return "kind=" + kind + " limit=" + limit + " keys=" + Arrays.toString(partitionKeys) + " columns="
                + inputType.stream().map(field -> field.type().kind().name()).toList();
    }

    @Override
    public byte[] snapshot() {
        if (!output.isEmpty()) {
            throw new IllegalStateException("snapshot of a rank with output not taken yet");
        }
        List<Map.Entry<List<Object>, Partition>> entries = new ArrayList<>(partitions.entrySet());
        int[] keyGroups = new int[entries.size()];
        for (int i = 0; i < keyGroups.length; i++) {
            keyGroups[i] = KeyGroups.of(entries.get(i).getValue().hash);
        }
        return KeyedSnapshot.write(SNAPSHOT_KIND, stateLayout(), 256 + entries.size() * 64, out -> {
            out.writeLong(watermark.millis());
            out.writeBoolean(watermark.idle());
        }, null, keyGroups, entries.size(), (e, out) -> {
            List<Object> key = entries.get(e).getKey();
            for (int i = 0; i < partitionKeys.length; i++) {
                Object value = key.get(i);
                // a BINARY key is held as its content's text; its rows hold the bytes themselves
                ValueCodec.write(out, value instanceof List<?> ? DataType.varchar() : inputType.get(partitionKeys[i]).type(),
                        value instanceof List<?> list ? list.get(0) : value);
            }
        }, (e, out) -> {
            Partition partition = entries.get(e).getValue();
            out.writeLong(partition.hash);
            out.writeBoolean(partition.sent);
            out.writeLong(partition.updatedAt);
            out.writeBoolean(changed.contains(entries.get(e).getKey()));
            out.writeInt(partition.rows.size());
            for (Object[] row : partition.rows) {
                for (int c = 0; c < row.length; c++) {
                    ValueCodec.write(out, inputType.get(c).type(), row[c]);
                }
            }
        }, null).toByteArray();
    }

    /** Every instance sees the same watermark: the first's is every one's. */
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
        List<List<Object>> keys = new ArrayList<>();
        KeyedSnapshot.read(snapshot, SNAPSHOT_KIND, stateLayout(), keyGroups, in -> {
            if (!partitions.isEmpty()) {
                throw new IllegalStateException("restore into a rank that already has state");
            }
            watermark = new Watermark(in.readLong(), in.readBoolean());
        }, new KeyedSnapshot.EntryReader() {
            @Override
            public int readKey(int keyGroup, StateReader in) {
                Object[] key = new Object[partitionKeys.length];
                for (int i = 0; i < key.length; i++) {
                    DataType type = inputType.get(partitionKeys[i]).type();
                    boolean binary = type.kind() == io.weir.spi.type.TypeKind.VARBINARY;
                    Object value = ValueCodec.read(in, binary ? DataType.varchar() : type);
                    key[i] = binary && value != null ? List.of(value) : value;
                }
                keys.add(Arrays.asList(key));
                return keys.size() - 1;
            }

            @Override
            public void readValue(int handle, StateReader in) {
                List<Object> key = keys.get(handle);
                Partition partition = new Partition(in.readLong());
                if (partitions.put(key, partition) != null) {
                    throw new SnapshotFormat.CorruptSnapshotException("a partition written twice");
                }
                partition.sent = in.readBoolean();
                partition.updatedAt = in.readLong();
                if (in.readBoolean()) {
                    changed.add(key);
                }
                int count = in.readInt();
                for (int r = 0; r < count; r++) {
                    Object[] row = new Object[inputType.size()];
                    for (int c = 0; c < row.length; c++) {
                        row[c] = ValueCodec.read(in, inputType.get(c).type());
                    }
                    partition.rows.add(row);
                }
                heldRows += count;
            }
        });
    }

    @Override
    public long stateRows() {
        return partitions.size();
    }

    @Override
    public long stateBytesEstimate() {
        return partitions.size() * 96L + heldRows * (16L + 24L * inputType.size());
    }
}

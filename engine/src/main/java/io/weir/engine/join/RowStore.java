package io.weir.engine.join;

import io.weir.engine.state.KeyGroupRange;
import io.weir.engine.state.KeyGroupSections;
import io.weir.engine.state.KeyGroups;
import io.weir.engine.state.KeyHashing;
import io.weir.engine.state.SlotPool;
import io.weir.engine.state.SnapshotFormat;
import io.weir.engine.state.StateReader;
import io.weir.engine.state.StateWriter;
import io.weir.engine.state.ValueCodec;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.batch.BooleanVector;
import io.weir.spi.batch.ColumnVector;
import io.weir.spi.batch.DoubleVector;
import io.weir.spi.batch.LongVector;
import io.weir.spi.batch.ObjectVector;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * The rows one side of a join holds, column by column in primitive arrays (no object per row),
 * indexed by a hash of their join key: rows with the same key hash are chained, doubly linked so
 * that a row can be freed in O(1). Each row also has a time (event time or window end, for
 * purging) and a matched flag (for outer joins). Row ids are dense slots reused after
 * {@link #remove}. Not thread-safe; a lookup table is filled once and then only read.
 */
public final class RowStore {
    private static final int NONE = -1;

    private final List<DataType.Field> rowType;
    private final int[] keyColumns;
    private final TypeKind.Representation[] representations;
    private final long[][] longs;
    private final double[][] doubles;
    private final boolean[][] booleans;
    private final Object[][] objects;
    private final boolean[][] nulls;
    private final SlotPool slots = new SlotPool();
    private long[] hashes = new long[0];
    private long[] times = new long[0];
    private int[] next = new int[0];
    private int[] previous = new int[0];
    private boolean[] matched = new boolean[0];
    private boolean[] live = new boolean[0];
    private int[] heads;
    private int capacity;

    /** @param keyColumns the columns of {@code rowType} the rows are indexed by, in key order */
    public RowStore(List<DataType.Field> rowType, List<Integer> keyColumns) {
        this.rowType = List.copyOf(rowType);
        this.keyColumns = keyColumns.stream().mapToInt(Integer::intValue).toArray();
        int columns = rowType.size();
        representations = new TypeKind.Representation[columns];
        longs = new long[columns][];
        doubles = new double[columns][];
        booleans = new boolean[columns][];
        objects = new Object[columns][];
        nulls = new boolean[columns][];
        for (int column = 0; column < columns; column++) {
            representations[column] = rowType.get(column).type().kind().representation();
        }
        heads = new int[16];
        Arrays.fill(heads, NONE);
        grow(16);
    }

    public List<DataType.Field> rowType() {
        return rowType;
    }

    /** Rows held. */
    public int size() {
        return slots.live();
    }

    /** The hash of the key columns {@code keys} of a batch row; check {@link #hasNullKey} first: NULL matches nothing. */
    public static long hash(Batch batch, int row, int[] keys) {
        long h = 17;
        for (int key : keys) {
            h = KeyHashing.combine(h, hashAt(batch.column(key), row));
        }
        return h;
    }

    /**
     * The hashes a join's store keeps the rows of a batch under: {@link #hash}, and 0 for a row with a
     * NULL key (which matches nothing and is kept under 0).
     */
    public static io.weir.engine.state.RowKeyHasher hasher(int[] keys) {
        int[] columns = keys.clone();
        return (batch, hashes) -> {
            for (int row = 0, rows = batch.rowCount(); row < rows; row++) {
                hashes[row] = hasNullKey(batch, row, columns) ? 0 : hash(batch, row, columns);
            }
        };
    }

    public static boolean hasNullKey(Batch batch, int row, int[] keys) {
        for (int key : keys) {
            if (batch.column(key).isNull(row)) {
                return true;
            }
        }
        return false;
    }

    private static long hashAt(ColumnVector vector, int row) {
        if (vector instanceof LongVector v) {
            return KeyHashing.hashLong(v.values()[row]);
        }
        if (vector instanceof DoubleVector v) {
            return KeyHashing.hashDouble(v.values()[row]);
        }
        if (vector instanceof BooleanVector v) {
            return KeyHashing.hashBoolean(v.values()[row]);
        }
        return KeyHashing.hashObject(((ObjectVector) vector).values()[row]);
    }

    /** Copies row {@code row} of {@code batch} (which has this store's row type) in; returns its id. */
    public int add(Batch batch, int row, long hash, long time) {
        int id = allocate(hash, time);
        for (int column = 0; column < representations.length; column++) {
            ColumnVector vector = batch.column(column);
            boolean isNull = vector.isNull(row);
            nulls[column][id] = isNull;
            switch (representations[column]) {
                case LONG -> longs[column][id] = isNull ? 0 : ((LongVector) vector).values()[row];
                case DOUBLE -> doubles[column][id] = isNull ? 0 : ((DoubleVector) vector).values()[row];
                case BOOLEAN -> booleans[column][id] = !isNull && ((BooleanVector) vector).values()[row];
                case OBJECT -> objects[column][id] = isNull ? null : ((ObjectVector) vector).values()[row];
            }
        }
        link(id);
        return id;
    }

    /** A new live row with this hash and time, its values still to be set, not linked yet. */
    private int allocate(long hash, long time) {
        int id = slots.allocate();
        if (id >= capacity) {
            grow(Math.max(16, capacity * 2));
        }
        hashes[id] = hash;
        times[id] = time;
        matched[id] = false;
        // rehash before the row counts as live: rehash links the live rows, and the row is linked once, by the caller
        if (slots.live() > heads.length * 3 / 4) {
            rehash(heads.length * 2);
        }
        live[id] = true;
        return id;
    }

    /** Frees row {@code id}. */
    public void remove(int id) {
        if (!live[id]) {
            throw new IllegalArgumentException("row " + id + " is not held");
        }
        int bucket = bucket(hashes[id]);
        if (previous[id] == NONE) {
            heads[bucket] = next[id];
        } else {
            next[previous[id]] = next[id];
        }
        if (next[id] != NONE) {
            previous[next[id]] = previous[id];
        }
        for (Object[] column : objects) {
            if (column != null) {
                column[id] = null; // do not keep the row's values reachable
            }
        }
        live[id] = false;
        slots.release(id);
    }

    /** The first row whose key hash is {@code hash} (then {@link #nextWithHash}), or -1. */
    public int firstWithHash(long hash) {
        return skipTo(heads[bucket(hash)], hash);
    }

    public int nextWithHash(int id) {
        return skipTo(next[id], hashes[id]);
    }

    private int skipTo(int id, long hash) {
        while (id != NONE && hashes[id] != hash) {
            id = next[id];
        }
        return id;
    }

    /** Whether row {@code id}'s key equals the key columns {@code keys} of a batch row (no NULLs there). */
    public boolean keyEquals(int id, Batch batch, int row, int[] keys) {
        for (int i = 0; i < keys.length; i++) {
            int column = keyColumns[i];
            if (nulls[column][id]) {
                return false;
            }
            ColumnVector vector = batch.column(keys[i]);
            boolean equal = switch (representations[column]) {
                case LONG -> vector instanceof LongVector v && v.values()[row] == longs[column][id];
                case DOUBLE -> vector instanceof DoubleVector v && Double.compare(v.values()[row], doubles[column][id]) == 0;
                case BOOLEAN -> vector instanceof BooleanVector v && v.values()[row] == booleans[column][id];
                case OBJECT -> vector instanceof ObjectVector v && objectEquals(v.values()[row], objects[column][id]);
            };
            if (!equal) {
                return false;
            }
        }
        return true;
    }

    /** Whether row {@code id}'s key equals row {@code otherId}'s key in {@code other}. */
    public boolean keyEquals(int id, RowStore other, int otherId) {
        for (int i = 0; i < keyColumns.length; i++) {
            int column = keyColumns[i];
            int otherColumn = other.keyColumns[i];
            if (nulls[column][id] || other.nulls[otherColumn][otherId]
                    || representations[column] != other.representations[otherColumn]) {
                return false;
            }
            boolean equal = switch (representations[column]) {
                case LONG -> longs[column][id] == other.longs[otherColumn][otherId];
                case DOUBLE -> Double.compare(doubles[column][id], other.doubles[otherColumn][otherId]) == 0;
                case BOOLEAN -> booleans[column][id] == other.booleans[otherColumn][otherId];
                case OBJECT -> objectEquals(objects[column][id], other.objects[otherColumn][otherId]);
            };
            if (!equal) {
                return false;
            }
        }
        return true;
    }

    private static boolean objectEquals(Object left, Object right) {
        if (left instanceof BigDecimal l && right instanceof BigDecimal r) {
            return l.compareTo(r) == 0;
        }
        if (left instanceof byte[] l && right instanceof byte[] r) {
            return Arrays.equals(l, r);
        }
        return Objects.equals(left, right);
    }

    /** Whether row {@code id} has a NULL in a key column. */
    public boolean hasNullKey(int id) {
        for (int column : keyColumns) {
            if (nulls[column][id]) {
                return true;
            }
        }
        return false;
    }

    public long hash(int id) {
        return hashes[id];
    }

    public long time(int id) {
        return times[id];
    }

    public boolean matched(int id) {
        return matched[id];
    }

    public void setMatched(int id) {
        matched[id] = true;
    }

    /** Writes row {@code id}'s columns to {@code out} from column {@code firstColumn} on. */
    public void write(int id, BatchBuilder out, int firstColumn) {
        for (int column = 0; column < representations.length; column++) {
            int target = firstColumn + column;
            if (nulls[column][id]) {
                out.setNull(target);
                continue;
            }
            switch (representations[column]) {
                case LONG -> out.setLong(target, longs[column][id]);
                case DOUBLE -> out.setDouble(target, doubles[column][id]);
                case BOOLEAN -> out.setBoolean(target, booleans[column][id]);
                case OBJECT -> out.setObject(target, objects[column][id]);
            }
        }
    }

    /**
     * Writes the rows held by key group (see {@link KeyGroupSections}): per row its key hash, time,
     * matched flag and values, so that a restore can take only the key groups it owns.
     */
    public void writeTo(StateWriter out) {
        int count = size();
        int[] ids = new int[count];
        int[] keyGroups = new int[count];
        int next = 0;
        for (int id = 0; id < slots.capacity(); id++) {
            if (live[id]) {
                ids[next] = id;
                keyGroups[next++] = KeyGroups.of(hashes[id]);
            }
        }
        KeyGroupSections.write(out, keyGroups, count, (i, rowOut) -> {
            int id = ids[i];
            rowOut.writeLong(hashes[id]);
            rowOut.writeLong(times[id]);
            rowOut.writeBoolean(matched[id]);
            for (int column = 0; column < representations.length; column++) {
                ValueCodec.write(rowOut, rowType.get(column).type(), value(column, id));
            }
        });
    }

    private Object value(int column, int id) {
        if (nulls[column][id]) {
            return null;
        }
        return switch (representations[column]) {
            case LONG -> longs[column][id];
            case DOUBLE -> doubles[column][id];
            case BOOLEAN -> booleans[column][id];
            case OBJECT -> objects[column][id];
        };
    }

    /** Adds the rows {@link #writeTo} wrote whose key group is in {@code keyGroups}; tells {@code added} each new id. */
    public void readFrom(StateReader in, KeyGroupRange keyGroups, IntConsumer added) {
        KeyGroupSections.read(in, keyGroups, (keyGroup, rowIn) -> {
            long hash = rowIn.readLong();
            KeyGroupSections.checkKeyGroup(keyGroup, KeyGroups.of(hash));
            long time = rowIn.readLong();
            boolean wasMatched = rowIn.readBoolean();
            int id = allocate(hash, time);
            for (int column = 0; column < representations.length; column++) {
                Object value = ValueCodec.read(rowIn, rowType.get(column).type());
                nulls[column][id] = value == null;
                switch (representations[column]) {
                    case LONG -> longs[column][id] = value == null ? 0 : (Long) value;
                    case DOUBLE -> doubles[column][id] = value == null ? 0 : (Double) value;
                    case BOOLEAN -> booleans[column][id] = value != null && (Boolean) value;
                    case OBJECT -> objects[column][id] = value;
                }
            }
            if (!hasNullKey(id) && keyHash(id) != hash) {
                // rows with a NULL key carry the hash their join chose for them
                throw new SnapshotFormat.CorruptSnapshotException("a held row's key hashes to " + keyHash(id)
                        + ", not " + hash + "; key hashing changed since the snapshot");
            }
            matched[id] = wasMatched;
            link(id);
            added.accept(id);
        });
    }

    /** The hash of row {@code id}'s key computed as {@link #hash(Batch, int, int[])} computes it. */
    private long keyHash(int id) {
        long h = 17;
        for (int column : keyColumns) {
            h = KeyHashing.combine(h, KeyHashing.hashObject(value(column, id)));
        }
        return h;
    }

    /** Approximate bytes held: the column arrays and the hash index (not the objects' contents). */
    public long estimatedBytes() {
        return (long) capacity * (9L * representations.length + 38) + 4L * heads.length;
    }

    /** Frees every row. */
    public void clear() {
        for (Object[] column : objects) {
            if (column != null) {
                Arrays.fill(column, null);
            }
        }
        Arrays.fill(live, false);
        Arrays.fill(heads, NONE);
        slots.clear();
    }

    private int bucket(long hash) {
        return (int) (hash ^ (hash >>> 32)) & (heads.length - 1);
    }

    private void link(int id) {
        int bucket = bucket(hashes[id]);
        int head = heads[bucket];
        next[id] = head;
        previous[id] = NONE;
        if (head != NONE) {
            previous[head] = id;
        }
        heads[bucket] = id;
    }

    private void rehash(int buckets) {
        heads = new int[buckets];
        Arrays.fill(heads, NONE);
        for (int id = 0; id < slots.capacity(); id++) {
            if (live[id]) {
                link(id);
            }
        }
    }

    private void grow(int newCapacity) {
        for (int column = 0; column < representations.length; column++) {
            nulls[column] = nulls[column] == null ? new boolean[newCapacity] : Arrays.copyOf(nulls[column], newCapacity);
            switch (representations[column]) {
                case LONG -> longs[column] = longs[column] == null ? new long[newCapacity] : Arrays.copyOf(longs[column], newCapacity);
                case DOUBLE -> doubles[column] = doubles[column] == null ? new double[newCapacity]
                        : Arrays.copyOf(doubles[column], newCapacity);
                case BOOLEAN -> booleans[column] = booleans[column] == null ? new boolean[newCapacity]
                        : Arrays.copyOf(booleans[column], newCapacity);
                case OBJECT -> objects[column] = objects[column] == null ? new Object[newCapacity]
                        : Arrays.copyOf(objects[column], newCapacity);
            }
        }
        hashes = Arrays.copyOf(hashes, newCapacity);
        times = Arrays.copyOf(times, newCapacity);
        next = Arrays.copyOf(next, newCapacity);
        previous = Arrays.copyOf(previous, newCapacity);
        matched = Arrays.copyOf(matched, newCapacity);
        live = Arrays.copyOf(live, newCapacity);
        capacity = newCapacity;
    }
}

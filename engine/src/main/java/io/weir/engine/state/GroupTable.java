package io.weir.engine.state;

import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.type.DataType;

import java.util.List;

/**
 * A hash table from group key (some columns of a row) to a dense entry number (0, 1, 2, ... in
 * insertion order) with one int of payload per entry, such as the slot of the group's accumulators.
 * Looking a key up reads it straight from the batch's column arrays: no per-row objects.
 * Not thread-safe.
 */
public abstract class GroupTable {
    protected int[] payload = new int[16];

    /** A table for the given key columns of rows of {@code rowType}: unboxed for one LONG-represented key. */
    public static GroupTable create(List<DataType.Field> rowType, List<Integer> keyColumns, int expectedSize) {
        if (keyColumns.size() == 1
                && rowType.get(keyColumns.get(0)).type().kind().representation() == io.weir.spi.type.TypeKind.Representation.LONG) {
            return new LongGroupTable(keyColumns.get(0), expectedSize);
        }
        List<DataType> types = keyColumns.stream().map(column -> rowType.get(column).type()).toList();
        return new RowGroupTable(keyColumns, types, expectedSize);
    }

    /**
     * The hashes {@link #keyHash} gives the keys of a batch's rows in a table {@link #create}d for these
     * columns: for one LONG-represented key the value's own hash, else the hashes of the columns combined.
     */
    public static RowKeyHasher hasher(List<DataType.Field> rowType, List<Integer> keyColumns) {
        int[] keys = keyColumns.stream().mapToInt(Integer::intValue).toArray();
        if (keys.length == 1
                && rowType.get(keys[0]).type().kind().representation() == io.weir.spi.type.TypeKind.Representation.LONG) {
            int key = keys[0];
            return (batch, hashes) -> {
                io.weir.spi.batch.LongVector vector = (io.weir.spi.batch.LongVector) batch.column(key);
                long[] values = vector.values();
                boolean[] nulls = vector.nulls();
                for (int row = 0, rows = batch.rowCount(); row < rows; row++) {
                    hashes[row] = nulls[row] ? KeyHashing.hashNull() : KeyHashing.hashLong(values[row]);
                }
            };
        }
        return (batch, hashes) -> {
            int rows = batch.rowCount();
            java.util.Arrays.fill(hashes, 0, rows, 1L);
            for (int key : keys) {
                io.weir.spi.batch.ColumnVector vector = batch.column(key);
                for (int row = 0; row < rows; row++) {
                    hashes[row] = KeyHashing.combine(hashes[row], RowGroupTable.hashAt(vector, row));
                }
            }
        };
    }

    /** Makes {@link #findOrInsert(int)} read rows of this batch. */
    public abstract void bind(Batch batch);

    /** The entry of the key in row {@code row} of the bound batch; a new entry (payload 0) if absent. */
    public abstract int findOrInsert(int row);

    /** Whether the last {@link #findOrInsert} created its entry. */
    public abstract boolean lastInserted();

    /**
     * The entry of the key of {@code other}'s entry {@code entry}, inserted if absent (see
     * {@link #lastInserted}); {@code other} is a table of the same kind (from {@link #newEmpty}).
     * Merging tables this way allocates nothing per key.
     */
    public abstract int findOrInsertKeyOf(GroupTable other, int entry);

    /** Inserts a key given as representation values (for restores); returns its entry. */
    public abstract int insertKey(Object[] key);

    public abstract int size();

    /** The stable hash of an entry's key, see {@link KeyHashing}; decides its key group. */
    public abstract long keyHash(int entry);

    /** The key of an entry as representation values. */
    public abstract Object[] key(int entry);

    /** Writes an entry's key columns to {@code out} starting at column {@code firstColumn}. */
    public abstract void writeKey(int entry, BatchBuilder out, int firstColumn);

    /** Writes an entry's key for a snapshot, as {@link ValueCodec} writes the key columns' values, allocating nothing. */
    public abstract void writeKey(int entry, StateWriter out);

    /** Reads a key {@link #writeKey} wrote and inserts it (for restores); returns its entry. */
    public abstract int readKey(StateReader in);

    /** Orders entries by key (nulls first), for deterministic output. */
    public abstract int compareKeys(int left, int right);

    /** The entries {@code 0..size()-1} in key order (as {@link #compareKeys}), for emitting groups deterministically. */
    public int[] sortedEntries() {
        return IntSorter.sortedIndexes(size(), this::compareKeys);
    }

    /** An empty table of the same kind. */
    public abstract GroupTable newEmpty(int expectedSize);

    /** Approximate bytes held, for statistics. */
    public abstract long estimatedBytes();

    public final int payload(int entry) {
        return payload[entry];
    }

    public final void setPayload(int entry, int value) {
        payload[entry] = value;
    }

    protected final void ensurePayload(int entries) {
        if (entries > payload.length) {
            payload = java.util.Arrays.copyOf(payload, Math.max(entries, payload.length * 2));
        }
    }

    public int keyGroup(int entry) {
        return KeyGroups.of(keyHash(entry));
    }

    static int tableSizeFor(int expected) {
        int size = 16;
        while (size < expected * 2) {
            size <<= 1;
        }
        return size;
    }
}

package io.weir.engine.state;

import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.batch.BooleanVector;
import io.weir.spi.batch.ColumnVector;
import io.weir.spi.batch.DoubleVector;
import io.weir.spi.batch.LongVector;
import io.weir.spi.batch.ObjectVector;
import io.weir.spi.type.DataType;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A {@link GroupTable} for any key columns (none, several, or non-integer ones). Keys are hashed and
 * compared straight from the batch; only a new group allocates (its key as an {@code Object[]}).
 */
final class RowGroupTable extends GroupTable {
    private final int[] keyColumns;
    private final List<DataType> keyTypes;
    private int[] index;
    private int mask;
    private Object[][] keys;
    private long[] hashes;
    private int size;
    private ColumnVector[] vectors;
    private boolean lastInserted;

    RowGroupTable(List<Integer> keyColumns, List<DataType> keyTypes, int expectedSize) {
        this.keyColumns = keyColumns.stream().mapToInt(Integer::intValue).toArray();
        this.keyTypes = List.copyOf(keyTypes);
        int tableSize = tableSizeFor(expectedSize);
        this.index = new int[tableSize];
        this.mask = tableSize - 1;
        this.keys = new Object[Math.max(8, expectedSize)][];
        this.hashes = new long[keys.length];
        this.vectors = new ColumnVector[this.keyColumns.length];
        ensurePayload(keys.length);
    }

    @Override
    public void bind(Batch batch) {
        for (int i = 0; i < keyColumns.length; i++) {
            vectors[i] = batch.column(keyColumns[i]);
        }
    }

    @Override
    public int findOrInsert(int row) {
        long hash = 1;
        for (ColumnVector vector : vectors) {
            hash = KeyHashing.combine(hash, hashAt(vector, row));
        }
        int position = (int) hash & mask;
        while (true) {
            int entry = index[position] - 1;
            if (entry < 0) {
                Object[] key = new Object[vectors.length];
                for (int i = 0; i < vectors.length; i++) {
                    key[i] = vectors[i].value(row);
                }
                lastInserted = true;
                return insertAt(position, key, hash);
            }
            if (hashes[entry] == hash && equalsAt(keys[entry], row)) {
                lastInserted = false;
                return entry;
            }
            position = (position + 1) & mask;
        }
    }

    static long hashAt(ColumnVector vector, int row) {
        if (vector.nulls()[row]) {
            return KeyHashing.hashNull();
        }
        if (vector instanceof LongVector longs) {
            return KeyHashing.hashLong(longs.values()[row]);
        }
        if (vector instanceof DoubleVector doubles) {
            return KeyHashing.hashDouble(doubles.values()[row]);
        }
        if (vector instanceof BooleanVector booleans) {
            return KeyHashing.hashBoolean(booleans.values()[row]);
        }
        return KeyHashing.hashObject(((ObjectVector) vector).values()[row]);
    }

    private boolean equalsAt(Object[] key, int row) {
        for (int i = 0; i < vectors.length; i++) {
            ColumnVector vector = vectors[i];
            Object stored = key[i];
            if (vector.nulls()[row]) {
                if (stored != null) {
                    return false;
                }
                continue;
            }
            if (stored == null) {
                return false;
            }
            boolean equal;
            if (vector instanceof LongVector longs) {
                equal = (Long) stored == longs.values()[row];
            } else if (vector instanceof DoubleVector doubles) {
                equal = (Double) stored == doubles.values()[row];
            } else if (vector instanceof BooleanVector booleans) {
                equal = (Boolean) stored == booleans.values()[row];
            } else {
                equal = objectEquals(stored, ((ObjectVector) vector).values()[row]);
            }
            if (!equal) {
                return false;
            }
        }
        return true;
    }

    /** Whether two stored keys are equal as {@link #equalsAt} compares a stored key with a row. */
    private static boolean keysEqual(Object[] left, Object[] right) {
        for (int i = 0; i < left.length; i++) {
            Object a = left[i];
            Object b = right[i];
            if (a == null || b == null) {
                if (a != b) {
                    return false;
                }
            } else if (a instanceof Double x ? !(b instanceof Double y && x.doubleValue() == y.doubleValue()) : !objectEquals(a, b)) {
                return false;
            }
        }
        return true;
    }

    private static boolean objectEquals(Object left, Object right) {
        if (left instanceof byte[] a && right instanceof byte[] b) {
            return Arrays.equals(a, b);
        }
        if (left instanceof java.math.BigDecimal a && right instanceof java.math.BigDecimal b) {
            return a.compareTo(b) == 0;
        }
        if (left instanceof Object[] a && right instanceof Object[] b) {
            return Arrays.deepEquals(a, b);
        }
        return Objects.equals(left, right);
    }

    private int insertAt(int position, Object[] key, long hash) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
        }
        ensurePayload(size + 1);
        keys[size] = key;
        hashes[size] = hash;
        payload[size] = 0;
        index[position] = size + 1;
        int entry = size++;
        if (size * 2 > index.length) {
            rehash();
        }
        return entry;
    }

    private void rehash() {
        int[] newIndex = new int[index.length * 2];
        int newMask = newIndex.length - 1;
        for (int entry = 0; entry < size; entry++) {
            int position = (int) hashes[entry] & newMask;
            while (newIndex[position] != 0) {
                position = (position + 1) & newMask;
            }
            newIndex[position] = entry + 1;
        }
        index = newIndex;
        mask = newMask;
    }

    @Override
    public boolean lastInserted() {
        return lastInserted;
    }

    @Override
    public int findOrInsertKeyOf(GroupTable other, int entry) {
        RowGroupTable from = (RowGroupTable) other;
        long hash = from.hashes[entry];
        Object[] key = from.keys[entry];
        int position = (int) hash & mask;
        while (true) {
            int found = index[position] - 1;
            if (found < 0) {
                lastInserted = true;
                return insertAt(position, key, hash); // keys are never changed once stored, so tables can share them
            }
            if (hashes[found] == hash && keysEqual(keys[found], key)) {
                lastInserted = false;
                return found;
            }
            position = (position + 1) & mask;
        }
    }

    @Override
    public int insertKey(Object[] key) {
        long hash = 1;
        for (Object value : key) {
            hash = KeyHashing.combine(hash, KeyHashing.hashObject(value));
        }
        int position = (int) hash & mask;
        while (true) {
            int entry = index[position] - 1;
            if (entry < 0) {
                return insertAt(position, key.clone(), hash);
            }
            if (hashes[entry] == hash && Arrays.deepEquals(keys[entry], key)) {
                return entry;
            }
            position = (position + 1) & mask;
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long keyHash(int entry) {
        return hashes[entry];
    }

    @Override
    public Object[] key(int entry) {
        return keys[entry].clone();
    }

    @Override
    public void writeKey(int entry, BatchBuilder out, int firstColumn) {
        Object[] key = keys[entry];
        for (int i = 0; i < key.length; i++) {
            out.set(firstColumn + i, key[i]);
        }
    }

    @Override
    public void writeKey(int entry, StateWriter out) {
        Object[] key = keys[entry];
        for (int i = 0; i < key.length; i++) {
            ValueCodec.write(out, keyTypes.get(i), key[i]);
        }
    }

    @Override
    public int readKey(StateReader in) {
        Object[] key = new Object[keyTypes.size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = ValueCodec.read(in, keyTypes.get(i));
        }
        return insertKey(key);
    }

    /**
     * In key order, comparing the key columns whose values are longs (BIGINT, timestamps) from
     * primitive arrays copied for the sort: comparing the boxed keys of a large window one by one chased
     * pointers across the heap and took 42% of Nexmark q7's query thread (a window's ~900,000 groups of
     * five keys, profiled with JFR). Other columns compare as {@link #compareKeys} does.
     */
    @Override
    public int[] sortedEntries() {
        int count = size();
        int columns = keyTypes.size();
        if (count < 2) {
            return super.sortedEntries();
        }
        long[][] longs = new long[columns][];
        boolean[][] nulls = new boolean[columns][];
        for (int column = 0; column < columns; column++) {
            if (longColumn(column, count)) {
                longs[column] = new long[count];
                nulls[column] = new boolean[count];
                for (int entry = 0; entry < count; entry++) {
                    Object value = keys[entry][column];
                    if (value == null) {
                        nulls[column][entry] = true;
                    } else {
                        longs[column][entry] = (Long) value;
                    }
                }
            }
        }
        int[] entries = new int[count];
        for (int i = 0; i < count; i++) {
            entries[i] = i;
        }
        IntSorter.sort(entries, count, (left, right) -> {
            for (int column = 0; column < columns; column++) {
                int order = longs[column] == null ? compareColumn(keys[left][column], keys[right][column])
                        : nulls[column][left] || nulls[column][right]
                        ? Boolean.compare(nulls[column][right], nulls[column][left]) // NULL first, as compareKeys
                        : Long.compare(longs[column][left], longs[column][right]);
                if (order != 0) {
                    return order;
                }
            }
            return 0;
        });
        return entries;
    }

    /** Whether every value of the column is a Long or NULL. */
    private boolean longColumn(int column, int count) {
        for (int entry = 0; entry < count; entry++) {
            Object value = keys[entry][column];
            if (value != null && !(value instanceof Long)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareKeys(int left, int right) {
        Object[] a = keys[left];
        Object[] b = keys[right];
        for (int i = 0; i < a.length; i++) {
            int c = compareColumn(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** One key column's values in order: NULL first, then by value (values of different classes are equal). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareColumn(Object a, Object b) {
        if (a == null || b == null) {
            return Boolean.compare(b == null, a == null);
        }
        if (a instanceof Comparable ca && b.getClass() == a.getClass()) {
            return ca.compareTo(b);
        }
        return 0;
    }

    @Override
    public GroupTable newEmpty(int expectedSize) {
        return new RowGroupTable(Arrays.stream(keyColumns).boxed().toList(), keyTypes, expectedSize);
    }

    @Override
    public long estimatedBytes() {
        return 4L * index.length + 12L * keys.length + (long) size * (16 + 16L * keyColumns.length);
    }

    List<DataType> keyTypes() {
        return keyTypes;
    }
}

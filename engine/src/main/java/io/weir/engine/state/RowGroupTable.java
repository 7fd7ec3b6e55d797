package io.weir.engine.state;

import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.batch.BooleanVector;
import io.weir.spi.batch.ColumnVector;
import io.weir.spi.batch.DoubleVector;
import io.weir.spi.batch.LongVector;
import io.weir.spi.batch.ObjectVector;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A {@link GroupTable} for any key columns (none, several, or non-integer ones). Keys are hashed and
 * compared straight from the batch. Stored keys are column by column: the LONG-represented columns
 * (BIGINT, timestamps, ...) in primitive arrays, the others as objects, so a new group allocates no
 * boxes and a large table is little for the garbage collector to trace (Nexmark q7 holds a group per
 * bid of a 10 s window, ~900,000 of five columns, four of them longs).
 */
final class RowGroupTable extends GroupTable {
    /** Below this many entries the merge sort is as quick as the radix sort's passes. */
    private static final int RADIX_SORT_MIN_ENTRIES = 256;
    private final int[] keyColumns;
    private final List<DataType> keyTypes;
    /** Per key column, whether it is LONG-represented: its values are in {@link #longKeys} and {@link #nullKeys}. */
    private final boolean[] longKey;
    private int[] index;
    private int mask;
    /** Per key column, per entry: the value of a LONG column (0 where NULL), null for other columns. */
    private final long[][] longKeys;
    /** Per key column, per entry: whether a LONG column's value is NULL; null for other columns. */
    private final boolean[][] nullKeys;
    /** Per key column, per entry: the value of a column that is not LONG (null for NULL); null for LONG columns. */
    private final Object[][] objectKeys;
    private int capacity;
    private long[] hashes;
    private int size;
    private ColumnVector[] vectors;
    private boolean lastInserted;

    RowGroupTable(List<Integer> keyColumns, List<DataType> keyTypes, int expectedSize) {
        this.keyColumns = keyColumns.stream().mapToInt(Integer::intValue).toArray();
        this.keyTypes = List.copyOf(keyTypes);
        int columns = this.keyColumns.length;
        this.longKey = new boolean[columns];
        for (int i = 0; i < columns; i++) {
            longKey[i] = this.keyTypes.get(i).kind().representation() == TypeKind.Representation.LONG;
        }
        int tableSize = tableSizeFor(expectedSize);
        this.index = new int[tableSize];
        this.mask = tableSize - 1;
        this.capacity = Math.max(8, expectedSize);
        this.longKeys = new long[columns][];
        this.nullKeys = new boolean[columns][];
        this.objectKeys = new Object[columns][];
        for (int i = 0; i < columns; i++) {
            if (longKey[i]) {
                longKeys[i] = new long[capacity];
                nullKeys[i] = new boolean[capacity];
            } else {
                objectKeys[i] = new Object[capacity];
            }
        }
        this.hashes = new long[capacity];
        this.vectors = new ColumnVector[columns];
        ensurePayload(capacity);
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
                lastInserted = true;
                int inserted = insertAt(position, hash);
                for (int i = 0; i < vectors.length; i++) {
                    ColumnVector vector = vectors[i];
                    if (longKey[i]) {
                        boolean isNull = vector.nulls()[row];
                        nullKeys[i][inserted] = isNull;
                        longKeys[i][inserted] = isNull ? 0 : ((LongVector) vector).values()[row];
                    } else {
                        objectKeys[i][inserted] = vector.value(row);
                    }
                }
                return inserted;
            }
            if (hashes[entry] == hash && equalsAt(entry, row)) {
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

    private boolean equalsAt(int entry, int row) {
        for (int i = 0; i < vectors.length; i++) {
            ColumnVector vector = vectors[i];
            if (longKey[i]) {
                boolean isNull = vector.nulls()[row];
                if (isNull != nullKeys[i][entry] || !isNull && longKeys[i][entry] != ((LongVector) vector).values()[row]) {
                    return false;
                }
                continue;
            }
            Object stored = objectKeys[i][entry];
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

    /** Whether this table's entry and {@code other}'s are equal as {@link #equalsAt} compares a stored key with a row. */
    private boolean keysEqual(int entry, RowGroupTable other, int otherEntry) {
        for (int i = 0; i < longKey.length; i++) {
            if (longKey[i]) {
                boolean isNull = nullKeys[i][entry];
                if (isNull != other.nullKeys[i][otherEntry] || !isNull && longKeys[i][entry] != other.longKeys[i][otherEntry]) {
                    return false;
                }
                continue;
            }
            Object a = objectKeys[i][entry];
            Object b = other.objectKeys[i][otherEntry];
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

    /** Whether entry {@code entry}'s key equals {@code key} (representation values), as {@link Arrays#deepEquals} compares. */
    private boolean keyEquals(int entry, Object[] key) {
        for (int i = 0; i < longKey.length; i++) {
            if (!Objects.deepEquals(keyValue(i, entry), key[i])) {
                return false;
            }
        }
        return true;
    }

    /** Column {@code column} of entry {@code entry}'s key as a representation value (boxed for a LONG column). */
    private Object keyValue(int column, int entry) {
        if (longKey[column]) {
            return nullKeys[column][entry] ? null : Long.valueOf(longKeys[column][entry]);
        }
        return objectKeys[column][entry];
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

    /** A new entry at {@code position} of the index, its key columns still to be set. */
    private int insertAt(int position, long hash) {
        if (size == capacity) {
            grow(size * 2);
        }
        ensurePayload(size + 1);
        hashes[size] = hash;
        payload[size] = 0;
        index[position] = size + 1;
        int entry = size++;
        if (size * 2 > index.length) {
            rehash();
        }
        return entry;
    }

    private void grow(int newCapacity) {
        for (int i = 0; i < longKey.length; i++) {
            if (longKey[i]) {
                longKeys[i] = Arrays.copyOf(longKeys[i], newCapacity);
                nullKeys[i] = Arrays.copyOf(nullKeys[i], newCapacity);
            } else {
                objectKeys[i] = Arrays.copyOf(objectKeys[i], newCapacity);
            }
        }
        hashes = Arrays.copyOf(hashes, newCapacity);
        capacity = newCapacity;
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
        int position = (int) hash & mask;
        while (true) {
            int found = index[position] - 1;
            if (found < 0) {
                lastInserted = true;
                int inserted = insertAt(position, hash);
                for (int i = 0; i < longKey.length; i++) {
                    if (longKey[i]) {
                        longKeys[i][inserted] = from.longKeys[i][entry];
                        nullKeys[i][inserted] = from.nullKeys[i][entry];
                    } else {
                        objectKeys[i][inserted] = from.objectKeys[i][entry]; // never changed once stored, so tables may share them
                    }
                }
                return inserted;
            }
            if (hashes[found] == hash && keysEqual(found, from, entry)) {
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
                int inserted = insertAt(position, hash);
                for (int i = 0; i < longKey.length; i++) {
                    if (longKey[i]) {
                        nullKeys[i][inserted] = key[i] == null;
                        longKeys[i][inserted] = key[i] == null ? 0 : ((Number) key[i]).longValue();
                    } else {
                        objectKeys[i][inserted] = key[i];
                    }
                }
                return inserted;
            }
            if (hashes[entry] == hash && keyEquals(entry, key)) {
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
        Object[] key = new Object[longKey.length];
        for (int i = 0; i < key.length; i++) {
            key[i] = keyValue(i, entry);
        }
        return key;
    }

    @Override
    public void writeKey(int entry, BatchBuilder out, int firstColumn) {
        for (int i = 0; i < longKey.length; i++) {
            if (!longKey[i]) {
                out.set(firstColumn + i, objectKeys[i][entry]);
            } else if (nullKeys[i][entry]) {
                out.setNull(firstColumn + i);
            } else if (out.rowType().get(firstColumn + i).type().kind().representation() == TypeKind.Representation.LONG) {
                out.setLong(firstColumn + i, longKeys[i][entry]);
            } else {
                out.set(firstColumn + i, longKeys[i][entry]); // converted as RowWriter.set converts a Long
            }
        }
    }

    @Override
    public void writeKey(int entry, StateWriter out) {
        for (int i = 0; i < longKey.length; i++) {
            ValueCodec.write(out, keyTypes.get(i), keyValue(i, entry));
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
     * In key order. When the leading key columns are LONG ones, a large table is radix-sorted by them
     * ({@link LongRadixSort}) and only runs of equal leading columns are compared by the rest: comparing
     * whole keys took a quarter of Nexmark q7's query thread (a window's ~900,000 groups of five keys,
     * profiled with JFR; a merge sort's ~20 comparisons per group). Gives the order of a stable sort by
     * {@link #compareKeys}.
     */
    @Override
    public int[] sortedEntries() {
        int count = size();
        int columns = keyTypes.size();
        if (count < 2) {
            return super.sortedEntries();
        }
        long[][] longs = longKeys;
        boolean[][] nulls = nullKeys;
        IntSorter.IntComparator byKey = this::compareKeys;
        int[] entries = new int[count];
        for (int i = 0; i < count; i++) {
            entries[i] = i;
        }
        int longPrefix = 0;
        while (longPrefix < columns && longs[longPrefix] != null) {
            longPrefix++;
        }
        if (longPrefix == 0 || count < RADIX_SORT_MIN_ENTRIES) {
            IntSorter.sort(entries, count, byKey);
            return entries;
        }
        LongRadixSort radix = new LongRadixSort(entries, count);
        for (int column = longPrefix - 1; column >= 0; column--) {
            radix.sortBy(longs[column], nulls[column]);
        }
        entries = radix.entries();
        if (longPrefix < columns) {
            sortRunsOfEqualPrefix(entries, count, longPrefix, longs, nulls, byKey);
        }
        return entries;
    }

    /** Sorts each run of entries whose first {@code prefix} (long) columns are equal by the whole key. */
    private static void sortRunsOfEqualPrefix(int[] entries, int count, int prefix, long[][] longs, boolean[][] nulls,
                                              IntSorter.IntComparator byKey) {
        int runStart = 0;
        for (int i = 1; i <= count; i++) {
            if (i < count && samePrefix(entries[runStart], entries[i], prefix, longs, nulls)) {
                continue;
            }
            int length = i - runStart;
            if (length > 1) {
                int[] run = java.util.Arrays.copyOfRange(entries, runStart, i);
                IntSorter.sort(run, length, byKey);
                System.arraycopy(run, 0, entries, runStart, length);
            }
            runStart = i;
        }
    }

    private static boolean samePrefix(int left, int right, int prefix, long[][] longs, boolean[][] nulls) {
        for (int column = 0; column < prefix; column++) {
            boolean leftNull = nulls[column][left];
            if (leftNull != nulls[column][right] || !leftNull && longs[column][left] != longs[column][right]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareKeys(int left, int right) {
        for (int i = 0; i < longKey.length; i++) {
            int c;
            if (longKey[i]) {
                boolean leftNull = nullKeys[i][left];
                boolean rightNull = nullKeys[i][right];
                c = leftNull || rightNull ? Boolean.compare(rightNull, leftNull) : Long.compare(longKeys[i][left], longKeys[i][right]);
            } else {
                c = compareColumn(objectKeys[i][left], objectKeys[i][right]);
            }
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
        long bytes = 4L * index.length + 8L * capacity;
        for (boolean isLong : longKey) {
            bytes += isLong ? 9L * capacity : 4L * capacity + 16L * size; // an object key: a reference, and the object
        }
        return bytes;
    }

    List<DataType> keyTypes() {
        return keyTypes;
    }
}

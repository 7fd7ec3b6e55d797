package io.weir.engine.state;

import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.batch.LongVector;

import java.util.Arrays;

/** A {@link GroupTable} for one key column stored as {@code long}: open addressing over primitive arrays. */
final class LongGroupTable extends GroupTable {
    private final int keyColumn;
    private int[] index; // entry + 1, 0 for empty
    private int mask;
    private long[] keys;
    private int size;
    private int nullEntry = -1;
    private long[] values;
    private boolean[] nulls;
    private boolean lastInserted;

    LongGroupTable(int keyColumn, int expectedSize) {
        this.keyColumn = keyColumn;
        int tableSize = tableSizeFor(expectedSize);
        this.index = new int[tableSize];
        this.mask = tableSize - 1;
        this.keys = new long[Math.max(8, expectedSize)];
        ensurePayload(keys.length);
    }

    @Override
    public void bind(Batch batch) {
        LongVector vector = (LongVector) batch.column(keyColumn);
        values = vector.values();
        nulls = vector.nulls();
    }

    @Override
    public int findOrInsert(int row) {
        if (nulls[row]) {
            lastInserted = nullEntry < 0;
            if (lastInserted) {
                nullEntry = newEntry(0);
            }
            return nullEntry;
        }
        return find(values[row]);
    }

    private int find(long key) {
        int position = (int) KeyHashing.mix(key) & mask;
        while (true) {
            int entry = index[position] - 1;
            if (entry < 0) {
                lastInserted = true;
                int created = newEntry(key);
                index[position] = created + 1;
                if (size * 2 > index.length) {
                    rehash();
                }
                return created;
            }
            if (keys[entry] == key && entry != nullEntry) {
                lastInserted = false;
                return entry;
            }
            position = (position + 1) & mask;
        }
    }

    private int newEntry(long key) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
        }
        ensurePayload(size + 1);
        keys[size] = key;
        payload[size] = 0;
        return size++;
    }

    private void rehash() {
        int[] newIndex = new int[index.length * 2];
        int newMask = newIndex.length - 1;
        for (int entry = 0; entry < size; entry++) {
            if (entry == nullEntry) {
                continue;
            }
            int position = (int) KeyHashing.mix(keys[entry]) & newMask;
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
        LongGroupTable from = (LongGroupTable) other;
        if (entry == from.nullEntry) {
            lastInserted = nullEntry < 0;
            if (lastInserted) {
                nullEntry = newEntry(0);
            }
            return nullEntry;
        }
        return find(from.keys[entry]);
    }

    @Override
    public int insertKey(Object[] key) {
        if (key[0] == null) {
            if (nullEntry < 0) {
                nullEntry = newEntry(0);
            }
            return nullEntry;
        }
        return find(((Number) key[0]).longValue());
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long keyHash(int entry) {
        return entry == nullEntry ? KeyHashing.hashNull() : KeyHashing.hashLong(keys[entry]);
    }

    @Override
    public Object[] key(int entry) {
        return new Object[] {entry == nullEntry ? null : keys[entry]};
    }

    @Override
    public void writeKey(int entry, BatchBuilder out, int firstColumn) {
        if (entry == nullEntry) {
            out.setNull(firstColumn);
        } else {
            out.setLong(firstColumn, keys[entry]);
        }
    }

    @Override
    public void writeKey(int entry, StateWriter out) {
        out.writeBoolean(entry == nullEntry);
        if (entry != nullEntry) {
            out.writeLong(keys[entry]);
        }
    }

    @Override
    public int readKey(StateReader in) {
        if (in.readBoolean()) {
            return insertKey(new Object[] {null});
        }
        return find(in.readLong());
    }

    @Override
    public int compareKeys(int left, int right) {
        if (left == nullEntry || right == nullEntry) {
            return Boolean.compare(right == nullEntry, left == nullEntry);
        }
        return Long.compare(keys[left], keys[right]);
    }

    @Override
    public GroupTable newEmpty(int expectedSize) {
        return new LongGroupTable(keyColumn, expectedSize);
    }

    @Override
    public long estimatedBytes() {
        return 4L * index.length + 12L * keys.length;
    }
}

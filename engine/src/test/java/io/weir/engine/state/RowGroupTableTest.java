package io.weir.engine.state;

import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A table of several key columns, LONG ones held unboxed: lookups, NULLs, keys given back, merges and restores. */
class RowGroupTableTest {
    private static final List<DataType.Field> ROW = List.of(
            new DataType.Field("id", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("name", DataType.varchar()),
            new DataType.Field("at", DataType.timestamp(3)),
            new DataType.Field("score", DataType.of(TypeKind.DOUBLE)));
    private static final List<Integer> KEYS = List.of(0, 1, 2, 3);

    private static Batch rows(Object[]... rows) {
        BatchBuilder out = new BatchBuilder(ROW, rows.length);
        for (Object[] row : rows) {
            for (int column = 0; column < row.length; column++) {
                out.set(column, row[column]);
            }
            out.commitRow();
        }
        return out.build();
    }

    @Test
    void equalKeysShareAnEntryAndNullsAreKeysOfTheirOwn() {
        Batch batch = rows(
                new Object[] {1L, "a", 1_000L, 0.5},
                new Object[] {null, "a", 1_000L, 0.5},
                new Object[] {0L, "a", 1_000L, 0.5}, // 0 is not NULL
                new Object[] {1L, "a", 1_000L, 0.5},
                new Object[] {null, "a", 1_000L, 0.5},
                new Object[] {1L, null, null, null},
                new Object[] {1L, null, null, null},
                new Object[] {1L, "a", 1_001L, 0.5});
        GroupTable table = GroupTable.create(ROW, KEYS, 2); // grows while filling
        table.bind(batch);
        int[] entries = new int[batch.rowCount()];
        boolean[] inserted = new boolean[batch.rowCount()];
        for (int row = 0; row < batch.rowCount(); row++) {
            entries[row] = table.findOrInsert(row);
            inserted[row] = table.lastInserted();
        }
        assertThat(table).isInstanceOf(RowGroupTable.class);
        assertThat(entries).containsExactly(0, 1, 2, 0, 1, 3, 3, 4);
        assertThat(inserted).containsExactly(true, true, true, false, false, true, false, true);
        assertThat(table.key(1)).containsExactly(null, "a", 1_000L, 0.5);
        assertThat(table.key(2)).containsExactly(0L, "a", 1_000L, 0.5);
        assertThat(table.key(3)).containsExactly(1L, null, null, null);
        // the hash of a key does not depend on how it was stored
        assertThat(table.keyHash(1)).isEqualTo(KeyHashing.combine(KeyHashing.combine(KeyHashing.combine(KeyHashing.combine(1,
                KeyHashing.hashNull()), KeyHashing.hashString("a")), KeyHashing.hashLong(1_000L)), KeyHashing.hashDouble(0.5)));

        BatchBuilder out = new BatchBuilder(ROW, 8);
        for (int entry = 0; entry < table.size(); entry++) {
            table.writeKey(entry, out, 0);
            out.commitRow();
        }
        Batch written = out.build();
        assertThat(written.row(0)).containsExactly(1L, "a", 1_000L, 0.5);
        assertThat(written.row(1)).containsExactly(null, "a", 1_000L, 0.5);
        assertThat(written.row(3)).containsExactly(1L, null, null, null);
    }

    @Test
    void keysMoveBetweenTablesAndBackFromTheirValues() {
        Batch batch = rows(
                new Object[] {1L, "a", 1_000L, 0.5},
                new Object[] {null, null, -5L, null},
                new Object[] {2L, "b", 2_000L, -0.0});
        GroupTable first = GroupTable.create(ROW, KEYS, 16);
        first.bind(batch);
        for (int row = 0; row < batch.rowCount(); row++) {
            first.findOrInsert(row);
        }
        GroupTable merged = first.newEmpty(4);
        merged.bind(rows(new Object[] {2L, "b", 2_000L, 0.0}));
        assertThat(merged.findOrInsert(0)).isEqualTo(0);
        for (int entry = 0; entry < first.size(); entry++) {
            merged.findOrInsertKeyOf(first, entry);
        }
        // -0.0 and 0.0 are one key; the other two keys are new
        assertThat(merged.size()).isEqualTo(3);
        assertThat(merged.key(2)).containsExactly(null, null, -5L, null);
        assertThat(merged.keyHash(2)).isEqualTo(first.keyHash(1));
        assertThat(merged.findOrInsertKeyOf(first, 1)).isEqualTo(2);
        assertThat(merged.lastInserted()).isFalse();

        assertThat(merged.insertKey(new Object[] {null, null, -5L, null})).isEqualTo(2);
        assertThat(merged.insertKey(new Object[] {1L, "a", 1_000L, 0.5})).isEqualTo(1);
        int added = merged.insertKey(new Object[] {3L, null, null, 1.5});
        assertThat(added).isEqualTo(3);
        assertThat(merged.key(added)).containsExactly(3L, null, null, 1.5);
        Object[] copy = merged.key(added);
        copy[0] = 99L; // a copy: the table's key stays
        assertThat(merged.key(added)).containsExactly(3L, null, null, 1.5);
    }
}

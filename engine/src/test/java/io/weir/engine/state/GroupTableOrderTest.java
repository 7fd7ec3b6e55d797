package io.weir.engine.state;

import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A table's entries in key order, by its fast path, are those of comparing whole keys (NULLs first). */
class GroupTableOrderTest {
    private static final List<DataType.Field> ROW = List.of(
            new DataType.Field("a", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("b", DataType.varchar()),
            new DataType.Field("c", DataType.timestamp(3)));

    @Test
    void entriesInKeyOrderAreThoseOfComparingWholeKeys() {
        Random random = new Random(5);
        BatchBuilder rows = new BatchBuilder(ROW, 5_000);
        for (int i = 0; i < 5_000; i++) {
            if (random.nextInt(20) == 0) {
                rows.setNull(0);
            } else {
                rows.set(0, (long) random.nextInt(50) - 25);
            }
            if (random.nextInt(10) == 0) {
                rows.setNull(1);
            } else {
                rows.set(1, "k" + random.nextInt(30));
            }
            rows.set(2, 1_700_000_000_000L + random.nextInt(5));
            rows.commitRow();
        }
        GroupTable table = GroupTable.create(ROW, List.of(0, 1, 2), 16);
        var batch = rows.build();
        table.bind(batch);
        for (int row = 0; row < batch.rowCount(); row++) {
            table.findOrInsert(row);
        }
        assertThat(table).isInstanceOf(RowGroupTable.class);
        assertThat(table.size()).isGreaterThan(1_000);

        int[] expected = IntSorter.sortedIndexes(table.size(), table::compareKeys);
        assertThat(Arrays.equals(table.sortedEntries(), expected)).isTrue();
    }
}

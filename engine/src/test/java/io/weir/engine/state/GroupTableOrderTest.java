package io.weir.engine.state;

import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** A table's entries in key order, by its fast paths, are those of comparing whole keys (NULLs first). */
class GroupTableOrderTest {
    private static final List<DataType.Field> ROW = List.of(
            new DataType.Field("a", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("b", DataType.varchar()),
            new DataType.Field("c", DataType.timestamp(3)));

    /** Leading long columns (sorted by radix), then a string and a long compared within runs of equal leading columns. */
    private static final List<DataType.Field> LONGS_FIRST = List.of(
            new DataType.Field("auction", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("price", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("at", DataType.timestamp(3)),
            new DataType.Field("extra", DataType.varchar()),
            new DataType.Field("bidder", DataType.of(TypeKind.BIGINT)));

    private static final long[] EXTREMES = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, Long.MAX_VALUE - 1, Long.MAX_VALUE};

    @Test
    void entriesInKeyOrderAreThoseOfComparingWholeKeys() {
        Random random = new Random(5);
        assertSortedAsByComparingKeys(ROW, 5_000, rows -> {
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
        });
    }

    @Test
    void leadingLongColumnsOverTheirWholeRangeWithNullsAndTies() {
        Random random = new Random(7);
        assertSortedAsByComparingKeys(LONGS_FIRST, 20_000, rows -> {
            // few auctions (long runs of ties), prices from the whole range of longs, a few timestamps
            setLongOrNull(rows, 0, random, 30, random.nextInt(40) - 20);
            setLongOrNull(rows, 1, random, 50, random.nextInt(4) == 0 ? EXTREMES[random.nextInt(EXTREMES.length)] : random.nextLong());
            setLongOrNull(rows, 2, random, 50, 1_700_000_000_000L + random.nextInt(3));
            if (random.nextInt(10) == 0) {
                rows.setNull(3);
            } else {
                rows.set(3, "x" + random.nextInt(4));
            }
            setLongOrNull(rows, 4, random, 10, random.nextInt(3));
        });
    }

    @Test
    void onlyLongColumnsOfFewDistinctValues() {
        Random random = new Random(11);
        List<DataType.Field> longs = LONGS_FIRST.subList(0, 3);
        assertSortedAsByComparingKeys(longs, 3_000, rows -> {
            rows.set(0, 42L); // one value: no pass sorts by it
            setLongOrNull(rows, 1, random, 3, random.nextInt(300) * 1_000_003L);
            if (random.nextInt(100) == 0) {
                rows.setNull(2); // a column almost all NULL
            } else {
                rows.set(2, (long) -random.nextInt(20));
            }
        });
    }

    private static void setLongOrNull(BatchBuilder rows, int column, Random random, int oneNullIn, long value) {
        if (random.nextInt(oneNullIn) == 0) {
            rows.setNull(column);
        } else {
            rows.set(column, value);
        }
    }

    private static void assertSortedAsByComparingKeys(List<DataType.Field> row, int rowCount, Consumer<BatchBuilder> fillRow) {
        BatchBuilder rows = new BatchBuilder(row, rowCount);
        for (int i = 0; i < rowCount; i++) {
            fillRow.accept(rows);
            rows.commitRow();
        }
        List<Integer> columns = java.util.stream.IntStream.range(0, row.size()).boxed().toList();
        GroupTable table = GroupTable.create(row, columns, 16);
        var batch = rows.build();
        table.bind(batch);
        for (int r = 0; r < batch.rowCount(); r++) {
            table.findOrInsert(r);
        }
        assertThat(table).isInstanceOf(RowGroupTable.class);
        assertThat(table.size()).isGreaterThan(1_000);

        int[] expected = IntSorter.sortedIndexes(table.size(), table::compareKeys);
        assertThat(Arrays.equals(table.sortedEntries(), expected)).isTrue();
        // and compareKeys is the order of the keys' values: NULL first, then as the values compare
        int[] byValues = IntSorter.sortedIndexes(table.size(), (left, right) -> compareValues(table.key(left), table.key(right)));
        assertThat(Arrays.equals(expected, byValues)).isTrue();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareValues(Object[] left, Object[] right) {
        for (int i = 0; i < left.length; i++) {
            Object a = left[i];
            Object b = right[i];
            int order = a == null || b == null ? Boolean.compare(b == null, a == null) : ((Comparable) a).compareTo(b);
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }
}

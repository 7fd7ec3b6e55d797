package io.weir.spi.batch;

import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchBuilderTest {
    private static final List<DataType.Field> ROW_TYPE = List.of(
            new DataType.Field("id", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("score", DataType.of(TypeKind.DOUBLE)),
            new DataType.Field("ok", DataType.of(TypeKind.BOOLEAN)),
            new DataType.Field("name", DataType.varchar()),
            new DataType.Field("amount", DataType.decimal(10, 2)));

    @Test
    void buildsColumnarBatchWithTypedVectors() {
        BatchBuilder builder = new BatchBuilder(ROW_TYPE, 1);
        builder.setLong(0, 1);
        builder.setDouble(1, 1.5);
        builder.setBoolean(2, true);
        builder.setObject(3, "a");
        builder.setObject(4, new BigDecimal("1.25"));
        builder.commitRow();
        builder.setSplit(3);
        builder.setLong(0, 2);
        builder.commitRow();

        Batch batch = builder.build();
        assertThat(batch.rowCount()).isEqualTo(2);
        assertThat(batch.column(0)).isInstanceOf(LongVector.class);
        assertThat(batch.column(1)).isInstanceOf(DoubleVector.class);
        assertThat(batch.column(2)).isInstanceOf(BooleanVector.class);
        assertThat(batch.column(3)).isInstanceOf(ObjectVector.class);
        assertThat(((LongVector) batch.column(0)).values()).startsWith(1L, 2L);
        assertThat(batch.row(0)).containsExactly(1L, 1.5, true, "a", new BigDecimal("1.25"));
        assertThat(batch.row(1)).containsExactly(2L, null, null, null, null);
        assertThat(batch.isNull(1, 1)).isTrue();
        assertThat(batch.splitId(0)).isZero();
        assertThat(batch.splitId(1)).isEqualTo(3);
    }

    @Test
    void batchesOfTheSameSizeGetArraysOfThatSizeWithoutGrowing() {
        BatchBuilder builder = new BatchBuilder(ROW_TYPE, 64);
        for (int batch = 0; batch < 3; batch++) {
            for (int row = 0; row < 64; row++) {
                builder.setLong(0, batch * 64L + row);
                builder.commitRow();
            }
            long[] values = ((LongVector) builder.build().column(0)).values();
            assertThat(values[63]).isEqualTo(batch * 64L + 63);
            // the first batch filled its 64 rows and grew at once; the later ones were given room for 64 rows and a quarter
            assertThat(values.length).isEqualTo(batch == 0 ? 128 : 64 + 16 + 1);
        }
        // a larger batch still grows the arrays it needs
        for (int row = 0; row < 200; row++) {
            builder.setLong(0, row);
            builder.commitRow();
        }
        assertThat(((LongVector) builder.build().column(0)).values()).hasSizeGreaterThanOrEqualTo(200).contains(199L);
        builder.commitRow();
        assertThat(((LongVector) builder.build().column(0)).values()).hasSize(200 + 50 + 1);
    }

    @Test
    void abortedRowLeavesNoTrace() {
        BatchBuilder builder = new BatchBuilder(ROW_TYPE);
        builder.setLong(0, 1);
        builder.setObject(3, "kept");
        builder.commitRow();
        builder.setLong(0, 99);
        builder.setObject(3, "half-written");
        builder.setDouble(1, 9.9);
        builder.abortRow();
        builder.setLong(0, 2);
        builder.commitRow();

        Batch batch = builder.build();
        assertThat(batch.rows()).containsExactly(
                new Object[] {1L, null, null, "kept", null},
                new Object[] {2L, null, null, null, null});
    }

    @Test
    void growsAndIsReusableAfterBuild() {
        BatchBuilder builder = new BatchBuilder(ROW_TYPE, 2);
        for (int i = 0; i < 1000; i++) {
            builder.setLong(0, i);
            builder.setObject(3, "r" + i);
            builder.commitRow();
        }
        Batch first = builder.build();
        assertThat(first.rowCount()).isEqualTo(1000);
        assertThat(first.value(3, 999)).isEqualTo("r999");
        assertThat(builder.rowCount()).isZero();

        builder.setLong(0, 7);
        builder.commitRow();
        Batch second = builder.build();
        assertThat(second.rows()).containsExactly(new Object[] {7L, null, null, null, null});
        // The first batch is not overwritten by the reuse.
        assertThat(first.value(0, 0)).isEqualTo(0L);
        assertThat(first.value(3, 0)).isEqualTo("r0");
    }

    @Test
    void resetDropsRows() {
        BatchBuilder builder = new BatchBuilder(ROW_TYPE);
        builder.setLong(0, 1);
        builder.commitRow();
        builder.setLong(0, 2);
        builder.reset();
        assertThat(builder.build().rowCount()).isZero();
    }

    @Test
    void setWithRepresentationObjects() {
        BatchBuilder builder = new BatchBuilder(ROW_TYPE);
        builder.set(0, 5L);
        builder.set(1, 2.5);
        builder.set(2, false);
        builder.set(3, "x");
        builder.set(4, null);
        builder.commitRow();
        assertThat(builder.build().row(0)).containsExactly(5L, 2.5, false, "x", null);
    }

    @Test
    void wrongRepresentationIsRejectedNamingTheColumn() {
        BatchBuilder builder = new BatchBuilder(ROW_TYPE);
        assertThatThrownBy(() -> builder.setLong(3, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'name'");
        assertThatThrownBy(() -> builder.setObject(0, "x")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'id'");
    }

    @Test
    void batchOfRowsRoundTrips() {
        List<Object[]> rows = List.of(new Object[] {1L, 0.5, true, "a", new BigDecimal("3.10")}, new Object[] {null, null, null, null, null});
        assertThat(Batch.of(ROW_TYPE, rows).rows()).containsExactlyElementsOf(rows);
    }

    @Test
    void rowIndexOutsideBatchIsRejected() {
        Batch batch = Batch.of(ROW_TYPE, List.<Object[]>of(new Object[] {1L, null, null, null, null}));
        assertThatThrownBy(() -> batch.value(0, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> batch.splitId(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void batchOverExistingVectorsChecksSizes() {
        List<DataType.Field> rowType = List.of(new DataType.Field("n", DataType.of(TypeKind.BIGINT)));
        LongVector vector = new LongVector(rowType.get(0).type(), 2, new long[] {4, 5}, new boolean[] {false, true});
        Batch batch = Batch.of(rowType, 2, List.of(vector), new int[] {0, 1});
        assertThat(batch.rows()).containsExactly(new Object[] {4L}, new Object[] {null});
        assertThat(batch.splitId(1)).isEqualTo(1);
        assertThatThrownBy(() -> Batch.of(rowType, 1, List.of(vector), new int[] {0})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void columnsOutsideTheProjectionAreNullAndCostNothing() {
        List<DataType.Field> rowType = List.of(new DataType.Field("a", DataType.of(TypeKind.BIGINT)),
                new DataType.Field("b", DataType.of(TypeKind.DOUBLE)), new DataType.Field("c", DataType.varchar()),
                new DataType.Field("d", DataType.of(TypeKind.BOOLEAN)));
        BatchBuilder builder = new BatchBuilder(rowType, 2, Projection.of(0, 2));
        for (int row = 0; row < 5; row++) {
            // a connector may write every column: the ones not read are dropped
            builder.setLong(0, row);
            builder.setDouble(1, row * 1.5);
            builder.setObject(2, "r" + row);
            builder.setBoolean(3, true);
            builder.commitRow();
        }
        builder.setNull(1);
        builder.abortRow();
        Batch first = builder.build();
        assertThat(first.rows()).containsExactly(new Object[] {0L, null, "r0", null}, new Object[] {1L, null, "r1", null},
                new Object[] {2L, null, "r2", null}, new Object[] {3L, null, "r3", null}, new Object[] {4L, null, "r4", null});
        assertThat(first.column(1).type()).isEqualTo(DataType.of(TypeKind.DOUBLE));
        builder.setLong(0, 9);
        builder.commitRow();
        Batch second = builder.build();
        assertThat(second.rows()).containsExactly(new Object[] {9L, null, null, null});
        assertThat(first.rows()).hasSize(5);
        assertThat(first.select(new int[] {4}, 1, null).rows()).containsExactly(new Object[] {4L, null, "r4", null});
        assertThatThrownBy(() -> builder.setLong(2, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}

package io.weir.engine.parallel;

import io.weir.engine.operator.Watermark;
import io.weir.engine.state.GroupTable;
import io.weir.engine.state.KeyGroupRange;
import io.weir.engine.state.KeyGroups;
import io.weir.engine.testing.TestPlans;
import io.weir.spi.batch.Batch;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Rows go to the task owning their key's group, as the operator's state keys them; watermarks merge across tasks. */
class ExchangeTest {
    private static final List<DataType.Field> MIXED = List.of(
            new DataType.Field("k", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("name", DataType.of(TypeKind.VARCHAR)),
            new DataType.Field("x", DataType.of(TypeKind.DOUBLE)));

    @Test
    void keyGroupRangesCoverEveryGroupOnceAndMatchTheAssignment() {
        for (int parallelism = 1; parallelism <= 7; parallelism++) {
            int next = 0;
            for (int task = 0; task < parallelism; task++) {
                KeyGroupRange range = KeyGroupAssignment.rangeOf(task, parallelism);
                assertThat(range.first()).isEqualTo(next);
                for (int group = range.first(); group <= range.last(); group++) {
                    assertThat(KeyGroupAssignment.taskOf(group, parallelism)).isEqualTo(task);
                }
                next = range.last() + 1;
            }
            assertThat(next).isEqualTo(KeyGroups.COUNT);
        }
    }

    @Test
    void rowsAreHashedAsTheGroupTableOfTheirOperatorHashesThem() {
        Random random = new Random(7);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            rows.add(new Object[] {random.nextInt(10) == 0 ? null : (long) random.nextInt(1000),
                    random.nextInt(10) == 0 ? null : "n" + random.nextInt(300), (double) random.nextInt(50)});
        }
        Batch batch = Batch.of(MIXED, rows);
        for (List<Integer> keys : List.of(List.of(0), List.of(1), List.of(0, 1), List.of(2, 0), List.<Integer>of())) {
            GroupTable table = GroupTable.create(MIXED, keys, 16);
            table.bind(batch);
            long[] hashes = new long[batch.rowCount()];
            GroupTable.hasher(MIXED, keys).hash(batch, hashes);
            for (int row = 0; row < batch.rowCount(); row++) {
                assertThat(hashes[row]).as("keys %s, row %d", keys, row).isEqualTo(table.keyHash(table.findOrInsert(row)));
            }
        }
    }

    @Test
    void partitionsKeepEveryRowOnceInOrderAndEachKeyInItsTask() {
        Random random = new Random(8);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            rows.add(new Object[] {(long) random.nextInt(400), (long) i, (long) i});
        }
        Batch batch = Batch.of(TestPlans.KV_TS, rows);
        GroupTable table = GroupTable.create(TestPlans.KV_TS, List.of(0), 16);
        for (int parallelism : new int[] {2, 3}) {
            Batch[] parts = new BatchPartitioner(GroupTable.hasher(TestPlans.KV_TS, List.of(0)), parallelism).partition(batch);
            int total = 0;
            for (int task = 0; task < parallelism; task++) {
                assertThat(parts[task]).isNotNull();
                table.bind(parts[task]);
                long previous = -1;
                for (int row = 0; row < parts[task].rowCount(); row++) {
                    int group = KeyGroups.of(table.keyHash(table.findOrInsert(row)));
                    assertThat(KeyGroupAssignment.rangeOf(task, parallelism).contains(group)).isTrue();
                    long sequence = (Long) parts[task].value(1, row);
                    assertThat(sequence).isGreaterThan(previous); // the order of the rows is kept
                    previous = sequence;
                }
                total += parts[task].rowCount();
                table = GroupTable.create(TestPlans.KV_TS, List.of(0), 16);
            }
            assertThat(total).isEqualTo(batch.rowCount());
        }
    }

    @Test
    void oneHotKeyGoesToOneTaskAsTheBatchItself() {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rows.add(new Object[] {42L, (long) i, (long) i});
        }
        Batch batch = Batch.of(TestPlans.KV_TS, rows);
        Batch[] parts = new BatchPartitioner(GroupTable.hasher(TestPlans.KV_TS, List.of(0)), 2).partition(batch);
        assertThat(java.util.Arrays.stream(parts).filter(part -> part == batch)).hasSize(1);
        assertThat(java.util.Arrays.stream(parts).filter(part -> part == null)).hasSize(1);
    }

    @Test
    void theWatermarkIsTheSmallestOfTheActiveProducers() {
        assertThat(merge(active(5), active(3))).isEqualTo(active(3));
        // an idle producer (a task whose splits are quiet) does not hold the others back
        assertThat(merge(active(5), idle(2))).isEqualTo(active(5));
        assertThat(merge(idle(5), idle(2))).isEqualTo(idle(5));
    }

    @Test
    void aFinishedProducerIsLeftOutAndAllFinishedIsFinished() {
        // a task without splits of a bounded stream is finished from the start
        assertThat(Exchange.merge(new Watermark[] {active(4), Watermark.FINISHED}, new boolean[] {false, true})).isEqualTo(active(4));
        // finished next to idle: the idle one's time counts, not +infinity, so its rows to come are not late
        assertThat(Exchange.merge(new Watermark[] {idle(4), Watermark.FINISHED}, new boolean[] {false, true})).isEqualTo(idle(4));
        assertThat(Exchange.merge(new Watermark[] {Watermark.FINISHED, Watermark.FINISHED}, new boolean[] {true, true}))
                .isEqualTo(Watermark.FINISHED);
    }

    @Test
    void theMergedWatermarkNeverGoesBack() {
        Exchange exchange = new Exchange(GroupTable.hasher(TestPlans.KV_TS, List.of(0)), 2);
        exchange.endBatch(0, active(10), false);
        exchange.endBatch(1, idle(2), false);
        exchange.closeBatch();
        assertThat(exchange.watermark()).isEqualTo(active(10));
        // the idle task becomes active behind the other: its rows are late, as a split's would be at parallelism 1
        exchange.endBatch(1, active(3), false);
        exchange.closeBatch();
        assertThat(exchange.watermark().millis()).isEqualTo(10);
        assertThat(exchange.finished()).isFalse();
        exchange.endBatch(0, Watermark.FINISHED, true);
        exchange.endBatch(1, Watermark.FINISHED, true);
        exchange.closeBatch();
        assertThat(exchange.watermark()).isEqualTo(Watermark.FINISHED);
        assertThat(exchange.finished()).isTrue();
    }

    private static Watermark merge(Watermark... watermarks) {
        return Exchange.merge(watermarks, new boolean[watermarks.length]);
    }

    private static Watermark active(long millis) {
        return Watermark.active(millis);
    }

    private static Watermark idle(long millis) {
        return new Watermark(millis, true);
    }
}

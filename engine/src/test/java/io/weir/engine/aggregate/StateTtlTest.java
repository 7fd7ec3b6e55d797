package io.weir.engine.aggregate;

import io.weir.engine.exec.QueryRunner;
import io.weir.engine.plan.GroupAggregate;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.state.KeyGroupRange;
import io.weir.engine.operator.Watermark;
import io.weir.engine.testing.ManualClock;
import io.weir.engine.testing.MicroBatchDriver;
import io.weir.engine.testing.TestPlans;
import io.weir.spi.connector.memory.InMemoryData;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.weir.engine.testing.TestPlans.call;
import static io.weir.engine.testing.TestPlans.countStar;
import static io.weir.engine.testing.TestPlans.show;
import static org.assertj.core.api.Assertions.assertThat;

/** 'state.ttl': keys of a GROUP BY without a window that are not updated for the TTL are dropped and start anew. */
class StateTtlTest {
    private final String input = "ttl-" + UUID.randomUUID();
    private final ManualClock clock = new ManualClock(0);

    @AfterEach
    void unregister() {
        InMemoryData.unregister(input);
    }

    private static GroupAggregate countAndSumPerKey(PlanNode input) {
        List<Integer> keys = List.of(0);
        var calls = List.of(countStar(), call(io.weir.engine.plan.AggregateKind.SUM, 1, DataType.of(TypeKind.BIGINT)));
        return new GroupAggregate(input, keys, calls, GroupAggregate.outputType(input.outputType(), keys, calls));
    }

    private void append(long key, long value) {
        InMemoryData.append(input, new Object[] {key, value, Instant.ofEpochMilli(clock.millis())});
    }

    @Test
    void aKeyNotUpdatedForTheTtlStartsAnewAndOthersKeepTheirTotals() {
        InMemoryData.register(input, List.of(), false);
        List<Object[]> out = new ArrayList<>();
        QueryRunner runner = TestPlans.runner(countAndSumPerKey(TestPlans.stream(input, 0)), clock, out);
        runner.expireStateAfter(Duration.ofSeconds(10));
        append(1, 5);
        append(2, 7);
        runner.runBatch();
        assertThat(show(out)).containsExactly("[1, 1, 5]", "[2, 1, 7]");
        assertThat(runner.stateRows()).isEqualTo(2);
        // key 2 keeps being updated, key 1 does not
        for (int second = 1; second <= 12; second++) {
            clock.advance(1_000);
            append(2, 1);
            runner.runBatch();
        }
        assertThat(runner.stateRows()).as("key 1 expired").isEqualTo(1);
        out.clear();
        clock.advance(1_000);
        append(1, 3);
        append(2, 1);
        runner.runBatch();
        // key 1 starts anew; key 2 kept its total through the rebuild of the table
        assertThat(show(out)).containsExactly("[1, 1, 3]", "[2, 14, 20]");
    }

    @Test
    void theLastUpdateTimesArePartOfTheSnapshot() {
        GroupAggregate plan = countAndSumPerKey(TestPlans.stream("unused", 0));
        GroupAggregateOperator operator = new GroupAggregateOperator(plan);
        operator.expireAfter(Duration.ofSeconds(10));
        MicroBatchDriver driver = new MicroBatchDriver(List.of(TestPlans.KV_TS));
        driver.run(operator, List.of(
                MicroBatchDriver.MicroBatch.single(List.<Object[]>of(new Object[] {1L, 5L, 0L}), Watermark.INITIAL, 0),
                MicroBatchDriver.MicroBatch.single(List.<Object[]>of(new Object[] {2L, 7L, 8_000L}), Watermark.INITIAL, 8_000)));
        byte[] snapshot = operator.snapshot();

        GroupAggregateOperator restored = new GroupAggregateOperator(plan);
        restored.expireAfter(Duration.ofSeconds(10));
        restored.restore(snapshot, KeyGroupRange.ALL);
        assertThat(restored.groups()).isEqualTo(2);
        // key 1 was last updated at 0 s: at 10.5 s it expires after the restore as it would have without one
        new MicroBatchDriver(List.of(TestPlans.KV_TS)).run(restored,
                List.of(MicroBatchDriver.MicroBatch.single(List.of(), Watermark.INITIAL, 10_500)));
        assertThat(restored.groups()).isEqualTo(1);
        assertThat(restored.expiredKeys()).isEqualTo(1);
    }

    @Test
    void aCheckpointAfterKeysExpiredIsFullSoARestoreDoesNotBringThemBack() {
        GroupAggregate plan = countAndSumPerKey(TestPlans.stream("unused", 0));
        GroupAggregateOperator operator = new GroupAggregateOperator(plan);
        operator.expireAfter(Duration.ofSeconds(10));
        MicroBatchDriver driver = new MicroBatchDriver(List.of(TestPlans.KV_TS));
        driver.run(operator, List.of(MicroBatchDriver.MicroBatch.single(
                List.<Object[]>of(new Object[] {1L, 5L, 0L}, new Object[] {2L, 7L, 0L}), Watermark.INITIAL, 0)));
        operator.checkpointSnapshot(true);
        driver.run(operator, List.of(MicroBatchDriver.MicroBatch.single(
                List.<Object[]>of(new Object[] {2L, 1L, 0L}), Watermark.INITIAL, 9_000)));
        assertThat(operator.mostlyChanged()).as("one of two keys changed: a delta would do").isFalse();
        driver.run(operator, List.of(MicroBatchDriver.MicroBatch.single(List.of(), Watermark.INITIAL, 12_000)));
        assertThat(operator.groups()).as("key 1 expired").isEqualTo(1);
        assertThat(operator.mostlyChanged()).as("a delta cannot remove key 1").isTrue();
        byte[] full = operator.checkpointSnapshot(true).toByteArray();
        GroupAggregateOperator restored = new GroupAggregateOperator(plan);
        restored.restore(full, KeyGroupRange.ALL);
        assertThat(restored.groups()).isEqualTo(1);
    }
}

package io.weir.engine.state;

import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.window.WindowAggregationBase;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.List;

import static io.weir.engine.testing.TestPlans.KV_TS;
import static io.weir.engine.testing.TestPlans.aggregate;
import static io.weir.engine.testing.TestPlans.call;
import static io.weir.engine.testing.TestPlans.countStar;
import static io.weir.engine.testing.TestPlans.stream;

/**
 * Snapshot and restore time and size of one TUMBLE window holding 1,000,000 groups (COUNT(*),
 * SUM(v)); prints the figures, asserts no timing. Run with {@code -Dweir.benchmark=true}.
 */
@EnabledIfSystemProperty(named = "weir.benchmark", matches = "true")
class SnapshotSizeBenchmark {
    private static final int KEYS = 1_000_000;

    @Test
    void tumbleWithAMillionGroups() {
        List<AggregateCall> calls = List.of(countStar(), call(io.weir.engine.plan.AggregateKind.SUM, 1, KV_TS.get(1).type()));
        WindowAggregate plan = aggregate(stream("unused", 0), WindowSpec.tumble(2, true, 60_000), List.of(0), calls);
        WindowAggregationBase operator = WindowAggregationBase.create(plan);
        long feedStart = System.nanoTime();
        for (int first = 0; first < KEYS; first += 65_536) {
            BatchBuilder rows = new BatchBuilder(KV_TS, 65_536);
            for (int key = first; key < Math.min(KEYS, first + 65_536); key++) {
                rows.setLong(0, key);
                rows.setLong(1, key % 100);
                rows.setLong(2, key % 1000);
                rows.commitRow();
            }
            Batch batch = rows.build();
            operator.addInput(batch);
        }
        operator.processWatermark(0, Watermark.active(1000));
        double feedMillis = (System.nanoTime() - feedStart) / 1e6;
        byte[] snapshot = null;
        double bestSnapshot = Double.MAX_VALUE;
        for (int i = 0; i < 7; i++) {
            long start = System.nanoTime();
            snapshot = operator.snapshot();
            bestSnapshot = Math.min(bestSnapshot, (System.nanoTime() - start) / 1e6);
        }
        double bestBuffer = Double.MAX_VALUE;
        for (int i = 0; i < 7; i++) {
            long start = System.nanoTime();
            StateWriter writer = new StateWriter(snapshot.length + 1000);
            int[] groups = new int[KEYS];
            for (int key = 0; key < KEYS; key++) {
                groups[key] = KeyGroups.of(KeyHashing.hashLong(key));
            }
            KeyGroupSections.write(writer, groups, KEYS, (entry, out) -> {
                out.writeLong(entry);
                out.writeLong(entry);
                out.writeLong(entry);
                out.writeLong(entry);
            });
            bestBuffer = Math.min(bestBuffer, (System.nanoTime() - start) / 1e6);
            snapshot = writer.toByteArray().length > 0 ? snapshot : null;
        }
        System.out.printf("baseline: key groups + sections + 32 bytes per entry + copy: %.1f ms%n", bestBuffer);
        double bestRestore = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            WindowAggregationBase restored = WindowAggregationBase.create(plan);
            long start = System.nanoTime();
            restored.restore(snapshot, KeyGroupRange.ALL);
            bestRestore = Math.min(bestRestore, (System.nanoTime() - start) / 1e6);
        }
        System.out.printf("1M TUMBLE groups: feeding 1M rows %.0f ms; snapshot %.1f ms (best of 7), %d bytes (%.1f per group);"
                        + " restore %.1f ms (best of 3); stateRows %d, stateBytesEstimate %d%n",
                feedMillis, bestSnapshot, snapshot.length, snapshot.length / (double) KEYS, bestRestore,
                operator.stateRows(), operator.stateBytesEstimate());
    }
}

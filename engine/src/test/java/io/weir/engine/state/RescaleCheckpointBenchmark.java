package io.weir.engine.state;

import io.weir.engine.operator.Watermark;
import io.weir.engine.parallel.KeyGroupAssignment;
import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.window.WindowAggregationBase;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

import static io.weir.engine.testing.TestPlans.KV_TS;
import static io.weir.engine.testing.TestPlans.aggregate;
import static io.weir.engine.testing.TestPlans.call;
import static io.weir.engine.testing.TestPlans.countStar;
import static io.weir.engine.testing.TestPlans.stream;

/**
 * What checkpointing a query's keyed state costs at parallelism 2 against 1: one TUMBLE window of
 * 1,000,000 groups held by one instance, or divided by key group between two (as two tasks hold it);
 * a full checkpoint snapshot of each instance plus, at 2, combining them into one section; then a
 * restore of that section into 1, 2 and 3 instances (each reading its key-group range). All on this
 * thread, so the figures are CPU time of the work itself (the machine is shared: wall time says
 * little); the tasks of a query take the snapshots in parallel. Prints the figures, asserts no
 * timing. Run with {@code -Dweir.benchmark=true}.
 */
@EnabledIfSystemProperty(named = "weir.benchmark", matches = "true")
class RescaleCheckpointBenchmark {
    private static final int KEYS = 1_000_000;
    private static final int ROUNDS = 7;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Test
    void aMillionGroupsAtParallelism1And2() {
        List<AggregateCall> calls = List.of(countStar(), call(io.weir.engine.plan.AggregateKind.SUM, 1, KV_TS.get(1).type()));
        WindowAggregate plan = aggregate(stream("unused", 0), WindowSpec.tumble(2, true, 60_000), List.of(0), calls);
        for (int parallelism : new int[] {1, 2}) {
            List<WindowAggregationBase> instances = feed(plan, parallelism);
            double snapshotCpu = Double.MAX_VALUE;
            double combineCpu = Double.MAX_VALUE;
            byte[] section = null;
            for (int round = 0; round < ROUNDS; round++) {
                long start = THREADS.getCurrentThreadCpuTime();
                List<StateBytes> snapshots = new ArrayList<>();
                for (WindowAggregationBase instance : instances) {
                    snapshots.add(((IncrementalState) instance).checkpointSnapshot(true));
                }
                long snapshotted = THREADS.getCurrentThreadCpuTime();
                StateBytes combined = instances.get(0).combine(snapshots);
                long done = THREADS.getCurrentThreadCpuTime();
                section = combined.toByteArray();
                snapshotCpu = Math.min(snapshotCpu, (snapshotted - start) / 1e6);
                combineCpu = Math.min(combineCpu, (done - snapshotted) / 1e6);
            }
            StringBuilder restores = new StringBuilder();
            for (int into : new int[] {1, 2, 3}) {
                double restoreCpu = Double.MAX_VALUE;
                for (int round = 0; round < 3; round++) {
                    long start = THREADS.getCurrentThreadCpuTime();
                    long rows = 0;
                    for (int task = 0; task < into; task++) {
                        WindowAggregationBase restored = WindowAggregationBase.create(plan);
                        restored.restore(section, KeyGroupAssignment.rangeOf(task, into));
                        rows += restored.stateRows();
                    }
                    restoreCpu = Math.min(restoreCpu, (THREADS.getCurrentThreadCpuTime() - start) / 1e6);
                    if (rows != KEYS) {
                        throw new AssertionError(rows + " groups restored of " + KEYS);
                    }
                }
                restores.append(String.format(" into %d: %.0f ms;", into, restoreCpu));
            }
            System.out.printf("parallelism %d: checkpoint snapshots %.0f ms CPU, combining them %.2f ms CPU (best of %d), section"
                    + " %,d bytes; restore of it (CPU, best of 3)%s%n", parallelism, snapshotCpu, combineCpu, ROUNDS, section.length,
                    restores);
        }
    }

    /** 1,000,000 keys in one window, divided by key group among {@code parallelism} instances. */
    private static List<WindowAggregationBase> feed(WindowAggregate plan, int parallelism) {
        List<WindowAggregationBase> instances = new ArrayList<>();
        List<BatchBuilder> rows = new ArrayList<>();
        for (int task = 0; task < parallelism; task++) {
            instances.add(WindowAggregationBase.create(plan));
            rows.add(new BatchBuilder(KV_TS, KEYS));
        }
        for (int key = 0; key < KEYS; key++) {
            int task = KeyGroupAssignment.taskOf(KeyGroups.of(KeyHashing.hashLong(key)), parallelism);
            BatchBuilder out = rows.get(task);
            out.setLong(0, key);
            out.setLong(1, key % 100);
            out.setLong(2, key % 1000);
            out.commitRow();
        }
        for (int task = 0; task < parallelism; task++) {
            Batch batch = rows.get(task).build();
            instances.get(task).addInput(batch);
            instances.get(task).processWatermark(0, Watermark.active(1000));
        }
        return instances;
    }
}

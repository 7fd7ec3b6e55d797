package io.weir.engine.checkpoint;

import io.weir.engine.state.StateBytes;
import io.weir.engine.aggregate.GroupAggregateOperator;
import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.AggregateKind;
import io.weir.engine.plan.GroupAggregate;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.testing.ManualClock;
import io.weir.engine.testing.MicroBatchDriver;
import io.weir.engine.testing.MicroBatchDriver.MicroBatch;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.weir.engine.testing.TestPlans.row;
import static io.weir.engine.testing.TestPlans.stream;
import static org.assertj.core.api.Assertions.assertThat;

/** When a checkpoint is a delta and when it is full: incremental checkpoints never cost more than full ones. */
class IncrementalPolicyTest {
    private static final int KEYS = 100_000;
    private static final List<DataType.Field> ROWS = List.of(new DataType.Field("k", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("ts", DataType.timestamp(3)));
    private static final PlanNode INPUT = stream("unused", ROWS, 1, 0, Optional.empty());
    private static final List<AggregateCall> COUNT = List.of(
            new AggregateCall(AggregateKind.COUNT, -1, false, -1, DataType.of(TypeKind.BIGINT).withNullable(false), "cnt"));
    private static final GroupAggregate PLAN = new GroupAggregate(INPUT, List.of(0), COUNT, GroupAggregate.outputType(ROWS, List.of(0), COUNT));

    @TempDir
    Path directory;
    private final ManualClock clock = new ManualClock(1_000);
    private final CheckpointCompactor compactor = new CheckpointCompactor();

    @AfterEach
    void closeCompactor() {
        compactor.close();
    }
    private final MicroBatchDriver driver = new MicroBatchDriver(List.of(ROWS));

    /** A GROUP BY over {@link #KEYS} keys, checkpointed as {@code QueryRunner} does. */
    private final class GroupByQuery implements CheckpointedQuery {
        final GroupAggregateOperator operator = new GroupAggregateOperator(PLAN);
        long batches;

        void update(long fromKey, long keys) {
            List<Object[]> rows = new ArrayList<>();
            for (long key = fromKey; key < fromKey + keys; key++) {
                rows.add(row(key % KEYS, 0L));
            }
            batches++;
            driver.run(operator, List.of(MicroBatch.single(rows, Watermark.active(batches), batches)));
        }

        @Override
        public Map<String, StateBytes> snapshotState(boolean full) {
            return Map.of(CheckpointSections.operator(0), operator.checkpointSnapshot(full || operator.mostlyChanged()));
        }

        @Override
        public void restoreState(Checkpoint checkpoint) {
        }

        @Override
        public long batches() {
            return batches;
        }

        @Override
        public long stateRows() {
            return operator.stateRows();
        }
    }

    private List<CheckpointRecord> run(long keysPerBatch, int checkpoints) {
        GroupByQuery query = new GroupByQuery();
        QueryCheckpointer checkpointer = new QueryCheckpointer("q", new CheckpointStorage(directory), Duration.ZERO, clock, "plan", compactor);
        checkpointer.recover(query, Optional.empty());
        query.update(0, KEYS);
        for (int i = 0; i < checkpoints; i++) {
            if (i > 0) {
                query.update(i * keysPerBatch, keysPerBatch);
            }
            assertThat(checkpointer.checkpoint(query, Optional.empty(), () -> { })).isTrue();
        }
        checkpointer.close();
        return checkpointer.statistics().recent();
    }

    @Test
    void fewKeysChangedMakeSmallDeltasThatStillReportTheWholeState() {
        List<CheckpointRecord> records = run(10, 6);
        assertThat(records).extracting(CheckpointRecord::incremental).containsExactly(false, true, true, true, true, true);
        CheckpointRecord full = records.get(0);
        for (CheckpointRecord delta : records.subList(1, records.size())) {
            assertThat(delta.bytesWritten()).isLessThan(full.bytesWritten() / 100);
            // state bytes are the size of the state, not of the delta
            assertThat(delta.stateBytes()).isEqualTo(full.stateBytes());
        }
    }

    @Test
    void whenMostKeysChangedTheCheckpointIsFull() {
        List<CheckpointRecord> records = run(KEYS * 6 / 10, 4);
        assertThat(records).extracting(CheckpointRecord::incremental).containsExactly(false, false, false, false);
        assertThat(new GroupByQuery().operator.mostlyChanged()).isFalse();
    }

    @Test
    void deltasAddingUpToMoreThanHalfTheBaseAreFollowedByAFullCheckpoint() {
        // 20% of the keys a checkpoint: after three deltas (60% of the base) a restore would merge more than a full one writes
        List<CheckpointRecord> records = run(KEYS / 5, 7);
        assertThat(records).extracting(CheckpointRecord::incremental).containsExactly(false, true, true, true, false, true, true);
    }
}

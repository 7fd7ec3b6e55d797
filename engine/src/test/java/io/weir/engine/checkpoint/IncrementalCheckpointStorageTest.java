package io.weir.engine.checkpoint;

import io.weir.engine.state.StateBytes;
import io.weir.engine.aggregate.GroupAggregateOperator;
import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.AggregateKind;
import io.weir.engine.plan.GroupAggregate;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.state.KeyGroupRange;
import io.weir.engine.testing.MicroBatchDriver;
import io.weir.engine.testing.MicroBatchDriver.MicroBatch;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.weir.engine.testing.TestPlans.row;
import static io.weir.engine.testing.TestPlans.stream;
import static org.assertj.core.api.Assertions.assertThat;

/** Checkpoints holding deltas: read back through their chain, kept while needed, compacted, and refused when a link is damaged. */
class IncrementalCheckpointStorageTest {
    private static final List<DataType.Field> ROWS = List.of(new DataType.Field("k", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("ts", DataType.timestamp(3)));
    private static final PlanNode INPUT = stream("unused", ROWS, 1, 0, Optional.empty());
    private static final List<AggregateCall> COUNT = List.of(
            new AggregateCall(AggregateKind.COUNT, -1, false, -1, DataType.of(TypeKind.BIGINT).withNullable(false), "cnt"));
    private static final GroupAggregate PLAN = new GroupAggregate(INPUT, List.of(0), COUNT, GroupAggregate.outputType(ROWS, List.of(0), COUNT));

    @TempDir
    Path directory;
    private final MicroBatchDriver driver = new MicroBatchDriver(List.of(ROWS));
    private final GroupAggregateOperator operator = new GroupAggregateOperator(PLAN);

    private Checkpoint take(long id, long parent, long fromKey, long keys) {
        List<Object[]> rows = new ArrayList<>();
        for (long key = fromKey; key < fromKey + keys; key++) {
            rows.add(row(key, 0L));
        }
        driver.run(operator, List.of(MicroBatch.single(rows, Watermark.active(id), id)));
        StateBytes state = operator.checkpointSnapshot(parent == 0);
        return new Checkpoint(id, id, id, "plan", Map.of(CheckpointSections.operator(0), state), parent);
    }

    private static long stateRows(Checkpoint checkpoint) {
        GroupAggregateOperator restored = new GroupAggregateOperator(PLAN);
        restored.restore(checkpoint.section(CheckpointSections.operator(0)).orElseThrow(), KeyGroupRange.ALL);
        return restored.stateRows();
    }

    private CheckpointStorage.StoredCheckpoint stored(CheckpointStorage storage, long id) throws IOException {
        return storage.list().stream().filter(stored -> stored.id() == id).findFirst().orElseThrow();
    }

    @Test
    void aChainIsReadMergedKeptWhileNeededAndCompacted() throws IOException {
        CheckpointStorage storage = new CheckpointStorage(directory);
        long full = storage.writePending(take(1, 0, 0, 10_000));
        storage.markComplete(1);
        long delta = storage.writePending(take(2, 1, 9_990, 20)); // 10 new keys
        storage.markComplete(2);
        storage.writePending(take(3, 2, 20_000, 5));
        storage.markComplete(3);

        assertThat(delta).isLessThan(full / 20);
        assertThat(storage.list()).extracting(CheckpointStorage.StoredCheckpoint::id).containsExactly(3L, 2L, 1L);
        Checkpoint read = storage.read(stored(storage, 3)).checkpoint().orElseThrow();
        assertThat(read.incremental()).isFalse();
        assertThat(stateRows(read)).isEqualTo(10_015).isEqualTo(operator.stateRows());

        assertThat(storage.compact(3)).isTrue();
        assertThat(CheckpointFormat.read(Files.readAllBytes(stored(storage, 3).file())).incremental()).isFalse();
        storage.writePending(take(4, 3, 0, 1));
        storage.markComplete(4);
        // 4 needs 3, which holds all state now: 1 and 2 are needed by nothing retained
        assertThat(storage.list()).extracting(CheckpointStorage.StoredCheckpoint::id).containsExactly(4L, 3L);
        assertThat(stateRows(storage.read(stored(storage, 4)).checkpoint().orElseThrow())).isEqualTo(10_015);
    }

    @Test
    void aDamagedDeltaMakesTheCheckpointsNeedingItUnusable() throws IOException {
        CheckpointStorage storage = new CheckpointStorage(directory);
        storage.writePending(take(1, 0, 0, 1_000));
        storage.markComplete(1);
        storage.writePending(take(2, 1, 0, 10));
        storage.markComplete(2);
        storage.writePending(take(3, 2, 0, 10));
        storage.markComplete(3);
        Path second = stored(storage, 2).file();
        byte[] bytes = Files.readAllBytes(second);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(second, bytes);

        CheckpointStorage.ReadCheckpoint newest = storage.read(stored(storage, 3));
        assertThat(newest.checkpoint()).isEmpty();
        assertThat(newest.problem().orElseThrow()).contains("checkpoint 2").contains("checksum");
        assertThat(storage.read(stored(storage, 2)).checkpoint()).isEmpty();
        assertThat(stateRows(storage.read(stored(storage, 1)).checkpoint().orElseThrow())).isEqualTo(1_000);
    }
}

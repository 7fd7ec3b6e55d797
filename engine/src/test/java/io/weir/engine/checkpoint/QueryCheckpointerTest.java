package io.weir.engine.checkpoint;

import io.weir.engine.state.StateBytes;
import io.weir.engine.testing.ManualClock;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.PreparedCommit;
import io.weir.spi.connector.SinkWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checkpoint protocol with a sink, and what happens when the disk or a file fails. */
class QueryCheckpointerTest {
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(1_000);
    private final CheckpointCompactor compactor = new CheckpointCompactor();

    @AfterEach
    void closeCompactor() {
        compactor.close();
    }

    /** A query whose whole state is one counter. */
    private static final class CounterQuery implements CheckpointedQuery {
        long value;
        long batches;

        @Override
        public Map<String, StateBytes> snapshotState(boolean full) {
            return Map.of(CheckpointSections.operator(0), StateBytes.of(ByteBuffer.allocate(8).putLong(value).array()));
        }

        @Override
        public void restoreState(Checkpoint checkpoint) {
            value = ByteBuffer.wrap(checkpoint.section(CheckpointSections.operator(0)).orElseThrow()).getLong();
            batches = checkpoint.batch();
        }

        @Override
        public long batches() {
            return batches;
        }
    }

    /** Records what the checkpointer asks of a sink; its commits are visible across "processes" through {@code committed}. */
    private static final class RecordingSink implements SinkWriter {
        final List<Long> committed;
        final List<String> calls = new ArrayList<>();
        boolean failCommit;

        RecordingSink(List<Long> committed) {
            this.committed = committed;
        }

        @Override
        public void write(Batch batch) {
        }

        @Override
        public void flush() {
        }

        @Override
        public byte[] prepareCommit(long checkpointId) {
            calls.add("prepare " + checkpointId);
            return new byte[] {(byte) checkpointId};
        }

        @Override
        public void commit(long checkpointId) {
            calls.add("commit " + checkpointId);
            if (failCommit) {
                throw new IllegalStateException("the process died before the commit");
            }
            committed.add(checkpointId);
        }

        @Override
        public boolean recover(Optional<PreparedCommit> newest) {
            calls.add("recover " + newest.map(PreparedCommit::checkpointId).map(String::valueOf).orElse("none"));
            return newest.isEmpty() || committed.contains(newest.get().checkpointId());
        }

        @Override
        public void close() {
        }
    }

    private QueryCheckpointer checkpointer(Path directory, Duration interval) {
        return new QueryCheckpointer("q", new CheckpointStorage(directory), interval, clock, "plan-1", compactor);
    }

    @Test
    void checkpointsWhenDueCommitsTheSinkThenTheSourcesAndRestoresTheNewest() {
        List<Long> committed = new ArrayList<>();
        RecordingSink sink = new RecordingSink(committed);
        CounterQuery query = new CounterQuery();
        QueryCheckpointer checkpointer = checkpointer(dir, Duration.ofSeconds(10));
        assertThat(checkpointer.recover(query, Optional.of(sink))).isEmpty();
        AtomicInteger sourceCommits = new AtomicInteger();
        for (int batch = 1; batch <= 25; batch++) {
            query.value += batch;
            query.batches = batch;
            clock.advance(1_000);
            checkpointer.afterBatch(query, Optional.of(sink), sourceCommits::incrementAndGet);
        }
        // due after 10 s: batches 10 and 20
        assertThat(sink.calls).containsExactly("recover none", "prepare 1", "commit 1", "prepare 2", "commit 2");
        assertThat(sourceCommits).hasValue(2);
        assertThat(checkpointer.statistics().last()).hasValueSatisfying(last -> {
            assertThat(last.id()).isEqualTo(2);
            assertThat(last.batch()).isEqualTo(20);
        });

        CounterQuery restored = new CounterQuery();
        RecordingSink next = new RecordingSink(committed);
        Optional<Checkpoint> checkpoint = checkpointer(dir, Duration.ofSeconds(10)).recover(restored, Optional.of(next));
        assertThat(checkpoint).hasValueSatisfying(c -> assertThat(c.id()).isEqualTo(2));
        assertThat(restored.value).isEqualTo(210); // 1 + ... + 20
        assertThat(next.calls).containsExactly("recover 2");
    }

    @Test
    void aCheckpointWhoseSinkNeverCommittedIsDiscardedForThePreviousOne() {
        List<Long> committed = new ArrayList<>();
        RecordingSink sink = new RecordingSink(committed);
        CounterQuery query = new CounterQuery();
        QueryCheckpointer checkpointer = checkpointer(dir, Duration.ZERO);
        checkpointer.recover(query, Optional.of(sink));
        query.value = 7;
        checkpointer.checkpoint(query, Optional.of(sink), () -> { });
        query.value = 9;
        sink.failCommit = true; // the process dies between writing checkpoint 2 and its sink commit
        assertThatThrownBy(() -> checkpointer.checkpoint(query, Optional.of(sink), () -> { }))
                .hasMessageContaining("died");

        CounterQuery restored = new CounterQuery();
        RecordingSink next = new RecordingSink(committed);
        QueryCheckpointer restarted = checkpointer(dir, Duration.ZERO);
        assertThat(restarted.recover(restored, Optional.of(next))).hasValueSatisfying(c -> assertThat(c.id()).isEqualTo(1));
        assertThat(restored.value).isEqualTo(7);
        assertThat(next.calls).containsExactly("recover 2");
        // the next checkpoint does not reuse the discarded id
        restarted.checkpoint(restored, Optional.of(next), () -> { });
        assertThat(next.calls).contains("prepare 3", "commit 3");
    }

    @Test
    void aWriteFailureKeepsTheLastCheckpointCommitsNothingAndIsRetried() throws IOException {
        Path directory = dir.resolve("q");
        List<Long> committed = new ArrayList<>();
        RecordingSink sink = new RecordingSink(committed);
        CounterQuery query = new CounterQuery();
        QueryCheckpointer checkpointer = checkpointer(directory, Duration.ZERO);
        checkpointer.recover(query, Optional.of(sink));
        AtomicInteger sourceCommits = new AtomicInteger();
        query.value = 1;
        assertThat(checkpointer.afterBatch(query, Optional.of(sink), sourceCommits::incrementAndGet)).isTrue();

        // the directory becomes unusable (as with a full disk): writing checkpoint 2 fails
        Path moved = dir.resolve("moved");
        Files.move(directory, moved);
        Files.writeString(directory, "not a directory");
        query.value = 2;
        clock.advance(10);
        assertThat(checkpointer.afterBatch(query, Optional.of(sink), sourceCommits::incrementAndGet)).isFalse();
        assertThat(checkpointer.statistics().error()).hasValueSatisfying(error ->
                assertThat(error).contains("checkpoint 2 failed").contains("nothing is committed"));
        assertThat(sink.calls).doesNotContain("commit 2");
        assertThat(sourceCommits).hasValue(1);
        // retried after a back-off, not at every batch
        clock.advance(10);
        assertThat(checkpointer.afterBatch(query, Optional.of(sink), sourceCommits::incrementAndGet)).isFalse();
        assertThat(sink.calls.stream().filter(call -> call.equals("prepare 2")).count()).isEqualTo(1);

        // the disk is fine again: the retry succeeds with the same id, and everything since is in it
        Files.delete(directory);
        Files.move(moved, directory);
        clock.advance(1_000);
        query.value = 3;
        assertThat(checkpointer.afterBatch(query, Optional.of(sink), sourceCommits::incrementAndGet)).isTrue();
        assertThat(sink.calls).endsWith("prepare 2", "prepare 2", "commit 2");
        assertThat(sourceCommits).hasValue(2);
        assertThat(checkpointer.statistics().error()).isEmpty();

        CounterQuery restored = new CounterQuery();
        checkpointer(directory, Duration.ZERO).recover(restored, Optional.of(new RecordingSink(committed)));
        assertThat(restored.value).isEqualTo(3);
    }

    @Test
    void corruptFilesAreSkippedWithAWarning() throws IOException {
        List<Long> committed = new ArrayList<>();
        RecordingSink sink = new RecordingSink(committed);
        CounterQuery query = new CounterQuery();
        QueryCheckpointer checkpointer = checkpointer(dir, Duration.ZERO);
        checkpointer.recover(query, Optional.of(sink));
        for (int value = 1; value <= 3; value++) {
            query.value = value;
            checkpointer.checkpoint(query, Optional.of(sink), () -> { });
        }
        CheckpointStorage storage = new CheckpointStorage(dir);
        assertThat(storage.list()).extracting(CheckpointStorage.StoredCheckpoint::id).containsExactly(3L, 2L);
        // a flipped byte in the newest
        Path newest = storage.list().get(0).file();
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(newest, bytes);

        CounterQuery restored = new CounterQuery();
        QueryCheckpointer restarted = checkpointer(dir, Duration.ZERO);
        assertThat(restarted.recover(restored, Optional.of(new RecordingSink(committed))))
                .hasValueSatisfying(c -> assertThat(c.id()).isEqualTo(2));
        assertThat(restored.value).isEqualTo(2);
        assertThat(restarted.statistics().warning()).hasValueSatisfying(warning ->
                assertThat(warning).contains("checkpoint 3 is unusable").contains("restored checkpoint 2"));
    }

    @Test
    void aCheckpointOfAnotherPlanIsNotRestored() {
        List<Long> committed = new ArrayList<>();
        CounterQuery query = new CounterQuery();
        QueryCheckpointer checkpointer = checkpointer(dir, Duration.ZERO);
        checkpointer.recover(query, Optional.empty());
        checkpointer.checkpoint(query, Optional.empty(), () -> { });
        QueryCheckpointer otherPlan = new QueryCheckpointer("q", new CheckpointStorage(dir), Duration.ZERO, clock, "plan-2", compactor);
        assertThatThrownBy(() -> otherPlan.recover(new CounterQuery(), Optional.of(new RecordingSink(committed))))
                .hasMessageContaining("another plan").hasMessageContaining("STOP QUERY");
    }
}

package io.weir.engine.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine's compactor: its own thread, finished by {@link CheckpointCompactor#close()}. */
class CheckpointCompactorTest {
    @TempDir
    Path dir;

    @Test
    void closeFinishesTheCompactionUnderWayAndIgnoresLaterOnes() throws InterruptedException {
        CheckpointStorage storage = new CheckpointStorage(dir);
        List<Long> compacted = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(1);
        try (CheckpointCompactor compactor = new CheckpointCompactor()) {
            // nothing to compact in an empty directory: done at once
            compactor.submit("q", storage, 1, id -> {
                compacted.add(id);
                first.countDown();
            });
            assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
            compactor.close();
            compactor.submit("q", storage, 2, compacted::add); // refused quietly: the engine is closing
        }
        assertThat(compacted).containsExactly(1L);
    }

    @Test
    void twoEnginesCompactorsAreIndependent() throws InterruptedException {
        CheckpointStorage storage = new CheckpointStorage(dir);
        CountDownLatch done = new CountDownLatch(1);
        CheckpointCompactor closed = new CheckpointCompactor();
        closed.close();
        try (CheckpointCompactor open = new CheckpointCompactor()) {
            open.submit("q", storage, 1, id -> done.countDown());
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}

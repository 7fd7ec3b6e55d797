package io.weir.server.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SerialExecutorTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void runsTasksOneAtATimeInOrder() throws InterruptedException {
        SerialExecutor serial = new SerialExecutor(pool);
        List<Integer> order = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(50);
        for (int i = 0; i < 50; i++) {
            int task = i;
            serial.execute(() -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                order.add(task);
                running.decrementAndGet();
                done.countDown();
            });
        }

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactlyElementsOf(IntStream.range(0, 50).boxed().toList());
        assertThat(maxRunning.get()).isEqualTo(1);
    }

    @Test
    void aBlockedQueueDoesNotBlockAnother() throws InterruptedException {
        SerialExecutor first = new SerialExecutor(pool);
        SerialExecutor second = new SerialExecutor(pool);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch secondRan = new CountDownLatch(1);
        first.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        second.execute(secondRan::countDown);

        assertThat(secondRan.await(5, TimeUnit.SECONDS)).isTrue();
        release.countDown();
    }

    @Test
    void aFailingTaskDoesNotStopTheQueue() throws InterruptedException {
        SerialExecutor serial = new SerialExecutor(pool);
        CountDownLatch after = new CountDownLatch(1);
        serial.execute(() -> {
            throw new IllegalStateException("expected in this test");
        });
        serial.execute(after::countDown);

        assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theTaskAfterAnAsyncTaskWaitsForItsStageWhileTheThreadServesOthers() throws InterruptedException {
        ExecutorService oneThread = Executors.newSingleThreadExecutor();
        try {
            SerialExecutor connection = new SerialExecutor(oneThread);
            SerialExecutor otherConnection = new SerialExecutor(oneThread);
            CompletableFuture<Void> reply = new CompletableFuture<>();
            CountDownLatch next = new CountDownLatch(1);
            CountDownLatch other = new CountDownLatch(1);
            connection.executeAsync(() -> reply);
            connection.execute(next::countDown);

            otherConnection.execute(other::countDown);

            assertThat(other.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(next.getCount()).isEqualTo(1);
            reply.complete(null);
            assertThat(next.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            oneThread.shutdownNow();
        }
    }

    @Test
    void rejectsOnceThePoolIsShutDown() {
        SerialExecutor serial = new SerialExecutor(pool);
        pool.shutdown();

        assertThatThrownBy(() -> serial.execute(() -> { }))
                .isInstanceOf(RejectedExecutionException.class);
    }
}

package io.weir.engine.parallel;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A pool runs a micro-batch's tasks on its threads and the caller's; each pool is its own. */
class WorkerPoolTest {
    /** Two tasks that can only finish together: they pass only when two threads run them at once. */
    private static List<Runnable> meetingTasks(Set<String> threads) {
        CyclicBarrier meeting = new CyclicBarrier(2);
        Runnable task = () -> {
            threads.add(Thread.currentThread().getName());
            try {
                meeting.await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the other task did not run at the same time", e);
            }
        };
        return List.of(task, task);
    }

    @Test
    void closingOnePoolLeavesAnotherRunningItsTasksOnItsThreads() {
        WorkerPool first = new WorkerPool(1);
        try (WorkerPool second = new WorkerPool(1)) {
            first.close();
            Set<String> threads = ConcurrentHashMap.newKeySet();
            second.runAll(meetingTasks(threads));
            assertThat(threads).hasSize(2).anyMatch(name -> name.startsWith("weir-worker-"));
        }
    }

    @Test
    void aClosedPoolLeavesTheTasksToTheCaller() {
        WorkerPool pool = new WorkerPool(1);
        pool.close();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Runnable> sequential = List.of(() -> threads.add(Thread.currentThread().getName()),
                () -> threads.add(Thread.currentThread().getName()));
        pool.runAll(sequential);
        assertThat(threads).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void aFailingTaskDoesNotStopTheOthersAndItsFailureIsThrown() {
        try (WorkerPool pool = new WorkerPool(1)) {
            Set<String> ran = ConcurrentHashMap.newKeySet();
            assertThatThrownBy(() -> pool.runAll(List.of(() -> {
                throw new IllegalArgumentException("first fails");
            }, () -> ran.add("second"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("first fails");
            assertThat(ran).containsExactly("second");
        }
    }
}

package io.weir.engine.parallel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * The threads that run the tasks of parallel queries, one pool per engine (and so per server), so that
 * a hundred queries at parallelism N do not start a hundred times N threads. A query's own thread
 * takes part in running its tasks: every task a pool thread has not claimed yet, it runs itself, so a
 * query makes progress even when every pool thread is busy with other queries, and a query at
 * parallelism 1 uses no pool thread at all.
 */
public final class WorkerPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

    private final ExecutorService executor;
    private final int threads;

    /** @param threads the pool's threads, at least 1 */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a worker pool needs at least one thread: " + threads);
        }
        this.threads = threads;
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "weir-worker-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs every one of {@code tasks}, on pool threads and the caller's, and returns once all have run.
     * A task that fails does not stop the others; the first failure (in task order) is then thrown. The
     * caller waits for pool threads without giving up on an interrupt (tasks are one micro-batch's work
     * and never block), and keeps its interrupt status for the caller's own checks.
     */
    public void runAll(List<Runnable> tasks) {
        requireNonNull(tasks, "tasks is null");
        int count = tasks.size();
        if (count == 1) {
            tasks.get(0).run();
            return;
        }
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(count);
        Throwable[] failures = new Throwable[count];
        Runnable worker = () -> {
            int task;
            while ((task = next.getAndIncrement()) < count) {
                try {
                    tasks.get(task).run();
                } catch (Throwable e) {
                    failures[task] = e;
                } finally {
                    done.countDown();
                }
            }
        };
        for (int i = 1; i < count; i++) {
            try {
                executor.execute(worker);
            } catch (RejectedExecutionException e) {
                break; // the pool is closing: the caller runs what is left
            }
        }
        worker.run();
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (Throwable failure : failures) {
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
        }
    }

    /** Stops the threads; tasks handed over after this run on their callers' threads. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Worker threads did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

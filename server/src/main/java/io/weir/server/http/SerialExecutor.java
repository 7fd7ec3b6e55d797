package io.weir.server.http;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * Runs tasks one at a time, in submission order, on a shared executor. Each connection has one, so
 * its requests are answered in order (HTTP/1.1 pipelining) while a request blocked on one connection
 * never delays another connection's requests, as a Netty EventExecutorGroup, which pins each
 * connection to one of its threads, would.
 *
 * <p>A task may finish after it returns ({@link #executeAsync}): the next one starts once the
 * stage it returned completes, and no thread is held in between.
 */
public final class SerialExecutor implements Executor {
    /** A task whose work may end after it returns: when the stage it returns completes. */
    @FunctionalInterface
    public interface AsyncTask {
        CompletionStage<?> start();
    }

    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final Executor delegate;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private Runnable active;

    public SerialExecutor(Executor delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    /** @throws RejectedExecutionException when the shared executor has shut down */
    @Override
    public void execute(Runnable task) {
        requireNonNull(task, "task is null");
        executeAsync(() -> {
            task.run();
            return DONE;
        });
    }

    /**
     * Starts {@code task} after the tasks before it have finished; the task after it starts once the
     * stage {@code task} returns has completed (or {@code task} has thrown).
     *
     * @throws RejectedExecutionException when the shared executor has shut down
     */
    public synchronized void executeAsync(AsyncTask task) {
        requireNonNull(task, "task is null");
        tasks.add(() -> {
            CompletionStage<?> finished;
            try {
                finished = task.start();
            } catch (RuntimeException | Error e) {
                scheduleNext();
                throw e;
            }
            finished.whenComplete((result, failure) -> scheduleNext());
        });
        if (active == null) {
            scheduleNext();
        }
    }

    private synchronized void scheduleNext() {
        active = tasks.poll();
        if (active != null) {
            try {
                delegate.execute(active);
            } catch (RejectedExecutionException e) {
                // Shut down: nothing queued here will run.
                tasks.clear();
                active = null;
                throw e;
            }
        }
    }
}

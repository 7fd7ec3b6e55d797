package io.weir.server.http;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * Runs tasks one at a time, in submission order, on a shared executor. Each connection has one, so
 * its requests are answered in order (HTTP/1.1 pipelining) while a request blocked on one connection
 * (a long-poll) never delays another connection's requests, as a Netty EventExecutorGroup, which
 * pins each connection to one of its threads, would.
 */
final class SerialExecutor implements Executor {
    private final Executor delegate;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private Runnable active;

    SerialExecutor(Executor delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    /** @throws RejectedExecutionException when the shared executor has shut down */
    @Override
    public synchronized void execute(Runnable task) {
        requireNonNull(task, "task is null");
        tasks.add(() -> {
            try {
                task.run();
            } finally {
                scheduleNext();
            }
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

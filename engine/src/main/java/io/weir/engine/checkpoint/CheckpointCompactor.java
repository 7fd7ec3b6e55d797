package io.weir.engine.checkpoint;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import static java.util.Objects.requireNonNull;

/**
 * Rewrites incremental checkpoints as full ones ({@link CheckpointStorage#compact}) on one background
 * thread, off the queries' threads, so that restores read short chains and old files can be deleted.
 * A failed compaction only leaves the chain longer; the query writes a full checkpoint itself when its
 * chain grows too long. One per engine, shared by its queries and closed with it. Thread-safe.
 */
public final class CheckpointCompactor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointCompactor.class);
    /** How long {@link #close()} waits for a compaction under way; a cut-short one only leaves a chain longer. */
    private static final long CLOSE_WAIT_SECONDS = 10;

    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            runnable -> {
                Thread thread = new Thread(runnable, "weir-checkpoint-compactor");
                thread.setDaemon(true);
                return thread;
            });
    private volatile boolean closed;

    public CheckpointCompactor() {
        // no thread while there is nothing to compact (most engines, most of the time)
        executor.allowCoreThreadTimeOut(true);
    }

    /** Compacts checkpoint {@code id} of {@code storage} in the background; {@code compacted} gets the id when done. */
    public void submit(String queryId, CheckpointStorage storage, long id, LongConsumer compacted) {
        requireNonNull(storage, "storage is null");
        requireNonNull(compacted, "compacted is null");
        try {
            executor.execute(() -> {
                if (closed) {
                    return; // queued before close: the chain stays longer until a later compaction or full checkpoint
                }
                try {
                    if (storage.compact(id)) {
                        LOG.debug("Query {}: checkpoint {} compacted", queryId, id);
                    }
                    compacted.accept(id);
                } catch (Exception e) {
                    LOG.warn("Query {}: cannot compact checkpoint {}: {}", queryId, id, e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Query {}: compaction of checkpoint {} not scheduled: {}", queryId, id, e.toString());
        }
    }

    /**
     * Drops the compactions not started yet and waits (briefly) for the one under way; later
     * {@link #submit}s are ignored. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("A checkpoint compaction did not finish within {} s; stopping it", CLOSE_WAIT_SECONDS);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

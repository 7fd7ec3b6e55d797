package io.weir.engine.checkpoint;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongConsumer;

import static java.util.Objects.requireNonNull;

/**
 * Rewrites incremental checkpoints as full ones ({@link CheckpointStorage#compact}) on one background
 * thread, off the queries' threads, so that restores read short chains and old files can be deleted.
 * A failed compaction only leaves the chain longer; the query writes a full checkpoint itself when its
 * chain grows too long.
 */
public final class CheckpointCompactor {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointCompactor.class);
    private static final CheckpointCompactor SHARED = new CheckpointCompactor();

    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "weir-checkpoint-compactor");
        thread.setDaemon(true);
        return thread;
    });

    /** The compactor of this process, shared by its queries. */
    public static CheckpointCompactor shared() {
        return SHARED;
    }

    /** Compacts checkpoint {@code id} of {@code storage} in the background; {@code compacted} gets the id when done. */
    public void submit(String queryId, CheckpointStorage storage, long id, LongConsumer compacted) {
        requireNonNull(storage, "storage is null");
        requireNonNull(compacted, "compacted is null");
        try {
            executor.execute(() -> {
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
}

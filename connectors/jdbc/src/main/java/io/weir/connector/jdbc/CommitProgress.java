package io.weir.connector.jdbc;

import io.weir.spi.connector.PreparedCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * Where an exactly-once append writer records its commits: its row in the progress table, under the
 * writer id of its query and sink ({@code <query id>.<sink>}, the same after restarts).
 */
record CommitProgress(ProgressTable table, String writerId) {
    private static final Logger LOG = LoggerFactory.getLogger(CommitProgress.class);

    CommitProgress {
        requireNonNull(table, "table is null");
        requireNonNull(writerId, "writerId is null");
    }

    /**
     * Whether the rows of {@code newest} are in the table, judged by the checkpoint id the writer's
     * progress row holds ({@code committed}, empty when it has none).
     */
    boolean newestVisible(String describe, OptionalLong committed, Optional<PreparedCommit> newest) {
        long last = committed.orElse(0);
        if (newest.isEmpty()) {
            if (committed.isPresent()) {
                LOG.info("{}: starting without a checkpoint; the rows an earlier run of writer '{}' committed (up to its "
                        + "checkpoint {}) stay in the table", describe, writerId, last);
            }
            return true;
        }
        long id = newest.get().checkpointId();
        if (last == id) {
            return true;
        }
        if (last > id) {
            // The engine writes a checkpoint before committing its rows, so this means a newer checkpoint was lost.
            LOG.warn("{}: progress table {} says writer '{}' committed checkpoint {}, newer than the newest checkpoint {} "
                    + "on disk; rows committed after checkpoint {} will be written again", describe, table.name(), writerId,
                    last, id, id);
            return true;
        }
        if (last < id - 1) {
            LOG.warn("{}: progress table {} says writer '{}' committed checkpoint {}, but the query's checkpoints go up to "
                    + "{}: the rows of checkpoints {} to {} are not in the table (was the progress row changed, or does "
                    + "the sink point at another database now?)", describe, table.name(), writerId, last, id, last + 1,
                    id - 1);
        } else {
            LOG.info("{}: the rows of checkpoint {} were not committed before the query stopped; it restarts from the "
                    + "checkpoint before", describe, id);
        }
        return false;
    }
}

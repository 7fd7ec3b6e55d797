package io.weir.engine.checkpoint;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A query's checkpointing so far.
 *
 * @param recent the latest completed checkpoints of this run, oldest first (a few)
 * @param restoredFrom the checkpoint the query restored when it started, if any
 * @param warning what recovery had to work around (an unreadable newest checkpoint), if anything
 * @param error why the last attempt to checkpoint failed, while no later one succeeded
 */
public record CheckpointStatistics(List<CheckpointRecord> recent, Optional<Long> restoredFrom, Optional<String> warning,
                                   Optional<String> error) {
    public static final CheckpointStatistics NONE = new CheckpointStatistics(List.of(), Optional.empty(), Optional.empty(),
            Optional.empty());

    public CheckpointStatistics {
        recent = List.copyOf(requireNonNull(recent, "recent is null"));
        requireNonNull(restoredFrom, "restoredFrom is null");
        requireNonNull(warning, "warning is null");
        requireNonNull(error, "error is null");
    }

    /** The last checkpoint error, else what recovery had to work around: what {@code checkpoint_problem} shows. */
    public Optional<String> problem() {
        return error.or(() -> warning);
    }

    public Optional<CheckpointRecord> last() {
        return recent.isEmpty() ? Optional.empty() : Optional.of(recent.get(recent.size() - 1));
    }
}

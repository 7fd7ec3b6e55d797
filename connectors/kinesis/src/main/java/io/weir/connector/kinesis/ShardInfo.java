package io.weir.connector.kinesis;

import software.amazon.awssdk.services.kinesis.model.Shard;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One shard as {@code ListShards} describes it.
 *
 * @param parents the shard it was split from, or the two it was merged from (those still listed or not)
 * @param startingSequenceNumber the first sequence number of the shard, the template of its positions ({@link ShardOffsets})
 * @param closed a reshard closed it: it takes no new records, and once read to its end its children follow
 */
record ShardInfo(String id, List<String> parents, String startingSequenceNumber, boolean closed) {
    ShardInfo {
        requireNonNull(id, "id is null");
        parents = List.copyOf(parents);
        requireNonNull(startingSequenceNumber, "startingSequenceNumber is null");
    }

    static ShardInfo of(Shard shard) {
        List<String> parents = new ArrayList<>(2);
        Optional.ofNullable(shard.parentShardId()).ifPresent(parents::add);
        Optional.ofNullable(shard.adjacentParentShardId()).ifPresent(parents::add);
        return new ShardInfo(shard.shardId(), parents, shard.sequenceNumberRange().startingSequenceNumber(),
                shard.sequenceNumberRange().endingSequenceNumber() != null);
    }
}

package io.weir.connector.kinesis;

import software.amazon.awssdk.services.kinesis.model.Record;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** What a {@link ShardFetcher} hands its reader, in order. */
sealed interface ShardEvent {
    /** Shards to read from now on, in split order, with the position each starts at ({@link ShardOffsets}). */
    record Discovered(Map<String, Long> shards) implements ShardEvent {
        public Discovered {
            requireNonNull(shards, "shards is null");
        }
    }

    /** The next records of a shard, in order. */
    record Fetched(String shardId, List<Record> records) implements ShardEvent {
        public Fetched {
            requireNonNull(shardId, "shardId is null");
            records = List.copyOf(records);
        }
    }

    /** A closed shard read to its end: no more records follow from it. */
    record Finished(String shardId) implements ShardEvent {
        public Finished {
            requireNonNull(shardId, "shardId is null");
        }
    }

    /** Reading cannot go on. */
    record Failed(RuntimeException error) implements ShardEvent {
        public Failed {
            requireNonNull(error, "error is null");
        }
    }
}

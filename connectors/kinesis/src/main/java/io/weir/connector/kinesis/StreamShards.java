package io.weir.connector.kinesis;

import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The shards of a stream ({@code ListShards}, every page), and where a reader without a position starts in each. */
final class StreamShards {
    private StreamShards() {
    }

    /** Every shard the stream lists (open ones and closed ones still within the retention period), by shard id. */
    static List<ShardInfo> list(KinesisClient client, String stream) {
        List<ShardInfo> shards = new ArrayList<>();
        ListShardsResponse page = client.listShards(ListShardsRequest.builder().streamName(stream).build());
        page.shards().forEach(shard -> shards.add(ShardInfo.of(shard)));
        while (page.nextToken() != null) {
            String token = page.nextToken();
            page = client.listShards(ListShardsRequest.builder().nextToken(token).build());
            page.shards().forEach(shard -> shards.add(ShardInfo.of(shard)));
        }
        shards.sort(Comparator.comparing(ShardInfo::id));
        return List.copyOf(shards);
    }

    /**
     * The start position of every shard for {@code mode}: the trim horizon or the time everywhere; for
     * {@code latest}, {@code nowMillis} in open shards and closed shards finished (their records are older).
     */
    static Map<String, Long> initial(List<ShardInfo> shards, StartupMode mode, long timestampMillis, long nowMillis) {
        Map<String, Long> offsets = new LinkedHashMap<>();
        for (ShardInfo shard : shards) {
            offsets.put(shard.id(), switch (mode) {
                case TRIM_HORIZON -> ShardOffsets.TRIM_HORIZON;
                case AT_TIMESTAMP -> ShardOffsets.atTimestamp(timestampMillis);
                case LATEST -> shard.closed() ? ShardOffsets.FINISHED : ShardOffsets.atTimestamp(nowMillis);
            });
        }
        return offsets;
    }

    /**
     * Where a consumer that stored {@code known} resumes in each listed shard: its own position, else (a shard
     * a reshard made after it read) from the start of the shard when it knows one of the shard's ancestors,
     * else where {@code fresh} says.
     */
    static Map<String, Long> resume(List<ShardInfo> shards, Map<String, Long> known, Map<String, Long> fresh) {
        Map<String, ShardInfo> byId = new LinkedHashMap<>();
        shards.forEach(shard -> byId.put(shard.id(), shard));
        Map<String, Long> offsets = new LinkedHashMap<>();
        for (ShardInfo shard : shards) {
            Long own = known.get(shard.id());
            if (own != null) {
                offsets.put(shard.id(), own);
            } else if (descendsFrom(shard, known.keySet(), byId)) {
                offsets.put(shard.id(), ShardOffsets.TRIM_HORIZON);
            } else {
                offsets.put(shard.id(), fresh.get(shard.id()));
            }
        }
        return offsets;
    }

    private static boolean descendsFrom(ShardInfo shard, Set<String> ancestors, Map<String, ShardInfo> byId) {
        for (String parent : shard.parents()) {
            if (ancestors.contains(parent)) {
                return true;
            }
            ShardInfo listed = byId.get(parent);
            if (listed != null && descendsFrom(listed, ancestors, byId)) {
                return true;
            }
        }
        return false;
    }
}

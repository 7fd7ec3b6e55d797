package io.weir.connector.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** Positions an assigned consumer where {@code 'scan.startup.mode'} says. */
final class StartPositions {
    private StartPositions() {
    }

    /**
     * May block on the broker (up to the consumer's {@code default.api.timeout.ms}). A persistent
     * query's reader ({@link KafkaSettings#commitOffsets()}) resumes every partition that has a
     * committed offset in its group; the others start as {@code 'scan.startup.mode'} says.
     */
    static void seek(Consumer<?, ?> consumer, List<TopicPartition> partitions, KafkaSettings settings) {
        if (!settings.commitOffsets()) {
            seekByMode(consumer, partitions, settings);
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset != null) {
                consumer.seek(partition, offset.offset());
            } else {
                fresh.add(partition);
            }
        }
        if (!fresh.isEmpty()) {
            seekByMode(consumer, fresh, settings);
        }
    }

    private static void seekByMode(Consumer<?, ?> consumer, List<TopicPartition> partitions, KafkaSettings settings) {
        switch (settings.startupMode()) {
            case EARLIEST -> consumer.seekToBeginning(partitions);
            case LATEST -> consumer.seekToEnd(partitions);
            case TIMESTAMP -> {
                Map<TopicPartition, Long> query = new HashMap<>();
                partitions.forEach(partition -> query.put(partition, settings.startupTimestamp().getAsLong()));
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
                for (TopicPartition partition : partitions) {
                    OffsetAndTimestamp offset = found.get(partition);
                    if (offset == null) {
                        // No record at or after the timestamp yet: start with the records that come next.
                        consumer.seekToEnd(List.of(partition));
                    } else {
                        consumer.seek(partition, offset.offset());
                    }
                }
            }
            case GROUP_OFFSETS -> {
                Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
                for (TopicPartition partition : partitions) {
                    OffsetAndMetadata offset = committed.get(partition);
                    // Without a committed offset the consumer's auto.offset.reset applies (earliest unless set).
                    if (offset != null) {
                        consumer.seek(partition, offset.offset());
                    }
                }
            }
        }
    }
}

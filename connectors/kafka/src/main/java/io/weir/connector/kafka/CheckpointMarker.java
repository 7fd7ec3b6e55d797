package io.weir.connector.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * Which checkpoint's transaction an exactly-once sink committed last, kept in Kafka itself: each
 * transaction also commits, as a consumer-group offset, the id of the checkpoint it belongs to. The
 * offset becomes visible exactly when the transaction's records do, so after a crash the group tells
 * whether the newest checkpoint's transaction was committed or aborted.
 *
 * <p>The group has no members; the offset is stored for partition 0 of the sink's topic (a partition
 * that exists, so that no broker rejects it) and means nothing to consumers.
 *
 * @param group the marker group, {@code weir-<writer id>.commits}
 * @param partition where the checkpoint id is stored
 */
record CheckpointMarker(String group, TopicPartition partition) {
    CheckpointMarker {
        requireNonNull(group, "group is null");
        requireNonNull(partition, "partition is null");
    }

    static CheckpointMarker of(String transactionalId, String topic) {
        return new CheckpointMarker(transactionalId + ".commits", new TopicPartition(topic, 0));
    }

    /** Adds the marker of {@code checkpointId} to the producer's open transaction. */
    void addTo(Producer<?, ?> producer, long checkpointId) {
        producer.sendOffsetsToTransaction(
                Map.of(partition, new OffsetAndMetadata(checkpointId, "weir checkpoint " + checkpointId)),
                new ConsumerGroupMetadata(group));
    }

    /**
     * The checkpoint id of the last committed transaction; empty when none was committed (or the broker
     * expired the group's offsets, after {@code offsets.retention.minutes} without a commit). Waits for
     * transactions still completing ({@code requireStable}).
     */
    OptionalLong lastCommitted(Admin admin, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(
                        Map.of(group, new ListConsumerGroupOffsetsSpec().topicPartitions(List.of(partition))),
                        new ListConsumerGroupOffsetsOptions().requireStable(true))
                .partitionsToOffsetAndMetadata(group)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        OffsetAndMetadata offset = offsets.get(partition);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset.offset());
    }
}

package io.weir.connector.kafka;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The partitions a reader reads, in split-id order: topics in the order given (or by name for a
 * pattern), partitions ascending. Topics are resolved once, when the reader starts; topics created
 * later and partitions added later are not read by that reader.
 */
final class TopicDiscovery {
    private TopicDiscovery() {
    }

    /** Blocks on broker metadata (up to the consumer's {@code default.api.timeout.ms}). */
    static List<TopicPartition> partitions(Consumer<?, ?> consumer, KafkaSettings settings, String describedObject) {
        List<TopicPartition> result = new ArrayList<>();
        if (settings.topicPattern().isPresent()) {
            Map<String, List<PartitionInfo>> topics = consumer.listTopics();
            topics.keySet().stream()
                    .filter(topic -> settings.topicPattern().get().matcher(topic).matches())
                    .sorted()
                    .forEach(topic -> result.addAll(sorted(topics.get(topic))));
            if (result.isEmpty()) {
                throw new WeirException(ErrorCode.SOURCE_ERROR, describedObject + ": no topic on Kafka at '" + settings.bootstrapServers()
                        + "' matches 'topic-pattern' = '" + settings.topicPattern().get().pattern()
                        + "' (the whole name must match); create a topic or fix the pattern");
            }
            return List.copyOf(result);
        }
        for (String topic : settings.topics()) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic);
            if (partitions == null || partitions.isEmpty()) {
                throw new WeirException(ErrorCode.SOURCE_ERROR, describedObject + ": topic '" + topic + "' does not exist on Kafka at '"
                        + settings.bootstrapServers() + "'; create it or fix the option 'topic'");
            }
            result.addAll(sorted(partitions));
        }
        return List.copyOf(result);
    }

    private static List<TopicPartition> sorted(List<PartitionInfo> partitions) {
        return partitions.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
    }
}

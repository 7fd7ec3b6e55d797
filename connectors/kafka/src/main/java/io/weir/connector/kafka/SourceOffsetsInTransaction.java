package io.weir.connector.kafka;

import io.weir.spi.connector.CommonOptions;
import io.weir.spi.connector.SourcePosition;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * The offsets of a query's Kafka sources on the sink's cluster, committed in the sink's transaction
 * (Kafka Streams' {@code sendOffsetsToTransaction}): each source's consumer group
 * ({@code weir-<consumer id>}) then moves exactly when the rows the query made of those records
 * become visible, which is what Kafka's own tools (lag monitors, {@code kafka-consumer-groups}) see.
 * Sources on other clusters, and other connectors, are left to the engine's commit after the checkpoint.
 */
final class SourceOffsetsInTransaction {
    private final Set<String> sinkServers;

    SourceOffsetsInTransaction(String sinkBootstrapServers) {
        this.sinkServers = servers(requireNonNull(sinkBootstrapServers, "sinkBootstrapServers is null"));
    }

    /** Adds the offsets of the Kafka sources on this cluster to the producer's open transaction. */
    void addTo(Producer<?, ?> producer, List<SourcePosition> sources) {
        for (SourcePosition source : sources) {
            if (!isOnThisCluster(source) || source.offsets().isEmpty()) {
                continue;
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
            source.offsets().forEach((split, offset) ->
                    offsets.put(KafkaSourceReader.partitionOf(split), new OffsetAndMetadata(offset)));
            producer.sendOffsetsToTransaction(offsets, new ConsumerGroupMetadata(KafkaSettings.groupOf(source.consumerId())));
        }
    }

    private boolean isOnThisCluster(SourcePosition source) {
        String connector = source.options().get(CommonOptions.CONNECTOR.key());
        String servers = source.options().get(KafkaConnectorFactory.BOOTSTRAP_SERVERS.key());
        return connector != null && connector.trim().equalsIgnoreCase(KafkaConnectorFactory.NAME)
                && servers != null && servers(servers).equals(sinkServers)
                && !source.options().containsKey(KafkaConnectorFactory.GROUP_ID.key());
    }

    private static Set<String> servers(String list) {
        Set<String> servers = new TreeSet<>();
        Arrays.stream(list.split(",")).map(server -> server.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .forEach(servers::add);
        return servers;
    }
}

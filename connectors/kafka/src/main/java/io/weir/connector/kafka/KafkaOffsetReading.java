package io.weir.connector.kafka;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Kafka read by offsets for several persistent queries: each query's consumer keeps its offsets in a
 * consumer group of its own ({@code weir-<consumer id>}, as when it reads alone), and one reader
 * without a group reads for all of them and commits to their groups.
 */
final class KafkaOffsetReading implements OffsetReading {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final ConnectorContext context;
    private final KafkaSettings settings;
    private final Supplier<String> clientIds;
    private final boolean forSplits;

    KafkaOffsetReading(ConnectorContext context, KafkaSettings settings, Supplier<String> clientIds) {
        this(context, settings, clientIds, false);
    }

    /**
     * @param forSplits for a push query dividing the partitions between its tasks: start offsets are where
     *        a reader without a group starts ('scan.startup.mode'), whatever the consumer id
     */
    KafkaOffsetReading(ConnectorContext context, KafkaSettings settings, Supplier<String> clientIds, boolean forSplits) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.clientIds = requireNonNull(clientIds, "clientIds is null");
        this.forSplits = forSplits;
    }

    /** Looks the partitions up and positions a short-lived consumer of the group as a reader of its own would be. */
    @Override
    public SplitOffsets startOffsets(String consumerId) {
        KafkaSettings own = forSplits ? settings.withoutGroup() : settings.committingTo(KafkaSettings.groupOf(consumerId));
        try (KafkaConsumer<byte[], ByteBuffer> consumer = new KafkaConsumer<>(own.consumerConfig(clientIds.get() + "-start"))) {
            List<TopicPartition> partitions = TopicDiscovery.partitions(consumer, own, context.describe());
            consumer.assign(partitions);
            StartPositions.seek(consumer, partitions, own);
            Map<String, Long> offsets = new LinkedHashMap<>();
            for (TopicPartition partition : partitions) {
                offsets.put(KafkaSourceReader.splitName(partition), consumer.position(partition));
            }
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            return SplitOffsets.of(offsets);
        } catch (RuntimeException e) {
            throw KafkaFetcher.failure(own, context.describe(), e);
        }
    }

    /** The topic's partitions, from the cluster's metadata: the group's offsets are not read. */
    @Override
    public List<String> splits(String consumerId) {
        KafkaSettings own = settings.withoutGroup();
        try (KafkaConsumer<byte[], ByteBuffer> consumer = new KafkaConsumer<>(own.consumerConfig(clientIds.get() + "-splits"))) {
            List<String> splits = TopicDiscovery.partitions(consumer, own, context.describe()).stream()
                    .map(KafkaSourceReader::splitName).toList();
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            return splits;
        } catch (RuntimeException e) {
            throw KafkaFetcher.failure(own, context.describe(), e);
        }
    }

    /** Deletes the query's consumer group (it has no members: Weir's readers assign partitions themselves). */
    @Override
    public void forget(String consumerId) {
        String group = KafkaSettings.groupOf(consumerId);
        try (Admin admin = Admin.create(settings.adminConfig(clientIds.get() + "-forget"))) {
            admin.deleteConsumerGroups(List.of(group)).all().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                throw forgetFailure(group, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw forgetFailure(group, e);
        } catch (TimeoutException | KafkaException e) {
            throw forgetFailure(group, e);
        }
    }

    private WeirException forgetFailure(String group, Throwable cause) {
        return new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": cannot delete Kafka consumer group '" + group
                + "' of a stopped query at '" + settings.bootstrapServers() + "': " + cause + ". A query created later under"
                + " the same name resumes from its offsets: delete the group with kafka-consumer-groups.sh --delete", cause);
    }

    @Override
    public boolean dividesSplits() {
        return true;
    }

    /** An assigned consumer reads exactly the partitions given (it never looks for new ones). */
    @Override
    public Optional<OffsetReader> createSplitReader(SplitOffsets splits) {
        return Optional.of(createReader(splits));
    }

    @Override
    public OffsetReader createReader(SplitOffsets start) {
        Map<TopicPartition, Long> partitions = new LinkedHashMap<>();
        start.forEach((split, offset) -> partitions.put(KafkaSourceReader.partitionOf(split), offset));
        KafkaSettings shared = settings.withoutGroup();
        String clientId = clientIds.get();
        return new KafkaSourceReader(context, shared, new KafkaFetcher(shared, context.describe(), clientId, partitions), clientId,
                partitions);
    }
}

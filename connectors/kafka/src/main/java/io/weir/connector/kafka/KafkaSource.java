package io.weir.connector.kafka;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceReader;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/** The topics of one stream or table; bounded with {@code 'scan.bounded.mode' = 'latest-offset'}. */
final class KafkaSource implements Source {
    private static final AtomicInteger READERS = new AtomicInteger();

    private final ConnectorContext context;
    private final KafkaSettings settings;

    KafkaSource(ConnectorContext context, KafkaSettings settings) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public boolean isBounded() {
        return settings.bounded();
    }

    /** A query that joins a shared reader later misses nothing when reading starts at the latest offsets. */
    @Override
    public boolean startsAtLiveEnd() {
        return settings.startupMode() == StartupMode.LATEST && !settings.bounded();
    }

    @Override
    public SourceReader createReader() {
        String clientId = clientId();
        return new KafkaSourceReader(context, settings, new KafkaFetcher(settings, context.describe(), clientId), clientId);
    }

    /** The client id names the object in broker logs and quotas; the counter keeps concurrent readers apart. */
    private String clientId() {
        return "weir-" + context.objectName() + "-" + READERS.incrementAndGet();
    }

    /** A persistent query resumes from the offsets of its consumer group. */
    @Override
    public boolean resumes() {
        return settings.commitOffsets();
    }

    /** Persistent queries share a reader unless the user named the group, which would then hold the offsets of all of them. */
    @Override
    public Optional<OffsetReading> offsetReading() {
        if (!settings.commitOffsets() || settings.groupNamedByUser()) {
            return Optional.empty();
        }
        return Optional.of(new KafkaOffsetReading(context, settings, this::clientId));
    }

    /**
     * A push query can divide the partitions between its tasks, each reading its own from where a reader
     * of the query would start; not when it starts from a group's offsets (those of a group named by the
     * user), which one reader of the group must follow.
     */
    @Override
    public Optional<OffsetReading> splitReading() {
        if (settings.commitOffsets() || settings.groupNamedByUser() || settings.startupMode() == StartupMode.GROUP_OFFSETS) {
            return Optional.empty();
        }
        return Optional.of(new KafkaOffsetReading(context, settings, this::clientId, true));
    }
}

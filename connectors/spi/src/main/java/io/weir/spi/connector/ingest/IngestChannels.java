package io.weir.spi.connector.ingest;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import static java.util.Objects.requireNonNull;

/**
 * One server's {@link IngestChannel}s of the {@code http} connector, one per stream name (ignoring
 * case), created on first use. The server's {@code POST /ingest/<stream>} appends to them and every
 * query reading the stream reads them; they live in the connector SPI (reached through
 * {@link io.weir.spi.connector.ConnectorServices}) so that neither the server nor the engine depends on
 * a connector module. Thread-safe.
 */
public final class IngestChannels {
    private final ConcurrentMap<String, IngestChannel> channels = new ConcurrentHashMap<>();

    /**
     * The channel of {@code streamName}, created with {@code capacity} if it does not exist yet; an
     * existing channel is resized to {@code capacity} (the stream's current {@code 'buffer.max-records'}).
     */
    public IngestChannel channel(String streamName, int capacity) {
        IngestChannel channel = channels.computeIfAbsent(key(streamName), key -> new IngestChannel(streamName, capacity));
        channel.resize(capacity);
        return channel;
    }

    /** The channel of {@code streamName}, if one was created. */
    public Optional<IngestChannel> find(String streamName) {
        return Optional.ofNullable(channels.get(key(streamName)));
    }

    /**
     * Forgets a stream's channel and its records, when the stream is dropped or replaced. Readers
     * still holding it keep reading it; the next use creates a new, empty one.
     */
    public boolean remove(String streamName) {
        return channels.remove(key(streamName)) != null;
    }

    private static String key(String streamName) {
        return requireNonNull(streamName, "streamName is null").toLowerCase(Locale.ROOT);
    }
}

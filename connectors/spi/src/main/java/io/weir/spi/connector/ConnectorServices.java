package io.weir.spi.connector;

import io.weir.spi.connector.ingest.IngestChannels;
import io.weir.spi.wal.WriteAheadLogs;
import io.weir.spi.wal.feed.LogFeeds;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What one server shares among the connectors of its streams, handed to them in
 * {@link ConnectorContext#services()}: its open write-ahead logs, the live feeds into them, the
 * in-memory channels of {@code http} streams, and services of the server itself that its built-in
 * connectors find by type ({@link #find}). One per server, never shared between servers, so that two
 * servers in one JVM keep apart what they hold under the same stream name. Thread-safe.
 */
public final class ConnectorServices implements AutoCloseable {
    private final WriteAheadLogs writeAheadLogs = new WriteAheadLogs();
    private final LogFeeds logFeeds = new LogFeeds(writeAheadLogs);
    private final IngestChannels ingestChannels = new IngestChannels();
    private final SinkStatistics sinkStatistics = new SinkStatistics();
    private final List<Object> serverServices;

    /**
     * @param serverServices services of the server that its own connectors look up with {@link #find}
     *        (the engine's materialized view stores); not closed by {@link #close()}
     */
    public ConnectorServices(Object... serverServices) {
        this.serverServices = List.of(requireNonNull(serverServices, "serverServices is null"));
    }

    public WriteAheadLogs writeAheadLogs() {
        return writeAheadLogs;
    }

    public LogFeeds logFeeds() {
        return logFeeds;
    }

    public IngestChannels ingestChannels() {
        return ingestChannels;
    }

    /** What the server's sinks wrote. */
    public SinkStatistics sinkStatistics() {
        return sinkStatistics;
    }

    /** The server's service of type {@code type}, if it was given one. */
    public <T> Optional<T> find(Class<T> type) {
        requireNonNull(type, "type is null");
        return serverServices.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** Closes the feeds, then the write-ahead logs (server shutdown, after its queries stopped). */
    @Override
    public void close() {
        try {
            logFeeds.close();
        } finally {
            writeAheadLogs.close();
        }
    }
}

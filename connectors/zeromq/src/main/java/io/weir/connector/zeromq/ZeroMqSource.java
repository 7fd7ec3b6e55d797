package io.weir.connector.zeromq;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.wal.feed.FedSource;
import io.weir.spi.wal.feed.FeedEvent;
import io.weir.spi.wal.feed.QueuedLogFeed;

import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import static java.util.Objects.requireNonNull;

/**
 * Messages from ZeroMQ publishers; never finishes. With {@code 'wal'}: read from the stream's
 * write-ahead log, which the stream's one {@link QueuedLogFeed} fills; without: each reader has its own
 * ZeroMQ context and SUB socket.
 */
final class ZeroMqSource implements Source {
    private final ConnectorContext context;
    private final ZeroMqSettings settings;
    private final Optional<FedSource> logged;

    ZeroMqSource(ConnectorContext context, ZeroMqSettings settings) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.logged = settings.wal().map(wal -> new FedSource(context, wal, log -> {
            BlockingQueue<FeedEvent> queue = new ArrayBlockingQueue<>(settings.queueMaxRecords());
            return new QueuedLogFeed(context, new ZeroMqReceiver(context, settings, queue), queue, log,
                    "weir-zeromq-" + context.objectName() + "-log");
        }));
    }

    @Override
    public boolean isBounded() {
        return false;
    }

    /** Rows arrive live on a subscription (or are read from the log's end): a query joining later misses only what came before it started. */
    @Override
    public boolean startsAtLiveEnd() {
        return true;
    }

    @Override
    public boolean resumes() {
        return logged.isPresent();
    }

    @Override
    public Optional<OffsetReading> offsetReading() {
        return logged.map(FedSource::offsetReading);
    }

    @Override
    public SourceReader createReader() {
        return logged.<SourceReader>map(FedSource::createReader).orElseGet(() -> new ZeroMqSourceReader(context, settings));
    }
}

package io.weir.connector.flume;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.wal.LogOffsetReading;
import io.weir.spi.wal.LogSourceReader;
import io.weir.spi.wal.WriteAheadLog;
import io.weir.spi.wal.WriteAheadLogs;
import io.weir.spi.wal.feed.FeedReader;
import io.weir.spi.wal.feed.LogFeeds;

import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Events from Flume agents; never finishes. Read from the stream's write-ahead log, which the stream's
 * one {@link FlumeListener} fills (it listens from the first poll of any reader until the last reader
 * closes). A push query reads from the log's end; a persistent query resumes from its committed offset.
 */
final class FlumeSource implements Source {
    private final ConnectorContext context;
    private final FlumeSettings settings;

    FlumeSource(ConnectorContext context, FlumeSettings settings) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public boolean isBounded() {
        return false;
    }

    @Override
    public boolean startsAtLiveEnd() {
        return true;
    }

    @Override
    public boolean resumes() {
        return true;
    }

    @Override
    public Optional<OffsetReading> offsetReading() {
        return Optional.of(new OffsetReading() {
            @Override
            public SplitOffsets startOffsets(String consumerId) {
                try (LogFeeds.Lease lease = lease()) {
                    WriteAheadLog log = lease.log();
                    return SplitOffsets.of(Map.of(context.objectName(),
                            LogOffsetReading.startOffset(log, consumerId, log.endOffset())));
                }
            }

            @Override
            public OffsetReader createReader(SplitOffsets start) {
                LogFeeds.Lease lease = lease();
                return reader(lease, start.get(context.objectName()).orElse(lease.log().endOffset()), Optional.empty());
            }
        });
    }

    @Override
    public SourceReader createReader() {
        LogFeeds.Lease lease = lease();
        WriteAheadLog log = lease.log();
        long start = context.consumerId().map(consumer -> LogOffsetReading.startOffset(log, consumer, log.endOffset()))
                .orElseGet(log::endOffset);
        return reader(lease, start, context.consumerId());
    }

    private LogFeeds.Lease lease() {
        return context.services().logFeeds().acquire(WriteAheadLogs.directory(context.dataDirectory()), context.describe(),
                settings.wal(), context.clock(), log -> new FlumeListener(context, settings, log));
    }

    private OffsetReader reader(LogFeeds.Lease lease, long start, Optional<String> ownConsumer) {
        try {
            FlumeLogDecoder decoder = new FlumeLogDecoder(lease.log().directory().toString(), context.createDecoder(),
                    context.errorHandler(), FlumeMetadata.fillers(context), context.schema().size(), settings.maxEventBytes());
            LogSourceReader log = new LogSourceReader(lease.log(), context.objectName(), start, decoder,
                    context.errorHandler(), ownConsumer, lease::close);
            return new FeedReader(context.describe(), lease.feed(), log);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }
}

package io.weir.spi.wal.feed;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.wal.LogOffsetReading;
import io.weir.spi.wal.LogSourceReader;
import io.weir.spi.wal.WalSettings;
import io.weir.spi.wal.WriteAheadLog;
import io.weir.spi.wal.WriteAheadLogs;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The reading side of a live source that keeps what it receives in a write-ahead log (socket,
 * ZeroMQ): readers of the log as one split named after the stream, the offset being the log offset,
 * over the stream's one {@link LogFeed} (among the server's, {@link io.weir.spi.connector.ConnectorServices#logFeeds()}).
 * A push query reads from the log's end as it is when its reader is created (live); a persistent query
 * resumes from its committed offset, a new one at the end.
 */
public final class FedSource {
    private final ConnectorContext context;
    private final WalSettings wal;
    private final Function<WriteAheadLog, LogFeed> feeds;

    /** @param feeds creates the stream's feed, appending to the given log, when it has none */
    public FedSource(ConnectorContext context, WalSettings wal, Function<WriteAheadLog, LogFeed> feeds) {
        this.context = requireNonNull(context, "context is null");
        this.wal = requireNonNull(wal, "wal is null");
        this.feeds = requireNonNull(feeds, "feeds is null");
    }

    /** For {@link io.weir.spi.connector.Source#offsetReading()}. */
    public OffsetReading offsetReading() {
        return new OffsetReading() {
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
        };
    }

    /** For {@link io.weir.spi.connector.Source#createReader()}: resumes under the context's consumer id, if any. */
    public OffsetReader createReader() {
        LogFeeds.Lease lease = lease();
        WriteAheadLog log = lease.log();
        long start = context.consumerId().map(consumer -> LogOffsetReading.startOffset(log, consumer, log.endOffset()))
                .orElseGet(log::endOffset);
        return reader(lease, start, context.consumerId());
    }

    private LogFeeds.Lease lease() {
        return context.services().logFeeds().acquire(WriteAheadLogs.directory(context.dataDirectory()), context.describe(), wal,
                context.clock(), feeds);
    }

    private OffsetReader reader(LogFeeds.Lease lease, long start, Optional<String> ownConsumer) {
        try {
            FeedDecoder decoder = new FeedDecoder(lease.log(), context::createDecoder, context.errorHandler(),
                    context.readerRowType());
            LogSourceReader log = new LogSourceReader(lease.log(), context.objectName(), start, decoder,
                    context.errorHandler(), ownConsumer, lease::close);
            return new FeedReader(context.describe(), lease.feed(), log);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }
}

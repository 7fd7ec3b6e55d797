package io.weir.connector.flume;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.wal.LogOffsetReading;
import io.weir.spi.wal.LogSourceReader;
import io.weir.spi.wal.WriteAheadLog;
import io.weir.spi.wal.WriteAheadLogs;
import io.weir.spi.wal.feed.LogFeeds;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

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
            return new Reader(lease, log);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /** Makes sure at every poll that the stream's listener is open, then reads the log. */
    private final class Reader implements OffsetReader {
        private final LogFeeds.Lease lease;
        private final LogSourceReader log;

        Reader(LogFeeds.Lease lease, LogSourceReader log) {
            this.lease = lease;
            this.log = log;
        }

        @Override
        public int poll(BatchBuilder out, int maxRows) {
            lease.feed().start();
            Throwable failure = lease.feed().failure().orElse(null);
            if (failure != null) {
                throw new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": receiving failed: "
                        + failure.getMessage() + ". Restart the queries of the stream once the cause is fixed", failure);
            }
            return log.poll(out, maxRows);
        }

        @Override
        public SplitOffsets offsets() {
            return log.offsets();
        }

        @Override
        public void commit(String consumerId, SplitOffsets offsets) {
            log.commit(consumerId, offsets);
        }

        @Override
        public void commit() {
            log.commit();
        }

        @Override
        public List<Split> splits() {
            return log.splits();
        }

        @Override
        public boolean isFinished() {
            return false;
        }

        @Override
        public OptionalLong lag() {
            return log.lag();
        }

        @Override
        public void close() {
            log.close();
        }
    }
}

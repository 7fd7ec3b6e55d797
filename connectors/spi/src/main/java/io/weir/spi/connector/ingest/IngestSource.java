package io.weir.spi.connector.ingest;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.wal.LogOffsetReading;
import io.weir.spi.wal.LogSourceReader;
import io.weir.spi.wal.WalSettings;
import io.weir.spi.wal.WriteAheadLog;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The records posted to one {@code http} stream, for one query: from the stream's write-ahead log, by
 * offset (persistent queries resume), or with {@code 'wal' = 'false'} from its in-memory channel.
 */
final class IngestSource implements Source {
    private final ConnectorContext context;
    private final IngestSettings settings;

    IngestSource(ConnectorContext context, IngestSettings settings) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public boolean isBounded() {
        return false;
    }

    @Override
    public boolean resumes() {
        return settings.wal().isPresent();
    }

    @Override
    public Optional<OffsetReading> offsetReading() {
        return settings.wal().map(wal -> {
            WriteAheadLog log = log(wal);
            return new LogOffsetReading(log, context.objectName(), () -> newReaderStart(log),
                    start -> logReader(log, start, Optional.empty()));
        });
    }

    @Override
    public SourceReader createReader() {
        if (settings.wal().isEmpty()) {
            return new IngestSourceReader(context, context.services().ingestChannels().channel(context.objectName(), settings.bufferMaxRecords()),
                    settings.startupMode());
        }
        WriteAheadLog log = log(settings.wal().get());
        long start = context.consumerId()
                .map(consumer -> LogOffsetReading.startOffset(log, consumer, newReaderStart(log)))
                .orElseGet(() -> newReaderStart(log));
        return logReader(log, start, context.consumerId());
    }

    private WriteAheadLog log(WalSettings wal) {
        return IngestLogs.open(context.services().writeAheadLogs(), context.dataDirectory(), context.objectName(), wal,
                context.clock());
    }

    private long newReaderStart(WriteAheadLog log) {
        return settings.startupMode() == StartupMode.EARLIEST ? log.firstOffset() : log.endOffset();
    }

    private OffsetReader logReader(WriteAheadLog log, long start, Optional<String> ownConsumer) {
        RecordDecoder decoder = context.createDecoder();
        String source = "POST /ingest/" + context.objectName() + " log offset ";
        return new LogSourceReader(log, context.objectName(), start,
                (offset, payload, out) -> context.errorHandler().decodeInto(decoder, payload, out, 0, () -> source + offset),
                context.errorHandler(), ownConsumer, () -> { });
    }
}

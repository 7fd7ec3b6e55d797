package io.weir.connector.flume;

import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.format.RecordDecodeException;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.type.ConversionException;
import io.weir.spi.wal.LogRecordDecoder;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Turns logged Flume events into rows: the body decoded with the stream's format, then the metadata
 * columns from the headers. A body that does not decode, a header that does not fit its column and an
 * oversized body go to {@code 'on-error'}. One per reader; not thread-safe.
 */
final class FlumeLogDecoder implements LogRecordDecoder {
    private static final int SPLIT = 0;

    private final String logName;
    private final RecordDecoder decoder;
    private final RecordErrorHandler errors;
    private final List<FlumeMetadata.Filler> metadata;
    private final int metadataStart;
    private final int maxEventBytes;

    FlumeLogDecoder(String logName, RecordDecoder decoder, RecordErrorHandler errors, List<FlumeMetadata.Filler> metadata,
                    int metadataStart, int maxEventBytes) {
        this.logName = requireNonNull(logName, "logName is null");
        this.decoder = requireNonNull(decoder, "decoder is null");
        this.errors = requireNonNull(errors, "errors is null");
        this.metadata = List.copyOf(metadata);
        this.metadataStart = metadataStart;
        this.maxEventBytes = maxEventBytes;
    }

    @Override
    public boolean decode(long offset, byte[] payload, BatchBuilder out) {
        LoggedEvent event = LoggedEvent.decode(payload, logName + " offset " + offset);
        errors.bytesRead(event.bodyBytes());
        if (event.oversized()) {
            errors.handle(source(offset), event.body(), "the event body has " + event.bodyBytes()
                    + " bytes, more than 'max-event-bytes' (" + maxEventBytes + "); its first " + event.body().length
                    + " bytes are kept");
            return false;
        }
        try {
            if (!decoder.decode(event.body(), 0, event.body().length, out)) {
                return false;
            }
            for (int i = 0; i < metadata.size(); i++) {
                FlumeMetadata.Filler filler = metadata.get(i);
                try {
                    out.set(metadataStart + i, filler.value(event.headers()));
                } catch (ConversionException e) {
                    throw new RecordDecodeException("metadata column '" + filler.column().name() + "': " + e.getMessage(), e);
                }
            }
            out.setSplit(SPLIT);
            out.commitRow();
            return true;
        } catch (RecordDecodeException e) {
            out.abortRow();
            errors.handle(source(offset), event.body(), e.reason());
            return false;
        }
    }

    private static String source(long offset) {
        return "flume event at log offset " + offset;
    }
}

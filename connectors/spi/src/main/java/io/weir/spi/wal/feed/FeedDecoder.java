package io.weir.spi.wal.feed;

import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.format.RecordDecodeException;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.type.DataType;
import io.weir.spi.wal.LogRecordDecoder;
import io.weir.spi.wal.WalReader;
import io.weir.spi.wal.WriteAheadLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Turns the {@link FeedEvent}s of a feed's log into rows, as a reader of the sockets did: a decoder
 * per connection (so a CSV header applies to its connection only), oversized records to
 * {@code 'on-error'}. A reader that starts in the middle of a connection first replays the
 * connection's first record into a fresh decoder and throws the result away, so that the decoder has
 * the state (the CSV header) it would have had. One per reader; not thread-safe.
 */
final class FeedDecoder implements LogRecordDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(FeedDecoder.class);
    private static final int SPLIT = 0;
    private static final int REPLAY_BATCH = 256;

    private final WriteAheadLog log;
    private final Supplier<RecordDecoder> decoders;
    private final RecordErrorHandler errors;
    private final List<DataType.Field> rowType;
    /** By connection (the offset of its OPENED event). */
    private final Map<Long, RecordDecoder> open = new HashMap<>();

    FeedDecoder(WriteAheadLog log, Supplier<RecordDecoder> decoders, RecordErrorHandler errors, List<DataType.Field> rowType) {
        this.log = requireNonNull(log, "log is null");
        this.decoders = requireNonNull(decoders, "decoders is null");
        this.errors = requireNonNull(errors, "errors is null");
        this.rowType = requireNonNull(rowType, "rowType is null");
    }

    @Override
    public boolean decode(long offset, byte[] payload, BatchBuilder out) {
        FeedEvent event = FeedEvent.decode(payload, log.directory() + " offset " + offset);
        switch (event.kind()) {
            case OPENED -> {
                open.put(offset, decoders.get());
                return false;
            }
            case CLOSED -> {
                open.remove(event.connection());
                return false;
            }
            case OVERSIZED -> {
                errors.handle(event.source(), event.text(), event.problem());
                return false;
            }
            case RECORD -> {
                return errors.decodeInto(decoder(event.connection(), offset), event.text(), out, SPLIT, event::source);
            }
            default -> throw new IllegalStateException("unknown event " + event.kind());
        }
    }

    private RecordDecoder decoder(long connection, long offset) {
        RecordDecoder decoder = open.get(connection);
        if (decoder == null) {
            decoder = decoders.get();
            replayFirstRecord(connection, offset, decoder);
            open.put(connection, decoder);
        }
        return decoder;
    }

    /** Feeds {@code decoder} the first record of {@code connection} if it comes before {@code offset}. */
    private void replayFirstRecord(long connection, long offset, RecordDecoder decoder) {
        if (connection < log.firstOffset()) {
            LOG.warn("{}: the start of the connection whose records continue at offset {} was deleted by 'wal.retention'; "
                    + "a CSV header it began with is not applied", log.directory(), offset);
            return;
        }
        String[] first = {null};
        try (WalReader reader = log.reader(connection + 1)) {
            while (first[0] == null && reader.position() < offset) {
                int wanted = (int) Math.min(REPLAY_BATCH, offset - reader.position());
                int read = reader.read(wanted, (at, payload) -> {
                    FeedEvent event = FeedEvent.decode(payload, log.directory() + " offset " + at);
                    if (first[0] == null && event.kind() == FeedEvent.Kind.RECORD && event.connection() == connection) {
                        first[0] = event.text();
                    }
                });
                if (read == 0) {
                    break;
                }
            }
        }
        if (first[0] == null) {
            return; // the record at offset is the connection's first
        }
        BatchBuilder scratch = new BatchBuilder(rowType, 1);
        try {
            decoder.decode(first[0], scratch);
        } catch (RecordDecodeException e) {
            // Handled when it was read first; here only the decoder's state matters.
        }
        scratch.abortRow();
    }
}

package io.weir.spi.connector.ingest;

import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.format.RecordDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Reads an {@link IngestChannel} from its own offset (the channel's end for {@code 'latest'}, its oldest
 * record for {@code 'earliest'}), decoding each record with the stream's format on the polling
 * thread; one split (id 0). Records the channel dropped before this reader got to them are skipped
 * with a warning naming how many.
 */
final class IngestSourceReader implements SourceReader {
    private static final Logger LOG = LoggerFactory.getLogger(IngestSourceReader.class);
    private static final int SPLIT = 0;

    private final ConnectorContext context;
    private final IngestChannel channel;
    private final RecordDecoder decoder;
    private final RecordErrorHandler errors;
    private final Split split;
    private long offset;
    private boolean closed;

    IngestSourceReader(ConnectorContext context, IngestChannel channel, StartupMode startupMode) {
        this.context = requireNonNull(context, "context is null");
        this.channel = requireNonNull(channel, "channel is null");
        this.decoder = context.createDecoder();
        this.errors = context.errorHandler();
        this.split = new Split(SPLIT, "POST /ingest/" + context.objectName(), false);
        this.offset = startupMode == StartupMode.EARLIEST ? channel.firstOffset() : channel.endOffset();
    }

    @Override
    public int poll(BatchBuilder out, int maxRows) {
        if (closed) {
            throw new IllegalStateException("reader is closed");
        }
        IngestChannel.Slice slice = channel.read(offset, maxRows);
        if (slice.missed() > 0) {
            LOG.warn("{}: {} posted records were dropped before this query read them (the buffer holds {} records,"
                    + " 'buffer.max-records'); raise it or make the query keep up", context.describe(), slice.missed(),
                    channel.capacity());
        }
        long recordOffset = slice.nextOffset() - slice.records().size();
        offset = slice.nextOffset();
        int added = 0;
        long[] arrivals = slice.arrivalNanos();
        try {
            // records appended by one request share their arrival: state it once per run of them
            int run = 0;
            for (int i = 0; i < arrivals.length; i++) {
                if (decode(slice.records().get(i), recordOffset++, out)) {
                    added++;
                    run++;
                }
                if (run > 0 && (i + 1 == arrivals.length || arrivals[i + 1] != arrivals[i])) {
                    out.arrived(arrivals[i], run);
                    run = 0;
                }
            }
        } finally {
            errors.recordsRead(added);
        }
        return added;
    }

    private boolean decode(byte[] record, long recordOffset, BatchBuilder out) {
        return errors.decodeInto(decoder, record, out, SPLIT, () -> split.name() + " record " + recordOffset);
    }

    @Override
    public List<Split> splits() {
        return List.of(split);
    }

    @Override
    public boolean isFinished() {
        return false;
    }

    @Override
    public void close() {
        closed = true;
    }
}

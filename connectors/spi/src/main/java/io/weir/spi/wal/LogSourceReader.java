package io.weir.spi.wal;

import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.connector.Split;
import io.weir.spi.error.RecordErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * Reads a stream's {@link WriteAheadLog} as one split named after the stream, the offset of a row
 * being its record's log offset. As an {@link OffsetReader} it commits for whichever consumer the
 * engine says; as a plain reader of a persistent query ({@code ownConsumer}) it commits its own
 * position at {@link #commit()}.
 */
public final class LogSourceReader implements OffsetReader {
    private static final Logger LOG = LoggerFactory.getLogger(LogSourceReader.class);
    static final int SPLIT = 0;

    private final WriteAheadLog log;
    private final Split split;
    private final WalReader reader;
    private final LogRecordDecoder decoder;
    private final RecordErrorHandler errors;
    private final Optional<String> ownConsumer;
    private final Runnable onClose;
    private boolean closed;
    /** The append the records being read belong to, and the rows decoded from it not yet stated to the batch. */
    private AppendTimes.Append append = AppendTimes.UNKNOWN;
    private int appendRows;

    /**
     * @param splitName   the stream's name
     * @param start       the offset of the first record to read
     * @param ownConsumer the consumer whose position {@link #commit()} records, if any
     * @param onClose     run once at {@link #close()} (releasing what feeds the log)
     */
    public LogSourceReader(WriteAheadLog log, String splitName, long start, LogRecordDecoder decoder,
                           RecordErrorHandler errors, Optional<String> ownConsumer, Runnable onClose) {
        this.log = requireNonNull(log, "log is null");
        this.split = new Split(SPLIT, requireNonNull(splitName, "splitName is null"), false);
        this.reader = log.reader(start);
        this.decoder = requireNonNull(decoder, "decoder is null");
        this.errors = requireNonNull(errors, "errors is null");
        this.ownConsumer = requireNonNull(ownConsumer, "ownConsumer is null");
        this.onClose = requireNonNull(onClose, "onClose is null");
    }

    @Override
    public int poll(BatchBuilder out, int maxRows) {
        if (closed) {
            throw new IllegalStateException("reader is closed");
        }
        int[] added = {0};
        try {
            reader.read(maxRows, (offset, payload) -> {
                out.setOffset(offset);
                if (offset >= append.end()) {
                    stateArrival(out);
                    append = log.appendOf(offset);
                }
                if (decoder.decode(offset, payload, out)) {
                    added[0]++;
                    appendRows++;
                }
            });
        } finally {
            stateArrival(out);
            errors.recordsRead(added[0]);
        }
        long missed = reader.takeMissed();
        if (missed > 0) {
            LOG.warn("{}: {} logged records were deleted before this query read them ('wal.retention', or the query was "
                    + "stopped longer than that); it continues at offset {}", log.owner(), missed, reader.position());
        }
        return added[0];
    }

    /** Tells {@code out} when the rows decoded from the current append arrived (records of one append share it). */
    private void stateArrival(BatchBuilder out) {
        if (appendRows > 0 && append.nanos() != io.weir.spi.batch.Batch.ARRIVAL_UNKNOWN) {
            out.arrived(append.nanos(), appendRows);
        }
        appendRows = 0;
    }

    @Override
    public SplitOffsets offsets() {
        return SplitOffsets.of(Map.of(split.name(), reader.position()));
    }

    @Override
    public void commit(String consumerId, SplitOffsets offsets) {
        offsets.get(split.name()).ifPresent(offset -> log.commit(consumerId, offset));
    }

    @Override
    public void commit() {
        ownConsumer.ifPresent(consumer -> log.commit(consumer, reader.position()));
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
    public OptionalLong lag() {
        return OptionalLong.of(reader.lag());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            reader.close();
        } finally {
            onClose.run();
        }
    }
}

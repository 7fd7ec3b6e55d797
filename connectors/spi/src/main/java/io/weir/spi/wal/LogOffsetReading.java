package io.weir.spi.wal;

import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.SplitOffsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * {@link OffsetReading} over a stream's {@link WriteAheadLog}: one split named after the stream, the
 * offset being the log offset. A consumer resumes at the offset it committed; a consumer the log does
 * not know (new, or not seen within {@code 'wal.retention'}) starts where {@code newConsumerStart}
 * says, and is registered there at once so that retention keeps its records from then on.
 */
public final class LogOffsetReading implements OffsetReading {
    private static final Logger LOG = LoggerFactory.getLogger(LogOffsetReading.class);

    private final WriteAheadLog log;
    private final String splitName;
    private final LongSupplier newConsumerStart;
    private final LongFunction<OffsetReader> readers;

    /**
     * @param newConsumerStart where a consumer the log does not know starts (the end, or the oldest record)
     * @param readers          a reader from an offset
     */
    public LogOffsetReading(WriteAheadLog log, String splitName, LongSupplier newConsumerStart,
                            LongFunction<OffsetReader> readers) {
        this.log = requireNonNull(log, "log is null");
        this.splitName = requireNonNull(splitName, "splitName is null");
        this.newConsumerStart = requireNonNull(newConsumerStart, "newConsumerStart is null");
        this.readers = requireNonNull(readers, "readers is null");
    }

    @Override
    public SplitOffsets startOffsets(String consumerId) {
        return SplitOffsets.of(Map.of(splitName, startOffset(log, consumerId, newConsumerStart.getAsLong())));
    }

    /** Where {@code consumerId} resumes in {@code log}, registering it at {@code newConsumerStart} when unknown. */
    public static long startOffset(WriteAheadLog log, String consumerId, long newConsumerStart) {
        OptionalLong committed = log.committed(consumerId);
        if (committed.isEmpty()) {
            log.commit(consumerId, newConsumerStart);
            return newConsumerStart;
        }
        long end = log.endOffset();
        if (committed.getAsLong() > end) {
            // Only when the log's files were replaced behind the server's back; reading from there would skip new records.
            LOG.warn("{}: consumer '{}' committed offset {} but the log ends at {}; it resumes at the end", log.owner(),
                    consumerId, committed.getAsLong(), end);
            return end;
        }
        return committed.getAsLong();
    }

    @Override
    public void forget(String consumerId) {
        log.forget(consumerId);
    }

    @Override
    public OffsetReader createReader(SplitOffsets start) {
        return readers.apply(start.get(splitName).orElseGet(newConsumerStart));
    }
}

package io.weir.spi.connector;

/**
 * A {@link SourceReader} from {@link OffsetReading#createReader(SplitOffsets)}: it reads exactly the
 * splits it was given, from the given offsets, stamps every row with its offset
 * ({@link io.weir.spi.batch.BatchBuilder#setOffset(long)}), and commits for any consumer it is told
 * to, never on its own ({@link #commit()} does nothing). Not thread-safe, like every reader.
 */
public interface OffsetReader extends SourceReader {
    /**
     * Per split, the offset after every record returned or passed over (tombstones, bad records) so
     * far; the start offsets before the first poll. Does no I/O.
     */
    SplitOffsets offsets();

    /**
     * Records that {@code consumerId} has processed every record before {@code offsets}, so that
     * {@link OffsetReading#startOffsets(String)} returns them after a restart. Asynchronous (done
     * before the reader closes at the latest); a failed commit is retried with the next one. Splits
     * not listed keep what they had.
     */
    void commit(String consumerId, SplitOffsets offsets);
}

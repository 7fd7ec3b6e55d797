package io.weir.spi.connector;

import io.weir.spi.batch.BatchBuilder;

import java.util.List;
import java.util.OptionalLong;

/**
 * Reads rows from a {@link Source}. Used by one thread at a time (the engine's poll loop); not
 * thread-safe.
 *
 * <p><b>Polling.</b> {@link #poll(BatchBuilder, int)} never blocks waiting for data: it adds the rows
 * available now (at most {@code maxRows}) and returns. It may do a bounded amount of I/O (read part of
 * a file, list a watched directory when its interval has passed). An unbounded source with nothing new
 * returns 0; the engine polls again at its next batch interval, so there is no busy-waiting.
 *
 * <p><b>Splits.</b> Each committed row is stamped with the id of the split it came from
 * ({@link BatchBuilder#setSplit(int)} before committing, read back with
 * {@link io.weir.spi.batch.Batch#splitId(int)}), so the engine can keep the maximum event time and
 * the last-activity time per split. {@link #splits()} lists the splits seen so far; the list may grow
 * (new files in a watched directory) and a split can become finished.
 *
 * <p><b>Errors.</b> Records that cannot be decoded go to the context's
 * {@link io.weir.spi.error.RecordErrorHandler} (which throws under {@code 'on-error' = 'fail'}).
 * I/O failures raise {@link io.weir.spi.WeirException} with {@link io.weir.spi.ErrorCode#SOURCE_ERROR}.
 */
public interface SourceReader extends AutoCloseable {
    /**
     * Appends up to {@code maxRows} rows to {@code out}, committing each one, and returns how many were
     * added. Non-blocking (see the class comment). Returns 0 once {@link #isFinished()}.
     */
    int poll(BatchBuilder out, int maxRows);

    /** The splits seen so far, ordered by id. */
    List<Split> splits();

    /**
     * False while the reader does not know its splits yet (a Kafka reader before its partitions are
     * assigned): the engine then holds the source's watermark back instead of taking a reader without
     * splits as idle, so that rows it reads later are not late against the other inputs of the query.
     */
    default boolean splitsKnown() {
        return true;
    }

    /**
     * Whether the reader will never produce another row: always false for unbounded sources; for bounded
     * ones true after the last row was returned. The engine then moves the source's watermark to +infinity.
     */
    boolean isFinished();

    /**
     * Every row {@link #poll} returned so far has been fully processed: for a persistent query, its
     * results are flushed to the sink. A reader whose context has a
     * {@link ConnectorContext#consumerId()} records its position here (Kafka commits the offsets of
     * its consumer group), so a restarted query resumes after these rows; others do nothing. Called
     * by the engine at the end of each micro-batch, on the polling thread.
     */
    default void commit() {
    }

    /**
     * How many records the source holds that this reader has not returned yet (Kafka: the end offsets
     * minus the reader's position, summed over its partitions), when the connector knows; shown as
     * a query's lag. May be a little stale; callable from any thread.
     */
    default OptionalLong lag() {
        return OptionalLong.empty();
    }

    /**
     * From the next record on, fill at least the columns {@code projection} reads (more than the
     * context's projection): a reader shared by several queries widens so when a query that reads more
     * columns joins it. Returns false when the reader cannot (the default): the query then reads on a
     * reader of its own.
     */
    default boolean widenProjection(io.weir.spi.type.Projection projection) {
        return false;
    }

    /** Releases files, sockets and threads. Idempotent. */
    @Override
    void close();
}

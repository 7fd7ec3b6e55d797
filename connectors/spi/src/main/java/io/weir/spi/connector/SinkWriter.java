package io.weir.spi.connector;

import io.weir.spi.batch.Batch;

/**
 * Writes a persistent query's result rows to an external system. Used by one thread at a time (the
 * query's); not thread-safe.
 *
 * <p><b>Delivery.</b> The engine calls {@link #write} with each result batch of a micro-batch, then
 * {@link #flush()} once at the end of the micro-batch, and only after {@code flush} returns does it
 * let the sources commit their positions ({@link SourceReader#commit()}). A writer that may lose
 * rows it accepted must therefore not return from {@code flush} before they are delivered: that is
 * what makes delivery at-least-once across failures and restarts.
 *
 * <p><b>Errors.</b> A write or flush that cannot succeed (after the connector's own retries) throws
 * {@link io.weir.spi.WeirException} with {@link io.weir.spi.ErrorCode#SINK_ERROR}; the query is then
 * marked FAILED and its sources do not commit, so the rows are read again when it is restarted.
 */
public interface SinkWriter extends AutoCloseable {
    /**
     * Accepts the rows of {@code batch}; its columns are the sink stream's physical columns, in
     * declared order. May buffer; may block while an internal bounded queue is full.
     */
    void write(Batch batch);

    /** Returns once every row accepted so far is delivered (or durably handed over). */
    void flush();

    /** Releases connections, files and threads; rows not flushed may be lost. Idempotent. */
    @Override
    void close();
}

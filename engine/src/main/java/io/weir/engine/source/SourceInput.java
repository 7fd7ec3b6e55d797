package io.weir.engine.source;

import io.weir.spi.batch.Batch;
import io.weir.spi.connector.Split;

import java.util.List;
import java.util.OptionalLong;

/**
 * Where a query's source operator takes its rows from: a reader of its own ({@link OwnedInput}) or its
 * place in a reader shared with other queries of the same stream ({@link SharedSources}). Used by one
 * query's thread; never blocks.
 */
public interface SourceInput extends AutoCloseable {
    /** The next batch available now (at most about {@code maxRows} rows), or null when there is none. */
    Batch next(int maxRows);

    /** The splits seen so far, ordered by id. */
    List<Split> splits();

    /** Records at the source not yet returned to this query, when the connector knows. */
    OptionalLong lag();

    /** No row will follow. */
    boolean isFinished();

    /** Every row returned so far is fully processed (see {@link io.weir.spi.connector.SourceReader#commit()}). */
    void commit();

    @Override
    void close();
}

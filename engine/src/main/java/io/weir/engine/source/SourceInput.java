package io.weir.engine.source;

import io.weir.spi.batch.Batch;
import io.weir.spi.connector.Split;
import io.weir.spi.connector.SplitOffsets;

import java.util.List;
import java.util.Optional;
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

    /**
     * False while the input cannot list its splits yet (see {@link io.weir.spi.connector.SourceReader#splitsKnown()}):
     * an input without splits then holds the watermark back rather than being idle.
     */
    default boolean splitsKnown() {
        return true;
    }

    /**
     * Every split known so far, by id, for naming the split of a row: unlike {@link #splits()}, which
     * gives the splits as the query has read them, this may list splits the query has no row of yet.
     */
    default List<Split> knownSplits() {
        return splits();
    }

    /** Records at the source not yet returned to this query, when the connector knows. */
    OptionalLong lag();

    /** No row will follow. */
    boolean isFinished();

    /** Every row returned so far is fully processed (see {@link io.weir.spi.connector.SourceReader#commit()}). */
    void commit();

    /**
     * Records {@code position} as how far the query got (rows returned after it were held back and are
     * not processed yet); inputs that do not read by offsets just {@link #commit()}.
     */
    default void commitAt(SplitOffsets position) {
        commit();
    }

    /**
     * Per split, the offset after the rows returned so far, for an input that reads by offsets (and so
     * can start there again: {@link #startAt}); empty for one that cannot be replayed.
     */
    default Optional<SplitOffsets> position() {
        return Optional.empty();
    }

    /**
     * Before the first {@link #next}: start each split listed at its offset (a restored checkpoint's
     * position) instead of where the input would start; splits not listed start as usual.
     *
     * @return false when the input cannot start at given offsets (it then starts as usual)
     */
    default boolean startAt(SplitOffsets offsets) {
        return false;
    }

    @Override
    void close();
}

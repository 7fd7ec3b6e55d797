package io.weir.spi.connector;

/**
 * Reading a source by split offsets, for several persistent queries with one reader: each query is a
 * consumer that resumes from offsets of its own, and the engine filters the shared rows by their
 * offsets. A source offers it through {@link Source#offsetReading()} (Kafka does, as one consumer
 * group per persistent query).
 */
public interface OffsetReading {
    /**
     * Where {@code consumerId} resumes, for every split of the source: the offset it last committed,
     * else where the source's startup option says (for Kafka: the beginning, the end or a timestamp's
     * offset). Blocks on I/O; raises {@link io.weir.spi.WeirException} with
     * {@link io.weir.spi.ErrorCode#SOURCE_ERROR} when the source cannot be reached.
     */
    SplitOffsets startOffsets(String consumerId);

    /**
     * The names of the source's splits now, in {@link #startOffsets} order, without looking up where
     * {@code consumerId} resumes: for dividing the splits between a query's tasks before the query's
     * sink has recovered (for Kafka, committed offsets cannot be read while a transaction that commits
     * them, left open by a crashed run, is pending). Blocks on I/O like {@link #startOffsets}.
     */
    default java.util.List<String> splits(String consumerId) {
        return java.util.List.copyOf(startOffsets(consumerId).offsets().keySet());
    }

    /** A reader of the splits in {@code start}, each from its offset there. Cheap; I/O starts at the first poll. */
    OffsetReader createReader(SplitOffsets start);

    /** Whether {@link #createSplitReader} gives readers, so the source's splits can be divided between tasks. */
    default boolean dividesSplits() {
        return false;
    }

    /**
     * A reader of exactly the splits in {@code splits}, each from its offset there, that never takes on
     * a split found later (a new file, a new partition): for dividing a stream's splits between the
     * tasks of one query. Empty when the source cannot be divided so; it is then read by one task.
     */
    default java.util.Optional<OffsetReader> createSplitReader(SplitOffsets splits) {
        return java.util.Optional.empty();
    }

    /**
     * Forgets what {@code consumerId} committed, once the persistent query it belongs to is stopped for
     * good, so that a query started later under the same id (a materialized view created again) starts
     * where a new consumer starts, not where the old one stopped. Blocks on I/O; raises
     * {@link io.weir.spi.WeirException} with {@link io.weir.spi.ErrorCode#SOURCE_ERROR} when it cannot.
     * Sources that keep no positions of their own do nothing (the default).
     */
    default void forget(String consumerId) {
    }
}

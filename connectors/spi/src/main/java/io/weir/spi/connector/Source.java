package io.weir.spi.connector;

import java.util.Optional;

/**
 * A configured source for one stream or table. Created by {@link ConnectorFactory#createSource}
 * once per query (or per table scan); each {@link #createReader()} starts reading from the beginning
 * (for sources that have one) independently of other readers.
 */
public interface Source {
    /** Whether readers finish ({@link SourceReader#isFinished()}) after a finite input. */
    boolean isBounded();

    SourceReader createReader();

    /**
     * Whether a reader starts at the live end of the data (Kafka's {@code latest-offset}, a socket, a
     * ZeroMQ subscription): then a query may join a reader other queries of the stream already share,
     * at any time, and miss nothing it would have read on its own. Otherwise queries share a reader
     * only if they start before it returned its first row.
     */
    default boolean startsAtLiveEnd() {
        return false;
    }

    /**
     * Whether a reader whose context has a {@link ConnectorContext#consumerId()} resumes from the
     * position it committed (Kafka). Persistent queries over a source that does not resume share its
     * readers as push queries do.
     */
    default boolean resumes() {
        return false;
    }

    /**
     * For a source that {@linkplain #resumes() resumes}: reading by split offsets, so that the
     * persistent queries of a stream share one reader; empty when each needs a reader of its own
     * (Kafka with a user-named {@code 'group.id'}).
     */
    default Optional<OffsetReading> offsetReading() {
        return Optional.empty();
    }

    /**
     * Reading by split offsets for a query that divides the stream's splits between its tasks (see
     * {@link OffsetReading#createSplitReader}), for a query without a consumer id (a push query); empty
     * when the stream is read whole by one task. {@link OffsetReading#startOffsets} then tells where a
     * reader of its own would start, whatever consumer id it is given.
     */
    default Optional<OffsetReading> splitReading() {
        return Optional.empty();
    }
}

package io.weir.server.meta;

import org.apache.calcite.avatica.Meta;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The open result of a statement, fetched frame by frame; bounded ({@link OpenResult}) or continuous. */
public interface ResultCursor extends AutoCloseable {
    /**
     * The frame of rows starting at {@code offset}; idempotent by offset, so a retried fetch gets
     * the same frame. A bounded result computes it on the calling thread and answers completed; a
     * continuous one answers when rows come or {@code maxWait} has passed, with no thread waiting
     * meanwhile. Fails with the {@link io.weir.spi.WeirException} the client is to see.
     *
     * @param maxRowCount at most this many rows (the client's fetch size); 0 or less for a default
     * @param maxWait how long a continuous result may wait for its first row before answering with none
     */
    CompletableFuture<Meta.Frame> fetch(long offset, int maxRowCount, Duration maxWait);

    /** The id of the continuous query whose rows these are (as SHOW QUERIES lists it); empty for a bounded result. */
    default Optional<String> queryId() {
        return Optional.empty();
    }

    /** Frees what the result holds; idempotent and callable while a fetch is waiting. */
    @Override
    void close();
}

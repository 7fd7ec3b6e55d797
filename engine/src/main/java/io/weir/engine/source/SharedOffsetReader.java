package io.weir.engine.source;

import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.Split;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.type.DataType;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * A reader by offsets that the persistent queries of one stream share (see {@link ResumingInput}).
 * Each batch it reads is kept, with the reader's offsets after it, until every query took it; a query
 * joins at the newest batch. The slowest query bounds how far ahead the others read
 * ({@value SharedSources#MAX_PENDING_BATCHES} batches). Thread-safe: the reader is only used under
 * this object's lock.
 */
final class SharedOffsetReader {
    /** A batch and the reader's offsets right after it. */
    record Taken(Batch batch, SplitOffsets end) {
        Taken {
            requireNonNull(batch, "batch is null");
            requireNonNull(end, "end is null");
        }
    }

    private final OffsetReader reader;
    private final BatchBuilder builder;
    private final int chunkRows;
    private final Consumer<SharedOffsetReader> onClose;
    private final List<Taken> pending = new ArrayList<>();
    /** Sequence number of {@code pending.get(0)}. */
    private long base;
    private final Map<ResumingInput, Long> cursors = new IdentityHashMap<>();
    private boolean closed;
    private RuntimeException failure;

    /** @param onClose called, outside the lock, once the last query left and the reader is closed */
    SharedOffsetReader(OffsetReader reader, List<DataType.Field> rowType, int chunkRows, Consumer<SharedOffsetReader> onClose) {
        this.reader = requireNonNull(reader, "reader is null");
        this.builder = new BatchBuilder(rowType, chunkRows);
        this.chunkRows = chunkRows;
        this.onClose = requireNonNull(onClose, "onClose is null");
    }

    /** Adds a query at the newest batch and returns the reader's offsets there; null when the reader is closed or failed. */
    synchronized SplitOffsets join(ResumingInput input) {
        if (closed || failure != null) {
            return null;
        }
        cursors.put(input, base + pending.size());
        return reader.offsets();
    }

    /** The query's next batch: one another query already read, or a new one of at most {@code maxRows} rows; null when none now. */
    synchronized Taken next(ResumingInput input, int maxRows) {
        if (failure != null) {
            throw failure;
        }
        long cursor = cursors.get(input);
        if (cursor < base + pending.size()) {
            Taken taken = pending.get((int) (cursor - base));
            cursors.put(input, cursor + 1);
            trim();
            return taken;
        }
        if (pending.size() >= SharedSources.MAX_PENDING_BATCHES) {
            return null; // the slowest query holds the others back
        }
        int added;
        try {
            added = reader.poll(builder, Math.max(1, Math.min(maxRows, chunkRows)));
        } catch (RuntimeException e) {
            failure = e; // every query sharing the reader fails with it
            throw e;
        }
        if (added == 0) {
            builder.reset();
            return null;
        }
        Taken taken = new Taken(builder.build(), reader.offsets());
        pending.add(taken);
        cursors.put(input, cursor + 1);
        trim();
        return taken;
    }

    /**
     * How far the query got in the reader: the reader's offsets when it took every batch read so far
     * (records passed over after the last batch count too), else {@code lastTaken}, the end of the
     * last batch it took.
     */
    synchronized SplitOffsets position(ResumingInput input, SplitOffsets lastTaken) {
        Long cursor = cursors.get(input);
        return cursor != null && cursor == base + pending.size() ? reader.offsets() : lastTaken;
    }

    /** Records the consumer's offsets through the reader (see {@link OffsetReader#commit(String, SplitOffsets)}). */
    synchronized void commit(String consumerId, SplitOffsets offsets) {
        if (!closed) {
            reader.commit(consumerId, offsets);
        }
    }

    synchronized List<Split> splits() {
        return List.copyOf(reader.splits());
    }

    /** The reader's lag plus the rows it read that the query has not taken yet. */
    synchronized OptionalLong lag(ResumingInput input) {
        OptionalLong behind = reader.lag();
        Long cursor = cursors.get(input);
        if (behind.isEmpty() || cursor == null) {
            return behind;
        }
        long rows = 0;
        for (int i = (int) (cursor - base); i < pending.size(); i++) {
            rows += pending.get(i).batch().rowCount();
        }
        return OptionalLong.of(behind.getAsLong() + rows);
    }

    synchronized boolean isFinished(ResumingInput input) {
        Long cursor = cursors.get(input);
        return reader.isFinished() && cursor != null && cursor >= base + pending.size();
    }

    synchronized int queries() {
        return cursors.size();
    }

    private void trim() {
        long smallest = Long.MAX_VALUE;
        for (long cursor : cursors.values()) {
            smallest = Math.min(smallest, cursor);
        }
        while (!pending.isEmpty() && base < smallest) {
            pending.remove(0);
            base++;
        }
    }

    /** Removes the query; the last one closes the reader (which commits what it was asked to first). */
    void leave(ResumingInput input) {
        synchronized (this) {
            if (cursors.remove(input) == null) {
                return;
            }
            trim();
            if (!cursors.isEmpty()) {
                return;
            }
            closed = true;
            pending.clear();
        }
        try {
            reader.close();
        } finally {
            onClose.accept(this);
        }
    }
}

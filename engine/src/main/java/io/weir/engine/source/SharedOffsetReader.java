package io.weir.engine.source;

import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.Split;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;
import io.weir.spi.type.Projection;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * A reader by offsets that the persistent queries of one stream share (see {@link ResumingInput}).
 * It starts reading a moment ({@link #GATHER} by default) after it was created: queries that join before (those restored
 * together after a server restart, or started together) lower its start offsets to the smallest of
 * theirs, so that none of them has to catch up on a reader of its own. Each batch it reads is kept,
 * with the reader's offsets after it, until every query took it; a query joining later joins at the
 * newest batch. The slowest query bounds how far ahead the others read
 * ({@value SharedSources#MAX_PENDING_BATCHES} batches). Thread-safe: the reader is only used under
 * this object's lock.
 */
final class SharedOffsetReader {
    /** A batch and the reader's offsets and splits right after it. */
    record Taken(Batch batch, SplitOffsets end, List<Split> splits) {
        Taken {
            requireNonNull(batch, "batch is null");
            requireNonNull(end, "end is null");
            splits = List.copyOf(splits);
        }
    }

    /** How long queries may join before the reader starts, by default. */
    static final Duration GATHER = Duration.ofSeconds(1);

    private final Function<Projection, OffsetReading> readings;
    private final List<DataType.Field> rowType;
    /** The columns the reader decodes: the union of those its queries read. */
    private Projection projection;
    private final LongSupplier nanoClock;
    private final long gatherEndNanos;
    /** Where the reader starts; lowered by queries joining before it started. */
    private SplitOffsets start;
    /** Null until the gathering is over. */
    private OffsetReader reader;
    private BatchBuilder builder;
    private final int chunkRows;
    private final Consumer<SharedOffsetReader> onClose;
    private final PendingBatches<Taken> pending = new PendingBatches<>();
    private boolean closed;
    private RuntimeException failure;

    /**
     * @param start where the first query resumes
     * @param gather how long queries may join before the reader starts
     * @param nanoClock {@link System#nanoTime()}, or a test's clock
     * @param onClose called, outside the lock, once the last query left and the reader is closed
     */
    SharedOffsetReader(Function<Projection, OffsetReading> readings, Projection projection, SplitOffsets start, Duration gather,
                       LongSupplier nanoClock, List<DataType.Field> rowType, int chunkRows, Consumer<SharedOffsetReader> onClose) {
        this.readings = requireNonNull(readings, "readings is null");
        this.projection = requireNonNull(projection, "projection is null");
        this.rowType = List.copyOf(requireNonNull(rowType, "rowType is null"));
        this.start = requireNonNull(start, "start is null");
        this.nanoClock = requireNonNull(nanoClock, "nanoClock is null");
        this.gatherEndNanos = nanoClock.getAsLong() + gather.toNanos();
        this.builder = new BatchBuilder(rowType, chunkRows, projection);
        this.chunkRows = chunkRows;
        this.onClose = requireNonNull(onClose, "onClose is null");
    }

    /**
     * Adds a query that resumes at {@code resume} and returns where it joins: before the reader
     * started, at {@code resume} itself (the reader then starts there or before); after, at the newest
     * batch, the reader's offsets there. Null when the reader is closed or failed.
     */
    synchronized SplitOffsets join(ResumingInput input, SplitOffsets resume, Projection columns) {
        if (closed || failure != null) {
            return null;
        }
        if (!projection.covers(columns, rowType.size()) && !widen(columns)) {
            return null;
        }
        pending.joinAtEnd(input);
        if (reader == null) {
            start = smallest(start, resume);
            return resume;
        }
        return reader.offsets();
    }

    /**
     * Decodes the columns {@code columns} read too, from the next batch on (a query joins at the newest
     * batch, so it takes only batches that have them): before the reader starts, it starts so; a running
     * reader is asked to ({@link OffsetReader#widenProjection}). False when it cannot.
     */
    private boolean widen(Projection columns) {
        Projection union = projection.union(columns).normalized(rowType.size());
        if (reader != null && !reader.widenProjection(union)) {
            return false;
        }
        projection = union;
        builder = new BatchBuilder(rowType, chunkRows, projection);
        return true;
    }

    private static SplitOffsets smallest(SplitOffsets first, SplitOffsets second) {
        Map<String, Long> offsets = new LinkedHashMap<>(first.offsets());
        second.forEach((split, offset) -> offsets.merge(split, offset, Math::min));
        return SplitOffsets.of(offsets);
    }

    /** Whether the reader reads: once the gathering is over, at the first poll after. */
    private boolean started() {
        if (reader == null && nanoClock.getAsLong() - gatherEndNanos >= 0) {
            reader = readings.apply(projection).createReader(start);
        }
        return reader != null;
    }

    /** The query's next batch: one another query already read, or a new one of at most {@code maxRows} rows; null when none now. */
    synchronized Taken next(ResumingInput input, int maxRows) {
        if (failure != null) {
            throw failure;
        }
        Taken held = pending.next(input);
        if (held != null) {
            pending.trim();
            return held;
        }
        if (pending.size() >= SharedSources.MAX_PENDING_BATCHES || !started()) {
            return null; // the slowest query holds the others back, or queries may still join
        }
        Batch batch;
        try {
            batch = OwnedInput.poll(reader, builder, Math.max(1, Math.min(maxRows, chunkRows)));
        } catch (RuntimeException e) {
            failure = e; // every query sharing the reader fails with it
            throw e;
        }
        if (batch == null) {
            return null;
        }
        Taken taken = new Taken(batch, reader.offsets(), reader.splits());
        pending.add(taken, input);
        pending.trim();
        return taken;
    }

    /**
     * How far the query got in the reader: the reader's offsets when it took every batch read so far
     * (records passed over after the last batch count too), else {@code lastTaken}, the end of the
     * last batch it took.
     */
    synchronized SplitOffsets position(ResumingInput input, SplitOffsets lastTaken) {
        return reader != null && pending.tookAll(input) ? reader.offsets() : lastTaken;
    }

    /** Records the consumer's offsets through the reader (see {@link OffsetReader#commit(String, SplitOffsets)}). */
    synchronized void commit(String consumerId, SplitOffsets offsets) {
        if (!closed && reader != null) {
            reader.commit(consumerId, offsets);
        }
    }

    /** Every split the reader has, for naming split ids. */
    synchronized List<Split> splits() {
        return reader == null ? List.of() : List.copyOf(reader.splits());
    }

    /**
     * The splits as the query has read them: when it took every batch, the reader's; else
     * {@code lastTaken}, those right after the last batch it took (a split the reader finished is not
     * finished for a query that has rows of it to take).
     */
    synchronized List<Split> splits(ResumingInput input, List<Split> lastTaken) {
        return reader != null && pending.tookAll(input) ? List.copyOf(reader.splits()) : lastTaken;
    }

    /** Whether the query's splits are known: the reader's are, and the query took a batch or all of them. */
    synchronized boolean splitsKnown(ResumingInput input, List<Split> lastTaken) {
        return reader != null && reader.splitsKnown() && (!lastTaken.isEmpty() || pending.tookAll(input));
    }

    /** The reader's lag plus the rows it read that the query has not taken yet. */
    synchronized OptionalLong lag(ResumingInput input) {
        if (reader == null) {
            return OptionalLong.empty();
        }
        OptionalLong behind = reader.lag();
        if (behind.isEmpty()) {
            return behind;
        }
        return OptionalLong.of(behind.getAsLong() + pending.behind(input, taken -> taken.batch().rowCount()));
    }

    synchronized boolean isFinished(ResumingInput input) {
        return reader != null && reader.isFinished() && pending.tookAll(input);
    }

    /** Removes the query; the last one closes the reader (which commits what it was asked to first). */
    void leave(ResumingInput input) {
        synchronized (this) {
            if (!pending.leave(input)) {
                return;
            }
            if (pending.hasQueries()) {
                pending.trim();
                return;
            }
            closed = true;
        }
        try {
            if (reader != null) {
                reader.close();
            }
        } finally {
            onClose.accept(this);
        }
    }
}

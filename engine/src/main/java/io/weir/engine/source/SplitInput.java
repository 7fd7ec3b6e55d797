package io.weir.engine.source;

import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.Split;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * One task's share of a stream's splits, read by a reader of its own by offsets
 * ({@link OffsetReading#createSplitReader}): it knows its position, so that a checkpoint holds it and a
 * replayed micro-batch ends at it; it starts at a restored checkpoint's offsets; and for a persistent
 * query it commits its splits' positions in the query's consumer name (the other tasks commit theirs).
 * The reader is created at the first read, from where the checkpoint says or, for splits it does not
 * list, where the consumer resumes: that is looked up only then, once the query's sink has recovered
 * (a Kafka group's offsets cannot be read while a crashed run's transaction that commits them is
 * pending, until the sink's recovery aborts it). Used by one thread at a time.
 */
public final class SplitInput implements SourceInput {
    private final OffsetReading reading;
    private final Set<String> share;
    /** Where the splits start unless restored; looked up once for all tasks of the scan, at the first read of one. */
    private final Supplier<SplitOffsets> starts;
    /** Per split, where a restored checkpoint says it starts. */
    private final Map<String, Long> restored = new LinkedHashMap<>();
    private SplitOffsets start;
    private final Optional<String> consumerId;
    private final List<DataType.Field> rowType;
    private final int chunkRows;
    private final Projection projection;
    private OffsetReader reader;
    private BatchBuilder builder;
    private SplitOffsets lastCommitted;
    private boolean closed;

    /**
     * @param share the names of the splits this input reads
     * @param starts where every split of the stream starts unless a checkpoint's position says otherwise
     *        ({@link #startAt}); called at the first read at most, from the thread reading
     * @param consumerId the persistent query's consumer whose positions it commits; empty for a push query
     */
    public SplitInput(OffsetReading reading, List<String> share, Supplier<SplitOffsets> starts, Optional<String> consumerId,
                      List<DataType.Field> rowType, int chunkRows, Projection projection) {
        this.reading = requireNonNull(reading, "reading is null");
        this.share = new LinkedHashSet<>(requireNonNull(share, "share is null"));
        this.starts = requireNonNull(starts, "starts is null");
        this.consumerId = requireNonNull(consumerId, "consumerId is null");
        this.rowType = List.copyOf(requireNonNull(rowType, "rowType is null"));
        this.chunkRows = chunkRows;
        this.projection = requireNonNull(projection, "projection is null");
    }

    /** Whether {@code split} is one of this input's. */
    public boolean reads(String split) {
        return share.contains(split);
    }

    /** Where its splits start: as restored, the others where the consumer resumes (looked up if any is not restored). */
    private SplitOffsets start() {
        if (start == null) {
            Map<String, Long> offsets = new LinkedHashMap<>();
            SplitOffsets looked = restored.keySet().containsAll(share) ? SplitOffsets.of(Map.of()) : starts.get();
            for (String split : share) {
                Long at = restored.containsKey(split) ? restored.get(split)
                        : looked.get(split).isPresent() ? Long.valueOf(looked.get(split).getAsLong()) : null;
                if (at != null) {
                    offsets.put(split, at);
                }
            }
            start = SplitOffsets.of(offsets);
        }
        return start;
    }

    private OffsetReader reader() {
        if (closed) {
            throw new IllegalStateException("input is closed");
        }
        if (reader == null) {
            reader = reading.createSplitReader(start()).orElseThrow(() ->
                    new IllegalStateException("a source that said it divides its splits did not give a reader of some"));
            builder = new BatchBuilder(rowType, chunkRows, projection);
        }
        return reader;
    }

    @Override
    public Batch next(int maxRows) {
        return OwnedInput.poll(reader(), builder, maxRows);
    }

    @Override
    public List<Split> splits() {
        return reader == null ? List.of() : reader.splits();
    }

    /** Not before the first read created the reader: this input has splits to read, it just has not opened them. */
    @Override
    public boolean splitsKnown() {
        return reader != null && reader.splitsKnown();
    }

    @Override
    public OptionalLong lag() {
        return reader == null || closed ? OptionalLong.empty() : reader.lag();
    }

    @Override
    public boolean isFinished() {
        return reader != null && !closed && reader.isFinished();
    }

    @Override
    public void commit() {
        if (reader != null && !closed) {
            commitAt(reader.offsets());
        }
    }

    @Override
    public void commitAt(SplitOffsets position) {
        if (consumerId.isEmpty() || reader == null || closed || position.equals(lastCommitted)) {
            return;
        }
        reader.commit(consumerId.get(), position);
        lastCommitted = position;
    }

    /** Per split, the offset after the rows returned; before the first read, where it starts. */
    @Override
    public Optional<SplitOffsets> position() {
        return Optional.of(reader == null ? start() : reader.offsets());
    }

    /** Starts those of its splits that {@code offsets} lists there; the others where they would. */
    @Override
    public boolean startAt(SplitOffsets offsets) {
        if (reader != null || start != null) {
            throw new IllegalStateException("the input already started");
        }
        offsets.forEach((split, offset) -> {
            if (share.contains(split)) {
                restored.put(split, offset);
            }
        });
        return true;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (reader != null) {
                reader.close();
            }
        }
    }
}

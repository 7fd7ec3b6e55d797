package io.weir.engine.operator;

import io.weir.engine.expression.EvaluationContext;
import io.weir.engine.plan.ComputedEventTime;
import io.weir.engine.plan.SourceSpec;
import io.weir.engine.source.OwnedInput;
import io.weir.engine.source.SourceInput;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.batch.LongVector;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.connector.SplitOffsets;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * Drains a {@link SourceReader} each micro-batch: polls it in chunks until it has nothing more right
 * now or the per-batch cap is reached, tracks the largest event time and the last activity per split,
 * and at the end of the batch computes the source's watermark: per split (largest event time) minus
 * the declared delay; the minimum over the active splits, where finished splits and splits idle for
 * the idle timeout do not count (see {@link Watermark#combine}); {@link Watermark#FINISHED} once a
 * bounded reader is finished. The watermark never goes back.
 */
public final class SourceOperator implements Operator {
    private static final int SNAPSHOT_VERSION = 1;

    /** Rows per output batch: large enough to amortize per-batch work, small enough for the cache. */
    public static final int CHUNK_ROWS = 4096;
    /** Rows taken from one source per micro-batch, so a backlog is worked off over several batches. */
    public static final int DEFAULT_MAX_ROWS_PER_BATCH = 1 << 16;

    private final SourceSpec spec;
    private final SourceInput input;
    private final RowPositions rowPositions = new Positions();
    private final int eventTimeColumn;
    /** Computes the event-time column appended to each batch, when the WATERMARK is on a computed column. */
    private final Optional<ComputedEventTime> computedEventTime;
    private final int[] identity = new int[CHUNK_ROWS];
    private EvaluationContext context = new EvaluationContext(0, Long.MIN_VALUE);
    private final long delayMillis;
    private final long idleTimeoutMillis;
    private final int maxRowsPerBatch;
    private long[] maxEventTime = new long[4];
    private long[] lastActivity = new long[4];
    private boolean[] known = new boolean[4];
    private long now;
    private int polledThisBatch;
    private boolean exhaustedThisBatch;
    private boolean backlogged;
    private long rowsRead;
    private Watermark watermark = Watermark.INITIAL;
    private boolean closed;
    /** Per split name, the largest event time a restored checkpoint had seen, until the split shows up again. */
    private final Map<String, Long> restoredEventTimes = new HashMap<>();
    /** Rows read past the end of a replayed micro-batch: the first rows of the batches after it, in read order. */
    private final ArrayDeque<Batch> held = new ArrayDeque<>();
    /** Rows of the replayed micro-batch that were held back by an earlier one. */
    private final ArrayDeque<Batch> ready = new ArrayDeque<>();
    /** While a micro-batch is replayed: per split, the offset its rows end at. */
    private Map<String, Long> limit;

    /** A source over a reader of its own. */
    public SourceOperator(SourceSpec spec, SourceReader reader, int maxRowsPerBatch) {
        this(spec, new OwnedInput(reader, spec.rowType(), CHUNK_ROWS, spec.projection()), maxRowsPerBatch);
    }

    /** A source over a reader of its own or a place in a shared one. */
    public SourceOperator(SourceSpec spec, SourceInput input, int maxRowsPerBatch) {
        this.spec = requireNonNull(spec, "spec is null");
        this.input = requireNonNull(input, "input is null");
        this.eventTimeColumn = spec.eventTimeColumn();
        this.computedEventTime = spec.computedEventTime();
        for (int i = 0; i < identity.length; i++) {
            identity[i] = i;
        }
        this.delayMillis = spec.watermarkDelay().toMillis();
        this.idleTimeoutMillis = spec.idleTimeout().map(Duration::toMillis).orElse(Long.MAX_VALUE);
        if (maxRowsPerBatch < 1) {
            throw new IllegalArgumentException("maxRowsPerBatch must be positive");
        }
        this.maxRowsPerBatch = maxRowsPerBatch;
        Arrays.fill(maxEventTime, Long.MIN_VALUE);
    }

    /**
     * Where the rows of this source's batches were read: its stream, their splits' names and their offsets. One
     * instance per source, so that an operator holding rows can tell the sources of its rows apart by it.
     */
    public RowPositions rowPositions() {
        return rowPositions;
    }

    private final class Positions implements RowPositions {
        @Override
        public String split(int splitId) {
            return "stream '" + spec.objectName() + "', " + splitName(splitId);
        }

        @Override
        public String range(Batch batch) {
            return "stream '" + spec.objectName() + "', " + RowPositions.ranges(batch, SourceOperator.this::splitName, id -> true);
        }
    }

    private String splitName(int id) {
        List<Split> splits = input.knownSplits();
        return id < splits.size() ? splits.get(id).name() : "split " + id;
    }

    public SourceSpec spec() {
        return spec;
    }

    @Override
    public void startBatch(EvaluationContext context) {
        this.context = context;
        now = context.processingTimeMillis();
        polledThisBatch = 0;
        exhaustedThisBatch = false;
    }

    @Override
    public boolean needsInput() {
        return false;
    }

    @Override
    public void addInput(Batch batch) {
        throw new UnsupportedOperationException("a source has no input");
    }

    /** The next chunk of rows the reader has now, or null when it has no more this micro-batch. */
    @Override
    public Batch getOutput() {
        if (closed) {
            return null;
        }
        if (limit != null) {
            return nextReplayed();
        }
        if (exhaustedThisBatch || polledThisBatch >= maxRowsPerBatch) {
            return null;
        }
        Batch batch = held.isEmpty() ? input.next(Math.min(CHUNK_ROWS, maxRowsPerBatch - polledThisBatch)) : held.poll();
        if (batch == null) {
            exhaustedThisBatch = true;
            return null;
        }
        return taken(batch);
    }

    private Batch taken(Batch read) {
        polledThisBatch += read.rowCount();
        rowsRead += read.rowCount();
        if (read.arrivalNanos() == Batch.ARRIVAL_UNKNOWN) {
            read = read.withArrival(System.nanoTime()); // its reader did not say: the rows arrive as they are read
        }
        Batch batch = computedEventTime.isEmpty() ? read : withEventTime(read, computedEventTime.get());
        track(batch);
        return batch;
    }

    /** {@code batch} with its computed event-time column appended. */
    private Batch withEventTime(Batch batch, ComputedEventTime computed) {
        int rows = batch.rowCount();
        int[] selection = rows <= identity.length ? identity : java.util.stream.IntStream.range(0, rows).toArray();
        BatchBuilder out = new BatchBuilder(List.of(computed.column()), Math.max(1, rows));
        computed.projection().project(batch, selection, rows, context, out);
        return batch.withColumn(computed.column(), out.build().column(0));
    }

    /**
     * This micro-batch replays one that ran before the query stopped: it takes exactly the rows before
     * {@code end} (per split), whatever the per-batch cap, and holds back rows read past it for the
     * batches after. Call after {@link #startBatch}.
     */
    public void replayBatch(SplitOffsets end) {
        limit = new HashMap<>(end.offsets());
        List<Split> splits = input.knownSplits();
        ArrayDeque<Batch> stillHeld = new ArrayDeque<>();
        for (Batch batch : held) {
            Batch[] parts = splitAtLimit(batch, splits);
            if (parts[0] != null) {
                ready.add(parts[0]);
            }
            if (parts[1] != null) {
                stillHeld.add(parts[1]);
            }
        }
        held.clear();
        held.addAll(stillHeld);
    }

    /** Whether the replayed micro-batch got every row before its end: the reader is past the end in every split. */
    public boolean replayComplete() {
        if (limit == null) {
            return true;
        }
        Optional<SplitOffsets> at = input.position();
        if (at.isEmpty()) {
            return true;
        }
        for (Map.Entry<String, Long> split : limit.entrySet()) {
            if (at.get().get(split.getKey()).orElse(Long.MIN_VALUE) < split.getValue()) {
                return false;
            }
        }
        return true;
    }

    private Batch nextReplayed() {
        if (!ready.isEmpty()) {
            return taken(ready.poll());
        }
        while (true) {
            Batch batch = input.next(CHUNK_ROWS);
            if (batch == null) {
                return null;
            }
            Batch[] parts = splitAtLimit(batch, input.knownSplits());
            if (parts[1] != null) {
                held.add(parts[1]);
            }
            if (parts[0] != null) {
                return taken(parts[0]);
            }
        }
    }

    /** The rows of {@code batch} before the replay limit, and those after it (either null when empty). */
    private Batch[] splitAtLimit(Batch batch, List<Split> splits) {
        int rows = batch.rowCount();
        int[] before = new int[rows];
        int[] after = new int[rows];
        int beforeCount = 0;
        int afterCount = 0;
        for (int row = 0; row < rows; row++) {
            if (beforeLimit(batch, row, splits)) {
                before[beforeCount++] = row;
            } else {
                after[afterCount++] = row;
            }
        }
        return new Batch[] {
                beforeCount == 0 ? null : beforeCount == rows ? batch : batch.select(before, beforeCount, null),
                afterCount == 0 ? null : afterCount == rows ? batch : batch.select(after, afterCount, null)};
    }

    private boolean beforeLimit(Batch batch, int row, List<Split> splits) {
        int id = batch.splitId(row);
        Long end = id < splits.size() ? limit.get(splits.get(id).name()) : null;
        return end != null && batch.offset(row) < end;
    }

    /**
     * Per split, the offset after the rows this operator passed on (rows read but held back for a later
     * micro-batch do not count); empty when the input cannot be read again from a position.
     */
    public Optional<SplitOffsets> position() {
        Optional<SplitOffsets> at = closed ? Optional.empty() : input.position();
        if (at.isEmpty() || (held.isEmpty() && ready.isEmpty())) {
            return at;
        }
        Map<String, Long> offsets = new LinkedHashMap<>(at.get().offsets());
        List<Split> splits = input.knownSplits();
        for (Batch batch : ready) {
            lowerTo(offsets, batch, splits);
        }
        for (Batch batch : held) {
            lowerTo(offsets, batch, splits);
        }
        return Optional.of(SplitOffsets.of(offsets));
    }

    private static void lowerTo(Map<String, Long> offsets, Batch batch, List<Split> splits) {
        for (int row = 0; row < batch.rowCount(); row++) {
            int id = batch.splitId(row);
            long offset = batch.offset(row);
            if (id < splits.size() && offset >= 0) {
                offsets.merge(splits.get(id).name(), offset, Math::min);
            }
        }
    }

    private void track(Batch batch) {
        int rows = batch.rowCount();
        if (eventTimeColumn < 0) {
            for (int row = 0; row < rows; row++) {
                touch(batch.splitId(row));
            }
            return;
        }
        LongVector times = (LongVector) batch.column(eventTimeColumn);
        long[] values = times.values();
        boolean[] nulls = times.nulls();
        int lastSplit = -1;
        for (int row = 0; row < rows; row++) {
            int split = batch.splitId(row);
            if (split != lastSplit) {
                touch(split);
                lastSplit = split;
            }
            if (!nulls[row] && values[row] > maxEventTime[split]) {
                maxEventTime[split] = values[row];
            }
        }
    }

    private void touch(int split) {
        ensureSplit(split);
        lastActivity[split] = now;
    }

    private void ensureSplit(int split) {
        if (split >= known.length) {
            int size = Math.max(split + 1, known.length * 2);
            int old = known.length;
            maxEventTime = Arrays.copyOf(maxEventTime, size);
            Arrays.fill(maxEventTime, old, size, Long.MIN_VALUE);
            lastActivity = Arrays.copyOf(lastActivity, size);
            known = Arrays.copyOf(known, size);
        }
        if (!known[split]) {
            known[split] = true;
            lastActivity[split] = now;
        }
    }

    /** Whether the reader still had rows when the per-batch cap stopped this batch. */
    public boolean backlogged() {
        return backlogged;
    }

    public long rowsRead() {
        return rowsRead;
    }

    @Override
    public void processWatermark(int input, Watermark watermark) {
        throw new UnsupportedOperationException("a source has no input");
    }

    /** Records at the source this query has not read yet, when the connector knows. */
    public OptionalLong lag() {
        return closed ? OptionalLong.empty() : input.lag();
    }

    /** The rows read so far are fully processed: lets the reader record its position. */
    public void commit() {
        if (closed) {
            return;
        }
        if (held.isEmpty() && ready.isEmpty()) {
            input.commit();
        } else {
            // rows read past a replayed batch are not processed yet: commit only up to them
            position().ifPresentOrElse(input::commitAt, input::commit);
        }
    }

    /** Computes the watermark at the end of the micro-batch; call once per batch after draining. */
    public Watermark endBatch() {
        backlogged = (!exhaustedThisBatch && polledThisBatch >= maxRowsPerBatch) || !held.isEmpty();
        limit = null;
        held.addAll(ready); // a replay that gave up waiting: its rows come first next time
        ready.clear();
        if (isFinished()) {
            watermark = Watermark.FINISHED;
            return watermark;
        }
        List<Split> splits = input.splits();
        if (splits.isEmpty()) {
            // no split at all is idle (an empty watched directory); splits not known yet (a Kafka reader
            // waiting for its partitions, a task's share not opened) hold the watermark back
            watermark = new Watermark(watermark.millis(), input.splitsKnown());
            return watermark;
        }
        boolean[] withHeldRows = splitsWithHeldRows();
        Watermark[] perSplit = new Watermark[splits.size()];
        for (int i = 0; i < perSplit.length; i++) {
            Split split = splits.get(i);
            ensureSplit(split.id());
            if (!restoredEventTimes.isEmpty()) {
                Long restored = restoredEventTimes.remove(split.name());
                if (restored != null) {
                    maxEventTime[split.id()] = Math.max(maxEventTime[split.id()], restored);
                }
            }
            long max = maxEventTime[split.id()];
            long millis = eventTimeColumn < 0 || max == Long.MIN_VALUE ? Long.MIN_VALUE : max - delayMillis;
            // a finished split of a source that may still grow (a watched directory) no longer holds
            // the watermark back, but what it delivered still counts once nothing else is active; a
            // split whose last rows are held back (read past a replayed batch) is not finished yet
            boolean finished = split.finished() && !(split.id() < withHeldRows.length && withHeldRows[split.id()]);
            boolean idle = finished || now - lastActivity[split.id()] >= idleTimeoutMillis;
            perSplit[i] = new Watermark(millis, idle);
        }
        Watermark combined = Watermark.combine(perSplit);
        watermark = new Watermark(Math.max(watermark.millis(), combined.millis()), combined.idle());
        return watermark;
    }

    /** Per split id, whether rows of it are held back for the next micro-batch (after a replayed one). */
    private boolean[] splitsWithHeldRows() {
        boolean[] withHeldRows = new boolean[0];
        for (Batch batch : held) {
            for (int row = 0; row < batch.rowCount(); row++) {
                int split = batch.splitId(row);
                if (split >= withHeldRows.length) {
                    withHeldRows = Arrays.copyOf(withHeldRows, split + 1);
                }
                withHeldRows[split] = true;
            }
        }
        return withHeldRows;
    }

    /**
     * The source's part of a checkpoint, at a micro-batch boundary: its position (when the input reads
     * by offsets), the largest event time per split, the watermark and the rows read.
     */
    public byte[] snapshot() {
        Map<String, Long> eventTimes = new HashMap<>(restoredEventTimes);
        if (!closed) {
            for (Split split : input.splits()) {
                if (split.id() < known.length && known[split.id()] && maxEventTime[split.id()] != Long.MIN_VALUE) {
                    eventTimes.put(split.name(), maxEventTime[split.id()]);
                }
            }
        }
        return new Snapshot(watermark.millis(), rowsRead, position(), eventTimes).write();
    }

    /**
     * Restores a {@link #snapshot()} before the first micro-batch: the input starts at the snapshot's
     * position if it can (returns false when it cannot, so rows read since the checkpoint are not read again).
     */
    public boolean restore(byte[] snapshot) {
        return restore(snapshot, split -> true, true);
    }

    /**
     * Restores the part of a {@link #snapshot()} (or a {@link #combine combined} one) of the splits this
     * source reads, {@code ownsSplit} telling which (a query's tasks divide a stream's splits), and the
     * rows read if {@code holdsCounters} (one task's source of a stream holds them).
     */
    public boolean restore(byte[] snapshot, Predicate<String> ownsSplit, boolean holdsCounters) {
        requireNonNull(ownsSplit, "ownsSplit is null");
        Snapshot restored = Snapshot.read(snapshot, spec.objectName());
        watermark = new Watermark(restored.watermarkMillis(), false);
        rowsRead = holdsCounters ? restored.rowsRead() : 0;
        boolean positioned = false;
        if (restored.position().isPresent()) {
            Map<String, Long> offsets = new LinkedHashMap<>();
            restored.position().get().forEach((split, offset) -> {
                if (ownsSplit.test(split)) {
                    offsets.put(split, offset);
                }
            });
            positioned = input.startAt(SplitOffsets.of(offsets));
        }
        restoredEventTimes.clear();
        restored.eventTimes().forEach((split, time) -> {
            if (ownsSplit.test(split)) {
                restoredEventTimes.put(split, time);
            }
        });
        return positioned;
    }

    /**
     * One snapshot of a stream's source from those of the sources of a query's tasks that read its
     * splits apart: every split's position and largest event time, the rows read summed, and the
     * lowest watermark (a restored source's watermark is a floor it never goes below, so no task's
     * source is held higher than its own splits were).
     */
    public static byte[] combine(List<byte[]> snapshots, String stream) {
        if (snapshots.size() == 1) {
            return snapshots.get(0);
        }
        long watermarkMillis = Long.MAX_VALUE;
        long rows = 0;
        Map<String, Long> offsets = null;
        Map<String, Long> eventTimes = new HashMap<>();
        for (byte[] bytes : snapshots) {
            Snapshot snapshot = Snapshot.read(bytes, stream);
            watermarkMillis = Math.min(watermarkMillis, snapshot.watermarkMillis());
            rows += snapshot.rowsRead();
            if (snapshot.position().isPresent()) {
                offsets = offsets == null ? new LinkedHashMap<>() : offsets;
                offsets.putAll(snapshot.position().get().offsets());
            }
            snapshot.eventTimes().forEach((split, time) -> eventTimes.merge(split, time, Math::max));
        }
        return new Snapshot(watermarkMillis, rows, Optional.ofNullable(offsets).map(SplitOffsets::of), eventTimes).write();
    }

    /** What {@link #snapshot()} writes. */
    private record Snapshot(long watermarkMillis, long rowsRead, Optional<SplitOffsets> position, Map<String, Long> eventTimes) {
        byte[] write() {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes);
                out.writeInt(SNAPSHOT_VERSION);
                out.writeLong(watermarkMillis);
                out.writeLong(rowsRead);
                out.writeBoolean(position.isPresent());
                if (position.isPresent()) {
                    out.writeInt(position.get().offsets().size());
                    for (Map.Entry<String, Long> split : position.get().offsets().entrySet()) {
                        out.writeUTF(split.getKey());
                        out.writeLong(split.getValue());
                    }
                }
                out.writeInt(eventTimes.size());
                for (Map.Entry<String, Long> split : eventTimes.entrySet()) {
                    out.writeUTF(split.getKey());
                    out.writeLong(split.getValue());
                }
                out.flush();
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Snapshot read(byte[] snapshot, String stream) {
            try {
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot));
                int version = in.readInt();
                if (version != SNAPSHOT_VERSION) {
                    throw new WeirException(ErrorCode.INTERNAL_ERROR, "Cannot restore the state of source '" + stream
                            + "': snapshot version " + version + ", this server reads version " + SNAPSHOT_VERSION);
                }
                long watermarkMillis = in.readLong();
                long rowsRead = in.readLong();
                Optional<SplitOffsets> position = Optional.empty();
                if (in.readBoolean()) {
                    Map<String, Long> offsets = new LinkedHashMap<>();
                    int splits = in.readInt();
                    for (int i = 0; i < splits; i++) {
                        offsets.put(in.readUTF(), in.readLong());
                    }
                    position = Optional.of(SplitOffsets.of(offsets));
                }
                Map<String, Long> eventTimes = new HashMap<>();
                int count = in.readInt();
                for (int i = 0; i < count; i++) {
                    eventTimes.put(in.readUTF(), in.readLong());
                }
                return new Snapshot(watermarkMillis, rowsRead, position, eventTimes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public Watermark outputWatermark() {
        return watermark;
    }

    @Override
    public void finish() {
        // a source finishes by itself
    }

    @Override
    public boolean isFinished() {
        return input.isFinished() && held.isEmpty() && ready.isEmpty();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            input.close();
        }
    }
}

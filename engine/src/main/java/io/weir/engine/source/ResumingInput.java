package io.weir.engine.source;

import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.Split;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * A persistent query's input from the reader its stream shares with the other persistent queries
 * ({@link SharedOffsetReader}), resuming from the query's own offsets. On its first poll it looks up
 * where it resumes and joins the shared reader: before the reader started (queries started or restored
 * together), the reader starts at the smallest offsets of its queries; later, at its newest batch. Per
 * split:
 * <ul>
 * <li>if the query resumes at or after the shared reader, it takes the shared rows, skipping those
 *     before its own offset;</li>
 * <li>if it resumes before, it <em>catches up</em> on a reader of its own from its offset, dropping
 *     the shared rows of that split meanwhile, until its reader reached the newest shared batch it
 *     saw; from there it takes the shared rows (skipping those its own reader already gave) and,
 *     once every split caught up, closes its reader.</li>
 * </ul>
 * So ten queries over a topic read it once also after a restart, when each resumes at a different
 * place, and a query that was stopped for a while catches up without holding the others back (it
 * keeps taking, and dropping, the shared batches while it catches up). After each micro-batch
 * {@link #commit()} records, per split, how far the query got, in its consumer's name. Used by one
 * query's thread.
 */
final class ResumingInput implements SourceInput {
    private static final Logger LOG = LoggerFactory.getLogger(ResumingInput.class);
    /** Turns of the shared and the own reader one {@link #next} takes at most while everything they give is dropped. */
    private static final int MAX_ROUNDS = 64;

    private final SharedSources sources;
    private final SharedSources.Key key;
    private final OffsetReading reading;
    private final Function<Projection, OffsetReading> readings;
    private final Projection projection;
    private final String consumerId;
    private final List<DataType.Field> rowType;
    private final int chunkRows;

    private SharedOffsetReader shared;
    /** The splits of the shared reader when the query joined, in order. */
    private Set<String> splitNames = Set.of();
    /** Per split taken from the shared reader: shared rows before this offset were not for the query. */
    private final Map<String, Long> from = new HashMap<>();
    /** Per split still caught up on the own reader: the end of the shared rows dropped so far. */
    private final Map<String, Long> catchingUp = new LinkedHashMap<>();
    private OffsetReader own;
    private BatchBuilder ownBuilder;
    /** The end of the last shared batch taken (the shared reader's offsets at the join before that). */
    private SplitOffsets lastShared;
    /** The shared reader's splits right after the last batch taken. */
    private List<Split> lastSharedSplits = List.of();
    /** Whether shared rows may still need skipping; false once past every split's {@link #from} and caught up. */
    private boolean filtering = true;
    private SplitOffsets lastCommitted;
    /** Where a restored checkpoint says the query is, per split; overrides what the consumer committed. */
    private SplitOffsets restoredStart;
    private boolean ownFirst;
    private boolean closed;

    // Per split id of the shared reader, for filtering without a lookup per row; rebuilt when the splits change.
    private boolean idsStale = true;
    private List<Split> sharedSplits = List.of();
    private long[] fromById = new long[0];
    private boolean[] catchingUpById = new boolean[0];
    private int[] ownToShared = new int[0];
    private List<Split> ownSplits = List.of();
    private int[] selection = new int[0];

    /**
     * @param readings the stream's reading by offsets for a projection: the query's own ({@code projection}) for
     *        catching up, and a wider one when the shared reader must decode more columns for it
     */
    ResumingInput(SharedSources sources, SharedSources.Key key, Function<Projection, OffsetReading> readings,
                  Projection projection, String consumerId, List<DataType.Field> rowType, int chunkRows) {
        this.sources = requireNonNull(sources, "sources is null");
        this.key = requireNonNull(key, "key is null");
        this.readings = requireNonNull(readings, "readings is null");
        this.projection = requireNonNull(projection, "projection is null");
        this.reading = requireNonNull(readings.apply(projection), "reading is null");
        this.consumerId = requireNonNull(consumerId, "consumerId is null");
        this.rowType = List.copyOf(requireNonNull(rowType, "rowType is null"));
        this.chunkRows = chunkRows;
    }

    @Override
    public Batch next(int maxRows) {
        if (closed) {
            throw new IllegalStateException("input is closed");
        }
        if (shared == null) {
            join();
        }
        // The shared reader and the own one take turns (who goes first alternates between calls), so that catching up
        // progresses however busy the stream is. Bounded, because dropped rows do not count towards the batch's cap.
        ownFirst = !ownFirst;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean sharedDry = false;
            boolean ownDry = own == null;
            for (int step = 0; step < 2; step++) {
                if ((step == 0) == ownFirst) {
                    if (own == null) {
                        ownDry = true;
                        continue;
                    }
                    Batch polled = OwnedInput.poll(own, ownBuilder, Math.max(1, Math.min(maxRows, chunkRows)));
                    if (polled == null) {
                        switchCaughtUp(); // records passed over count
                        ownDry = true;
                        continue;
                    }
                    Batch batch = takeOwn(polled);
                    switchCaughtUp();
                    if (batch != null) {
                        return batch;
                    }
                } else {
                    SharedOffsetReader.Taken taken = shared.next(this, maxRows);
                    if (taken == null) {
                        sharedDry = true;
                        continue;
                    }
                    Batch batch = takeShared(taken);
                    if (batch != null) {
                        return batch;
                    }
                }
            }
            if (sharedDry && ownDry) {
                return null;
            }
        }
        return null;
    }

    /** Looks up where the query resumes (I/O) and joins the shared reader, deciding per split where it reads. */
    private void join() {
        SplitOffsets start = startOffsets();
        SharedSources.Joined joined = sources.joinOffsetReader(key, readings, projection, start, this, rowType, chunkRows);
        shared = joined.reader();
        SplitOffsets current = joined.offsets();
        lastShared = current;
        splitNames = new LinkedHashSet<>(current.offsets().keySet());
        Map<String, Long> ownStart = new LinkedHashMap<>();
        current.forEach((split, at) -> {
            OptionalLong resume = start.get(split);
            if (resume.isPresent() && resume.getAsLong() < at) {
                ownStart.put(split, resume.getAsLong());
                catchingUp.put(split, at);
            } else {
                from.put(split, resume.orElse(at));
            }
        });
        if (!ownStart.isEmpty()) {
            own = reading.createReader(SplitOffsets.of(ownStart));
            ownBuilder = new BatchBuilder(rowType, chunkRows, projection);
            LOG.info("Consumer '{}' catches up on {} split(s) on a reader of its own before it takes the shared rows: from {} to {}",
                    consumerId, ownStart.size(), ownStart, current);
        }
        for (String split : start.offsets().keySet()) {
            if (!current.contains(split)) {
                LOG.warn("Consumer '{}': split '{}' appeared after the stream's shared reader started; it is read after the next "
                        + "restart of the queries of the stream", consumerId, split);
            }
        }
        refreshIds();
    }

    /** Where the consumer resumes: a restored checkpoint's offsets, else what it committed (or the startup mode says). */
    private SplitOffsets startOffsets() {
        SplitOffsets committed = reading.startOffsets(consumerId);
        if (restoredStart == null) {
            return committed;
        }
        Map<String, Long> merged = new LinkedHashMap<>(committed.offsets());
        merged.putAll(restoredStart.offsets());
        LOG.info("Consumer '{}' starts at its restored checkpoint's offsets {}", consumerId, restoredStart);
        return SplitOffsets.of(merged);
    }

    /** The shared batch without the rows not for the query; null when none is left. */
    private Batch takeShared(SharedOffsetReader.Taken taken) {
        lastShared = taken.end();
        lastSharedSplits = taken.splits();
        if (!filtering) {
            return taken.batch();
        }
        catchingUp.replaceAll((split, end) -> taken.end().get(split).orElse(end));
        Batch batch = taken.batch();
        refreshIds();
        int count = 0;
        int[] rows = selection(batch.rowCount());
        for (int row = 0; row < batch.rowCount(); row++) {
            int split = batch.splitId(row);
            if (split < fromById.length && (catchingUpById[split] || batch.offset(row) < fromById[split])) {
                continue;
            }
            rows[count++] = row;
        }
        switchCaughtUp();
        if (catchingUp.isEmpty()) {
            filtering = from.entrySet().stream().anyMatch(e -> lastShared.get(e.getKey()).orElse(Long.MAX_VALUE) < e.getValue());
        }
        if (count == 0) {
            return null;
        }
        return count == batch.rowCount() ? batch : batch.select(rows, count, null);
    }

    /** The own reader's rows of the splits still caught up on, with the shared reader's split ids; null when none. */
    private Batch takeOwn(Batch batch) {
        refreshIds();
        int count = 0;
        int[] rows = selection(batch.rowCount());
        for (int row = 0; row < batch.rowCount(); row++) {
            int split = batch.splitId(row);
            int sharedId = split < ownToShared.length ? ownToShared[split] : -1;
            if (sharedId >= 0 && catchingUpById[sharedId]) {
                rows[count++] = row;
            }
        }
        return count == 0 ? null : batch.select(rows, count, ownToShared);
    }

    /** Moves the splits whose own reader reached the shared rows it dropped over to the shared reader. */
    private void switchCaughtUp() {
        if (own == null) {
            return;
        }
        SplitOffsets ownAt = own.offsets();
        boolean switched = false;
        for (var it = catchingUp.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> split = it.next();
            OptionalLong at = ownAt.get(split.getKey());
            if (at.isPresent() && at.getAsLong() >= split.getValue()) {
                from.put(split.getKey(), at.getAsLong());
                it.remove();
                switched = true;
            }
        }
        if (switched) {
            idsStale = true;
            if (catchingUp.isEmpty()) {
                LOG.info("Consumer '{}' caught up and reads only the shared reader of its stream", consumerId);
                own.close();
                own = null;
                ownBuilder = null;
            }
        }
    }

    private void refreshIds() {
        List<Split> splits = shared.splits();
        List<Split> ownNow = own == null ? List.of() : own.splits();
        if (!idsStale && splits.size() == sharedSplits.size() && ownNow.size() == ownSplits.size()) {
            return;
        }
        idsStale = false;
        sharedSplits = splits;
        ownSplits = ownNow;
        fromById = new long[splits.size()];
        catchingUpById = new boolean[splits.size()];
        Map<String, Integer> ids = new HashMap<>();
        for (Split split : splits) {
            ids.put(split.name(), split.id());
            fromById[split.id()] = from.getOrDefault(split.name(), Long.MIN_VALUE);
            catchingUpById[split.id()] = catchingUp.containsKey(split.name());
        }
        ownToShared = new int[ownNow.size()];
        Arrays.fill(ownToShared, -1);
        for (Split split : ownNow) {
            ownToShared[split.id()] = ids.getOrDefault(split.name(), -1);
        }
    }

    private int[] selection(int rows) {
        if (selection.length < rows) {
            selection = new int[Math.max(rows, selection.length * 2)];
        }
        return selection;
    }

    /** The splits as the query has read them; one it still catches up on is not finished, whatever the shared reader says. */
    @Override
    public List<Split> splits() {
        if (shared == null) {
            return List.of();
        }
        List<Split> splits = shared.splits(this, lastSharedSplits);
        if (catchingUp.isEmpty()) {
            return splits;
        }
        List<Split> adjusted = new ArrayList<>(splits.size());
        for (Split split : splits) {
            adjusted.add(split.finished() && catchingUp.containsKey(split.name()) ? new Split(split.id(), split.name(), false) : split);
        }
        return adjusted;
    }

    @Override
    public boolean splitsKnown() {
        return shared != null && shared.splitsKnown(this, lastSharedSplits);
    }

    @Override
    public List<Split> knownSplits() {
        return shared == null ? List.of() : shared.splits();
    }

    @Override
    public OptionalLong lag() {
        if (shared == null) {
            return OptionalLong.empty();
        }
        OptionalLong lag = shared.lag(this);
        OptionalLong behind = own == null ? OptionalLong.of(0) : own.lag();
        return lag.isPresent() && behind.isPresent() ? OptionalLong.of(lag.getAsLong() + behind.getAsLong()) : lag;
    }

    @Override
    public boolean isFinished() {
        return shared != null && own == null && shared.isFinished(this);
    }

    @Override
    public boolean startAt(SplitOffsets offsets) {
        if (shared != null) {
            throw new IllegalStateException("the input already started");
        }
        restoredStart = requireNonNull(offsets, "offsets is null");
        return true;
    }

    /** Per split, how far the query got: on its own reader while catching up, else in the shared one. */
    @Override
    public Optional<SplitOffsets> position() {
        if (shared == null) {
            return Optional.ofNullable(restoredStart);
        }
        SplitOffsets sharedAt = shared.position(this, lastShared);
        SplitOffsets ownAt = own == null ? null : own.offsets();
        Map<String, Long> offsets = new LinkedHashMap<>();
        for (String split : splitNames) {
            if (catchingUp.containsKey(split)) {
                ownAt.get(split).ifPresent(at -> offsets.put(split, at));
            } else {
                long at = Math.max(from.get(split), sharedAt.get(split).orElse(Long.MIN_VALUE));
                offsets.put(split, at);
            }
        }
        // splits the shared reader found after the query joined (new files of a watched directory): taken from their start
        sharedAt.forEach((split, at) -> offsets.putIfAbsent(split, at));
        return Optional.of(SplitOffsets.of(offsets));
    }

    /** Records, per split, how far the query got, in its consumer's name. */
    @Override
    public void commit() {
        if (shared == null || closed) {
            return;
        }
        commitAt(position().orElseThrow());
    }

    @Override
    public void commitAt(SplitOffsets position) {
        if (shared == null || closed) {
            return;
        }
        if (!position.equals(lastCommitted)) {
            shared.commit(consumerId, position);
            lastCommitted = position;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (own != null) {
                own.close();
            }
        } finally {
            if (shared != null) {
                shared.leave(this);
            }
        }
    }
}

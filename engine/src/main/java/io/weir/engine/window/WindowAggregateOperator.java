package io.weir.engine.window;

import io.weir.engine.latency.ResultArrivals;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowKind;
import io.weir.engine.state.GroupTable;
import io.weir.engine.state.IncrementalState;
import io.weir.engine.state.KeyedSnapshot;
import io.weir.engine.state.KeyGroupRange;
import io.weir.engine.state.KeyGroupSections;
import io.weir.engine.state.SnapshotFormat;
import io.weir.engine.state.StateBytes;
import io.weir.engine.state.StateReader;
import io.weir.engine.state.StateWriter;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.batch.LongVector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * TUMBLE, HOP and CUMULATE aggregation. Each open window (identified by its end, which determines its
 * start for these kinds) has a {@link GroupTable} from key to accumulator slot; a fired window's table
 * and slots are dropped. A row is added to each of its windows that has not fired (as Flink does for
 * late rows of hopping and cumulating windows); a row whose windows have all fired is late.
 *
 * <p>Windows are aligned to the epoch plus the offset: TUMBLE {@code [k*size, (k+1)*size)}, HOP every
 * {@code slide} of length {@code size}, CUMULATE {@code [k*size, k*size + j*step)} for
 * {@code j = 1..size/step}. WINDOWED takes each row's window from its start and end columns.
 *
 * <p>HOP windows share slices (Flink's slice-shared windows): the state is kept per slice of
 * {@code gcd(size, slide)} and a row is added to its one slice, not to each of its {@code size/slide}
 * windows; a window's groups are merged from its slices when it fires. That makes adding a row and a
 * checkpoint's delta {@code size/slide} times smaller. Views that emit open windows keep a table per
 * window, since they need every open window's current value after each batch.
 *
 * <p>With allowed lateness, a fired window stays in {@link #windows} (with its groups, and before the open
 * windows since it ends first) until the progress passes its end plus the lateness; HOP windows are then
 * not sliced, since a fired window's slices would have to be kept apart from the open windows'.
 */
public final class WindowAggregateOperator extends WindowAggregationBase implements IncrementalState {
    private final WindowKind kind;
    private final long size;
    private final long slide;
    private final long offset;
    private final int windowsPerRow;
    /** Whether {@link #windows} holds HOP slices of {@link #sliceMillis} instead of windows. */
    private final boolean sliced;
    private final long sliceMillis;
    /** Open windows, or slices when {@link #sliced}, by end. */
    private final TreeMap<Long, Window> windows = new TreeMap<>();
    private Window cached;
    private int expectedKeys = 16;
    private int[] rowSlots = new int[0];
    private long[] rowTimes = new long[0];
    private boolean[] rowSkipped = new boolean[0];
    /** Ends of the windows fired since the last checkpoint snapshot: a delta removes their groups. */
    private final List<Long> firedSinceCheckpoint = new ArrayList<>();
    /** Reused by every checkpoint snapshot (see KeyGroupSections.Buffers). */
    private final KeyGroupSections.Buffers checkpointBuffers = new KeyGroupSections.Buffers();

    /** One open window: its bounds and its groups. */
    private static final class Window {
        final long start;
        final long end;
        final GroupTable groups;
        Batch bound;

        Window(long start, long end, GroupTable groups) {
            this.start = start;
            this.end = end;
            this.groups = groups;
        }
    }

    WindowAggregateOperator(WindowAggregate plan) {
        this(plan, true);
    }

    /** {@code slices}: whether HOP windows may share slices (false: a table per window, to test one against the other). */
    WindowAggregateOperator(WindowAggregate plan, boolean slices) {
        super(plan);
        this.kind = spec.kind();
        if (kind == WindowKind.SESSION) {
            throw new IllegalArgumentException("sessions are aggregated by SessionWindowAggregateOperator");
        }
        this.size = spec.sizeMillis();
        this.slide = spec.slideMillis();
        this.offset = spec.offsetMillis();
        this.sliced = slices && kind == WindowKind.HOP && !emitOpenWindows && allowedLatenessMillis == 0;
        this.sliceMillis = sliced ? gcd(size, slide) : 0;
        this.windowsPerRow = switch (kind) {
            case TUMBLE, WINDOWED -> 1;
            case HOP -> sliced ? 1 : (int) ((size + slide - 1) / slide);
            case CUMULATE -> (int) (size / slide);
            case SESSION -> throw new AssertionError();
        };
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long remainder = a % b;
            a = b;
            b = remainder;
        }
        return a;
    }

    @Override
    protected String stateLayoutDetail() {
        return sliced ? " slices=" + sliceMillis : "";
    }

    @Override
    public void addInput(Batch batch) {
        int rows = batch.rowCount();
        if (rows == 0) {
            return;
        }
        if (rowSlots.length < rows) {
            rowSlots = new int[rows];
            rowTimes = new long[rows];
            rowSkipped = new boolean[rows];
        }
        LongVector times = (LongVector) batch.column(spec.timeColumn());
        long[] values = times.values();
        boolean[] nulls = times.nulls();
        for (int row = 0; row < rows; row++) {
            // rows without a time belong to no window; rows whose last window fired are late
            boolean skip = nulls[row];
            if (!skip) {
                long ts = values[row];
                rowTimes[row] = ts;
                if (hasExpired(lastWindowEnd(ts))) {
                    late(batch, row, ts);
                    skip = true;
                } else if (sliced && ts - alignedStart(ts, slide) >= size) {
                    skip = true; // between windows (slide longer than size): in no window, and not late
                }
            }
            rowSkipped[row] = skip;
        }
        holdArrivals(batch, rows);
        bindAccumulators(batch);
        for (int pass = 0; pass < windowsPerRow; pass++) {
            for (int row = 0; row < rows; row++) {
                rowSlots[row] = rowSkipped[row] ? -1 : slotFor(batch, row, rowTimes[row], pass);
            }
            for (int i = 0; i < accumulators.length; i++) {
                accumulators[i].addAll(rowSlots, rows);
            }
            if (emitOpenWindows || allowedLatenessMillis > 0) {
                markChanged(rowSlots, rows);
            }
            markDirty(rowSlots, rows);
        }
    }

    /**
     * Holds the batch's arrival for each row taken in until the first window its result comes with fires, counting
     * runs of rows with the same such window (rows of a chunk mostly share it) to stay cheap per row.
     */
    private void holdArrivals(Batch batch, int rows) {
        long arrival = batch.arrivalNanos();
        if (arrival == Batch.ARRIVAL_UNKNOWN || batchArrivals == ResultArrivals.IGNORED) {
            return;
        }
        long runThreshold = 0;
        long runRows = 0;
        // rows of one unit (a TUMBLE window, a HOP or CUMULATE slide) share their first window: a row in the
        // unit of the row before it needs two comparisons, not the window's arithmetic
        long unit = kind == WindowKind.TUMBLE ? size : slide;
        long unitStart = Long.MAX_VALUE;
        long unitEnd = Long.MIN_VALUE;
        for (int row = 0; row < rows; row++) {
            if (rowSkipped[row]) {
                continue;
            }
            long ts = rowTimes[row];
            if (ts >= unitStart && ts < unitEnd) {
                runRows++;
                continue;
            }
            long threshold = fireTime(firstResultWindowEnd(ts));
            if (kind != WindowKind.WINDOWED) {
                unitStart = alignedStart(ts, unit);
                unitEnd = unitStart + unit;
            }
            if (runRows > 0 && threshold != runThreshold) {
                arrivals.hold(runThreshold, arrival, runRows);
                runRows = 0;
            }
            runThreshold = threshold;
            runRows++;
        }
        if (runRows > 0) {
            arrivals.hold(runThreshold, arrival, runRows);
        }
    }

    /**
     * The end of the first window a row at {@code ts} is emitted with: the earliest-ending one of its windows that
     * is still kept (a fired one kept for late rows emits a correction this batch: its fire time is past).
     */
    private long firstResultWindowEnd(long ts) {
        switch (kind) {
            case TUMBLE, WINDOWED -> {
                return lastWindowEnd(ts);
            }
            case HOP -> {
                long last = lastWindowEnd(ts);
                long end = last - ((last - ts - 1) / slide) * slide;
                while (end < last && hasExpired(end)) {
                    end += slide;
                }
                return end;
            }
            case CUMULATE -> {
                long start = alignedStart(ts, size);
                long end = start + ((ts - start) / slide + 1) * slide;
                while (end < start + size && hasExpired(end)) {
                    end = Math.min(end + slide, start + size);
                }
                return end;
            }
            default -> throw new AssertionError();
        }
    }

    private long alignedStart(long ts, long unit) {
        return ts - Math.floorMod(ts - offset, unit);
    }

    private long lastWindowEnd(long ts) {
        return switch (kind) {
            case TUMBLE, CUMULATE -> alignedStart(ts, size) + size;
            case HOP -> alignedStart(ts, slide) + size;
            case WINDOWED -> ts; // the time column is the window's end
            case SESSION -> throw new AssertionError();
        };
    }

    /** The slot of the row's group in its {@code pass}-th window, or -1 when there is no such window or it fired. */
    private int slotFor(Batch batch, int row, long ts, int pass) {
        long start;
        long end;
        switch (kind) {
            case TUMBLE -> {
                start = alignedStart(ts, size);
                end = start + size;
            }
            case HOP -> {
                if (sliced) { // the row's slice: addInput has checked that a window of it is open
                    start = alignedStart(ts, sliceMillis);
                    return slotIn(window(start, start + sliceMillis), batch, row);
                }
                start = alignedStart(ts, slide) - (long) pass * slide;
                end = start + size;
                if (end <= ts) {
                    return -1;
                }
            }
            case CUMULATE -> {
                start = alignedStart(ts, size);
                long firstStep = (ts - start) / slide + 1;
                long step = firstStep + pass;
                if (step * slide > size) {
                    return -1;
                }
                end = start + step * slide;
            }
            case WINDOWED -> {
                LongVector starts = (LongVector) batch.column(spec.startColumn());
                if (starts.isNull(row)) {
                    return -1;
                }
                start = starts.values()[row];
                end = ts;
            }
            default -> throw new AssertionError();
        }
        if (hasExpired(end)) {
            return -1;
        }
        return slotIn(window(start, end), batch, row);
    }

    private int slotIn(Window window, Batch batch, int row) {
        if (window.bound != batch) {
            window.groups.bind(batch);
            window.bound = batch;
        }
        GroupTable groups = window.groups;
        int entry = groups.findOrInsert(row);
        if (groups.lastInserted()) {
            int slot = newSlot();
            groups.setPayload(entry, slot);
            return slot;
        }
        return groups.payload(entry);
    }

    private Window window(long start, long end) {
        Window window = cached;
        if (window != null && window.end == end) {
            return window;
        }
        window = windows.get(end);
        if (window == null) {
            window = openWindow(start, end);
        }
        cached = window;
        return window;
    }

    /** Kept out of {@link #window}, which runs per row: a new window is rare, and its key table's code is large. */
    private Window openWindow(long start, long end) {
        Window window = new Window(start, end, newKeyTable(expectedKeys));
        windows.put(end, window);
        return window;
    }

    @Override
    protected long earliestFireTime() {
        if (windows.isEmpty()) {
            return Long.MAX_VALUE;
        }
        // with allowed lateness the first window may be a fired one, kept: fire() then frees it when it expires
        return sliced ? fireTime(firstOpenWindowEnd()) : fireTime(windows.firstKey());
    }

    /** The smallest aligned HOP window end at or after {@code atLeast}. */
    private long windowEndFrom(long atLeast) {
        return atLeast + Math.floorMod(offset + size - atLeast, slide);
    }

    /** With slices: the end of the first window that has a slice and has not fired. */
    private long firstOpenWindowEnd() {
        long end = windowEndFrom(windows.firstKey());
        if (progress != Long.MIN_VALUE) {
            // a window has fired once its fire time (end - 1 in event time, else end) is at most the progress
            long firstUnfired = spec.eventTime() ? progress + 2 : progress + 1;
            end = Math.max(end, windowEndFrom(firstUnfired));
        }
        return end;
    }

    @Override
    protected void fire(long target, BatchBuilder out) {
        if (sliced) {
            fireSliced(target, out);
            return;
        }
        if (allowedLatenessMillis > 0) {
            fireKeeping(target, out);
            return;
        }
        Iterator<Map.Entry<Long, Window>> iterator = windows.entrySet().iterator();
        while (iterator.hasNext()) {
            Window window = iterator.next().getValue();
            if (fireTime(window.end) > target) {
                break; // ordered by end
            }
            iterator.remove();
            firedSinceCheckpoint.add(window.end);
            if (cached == window) {
                cached = null;
            }
            emit(window, out);
        }
    }

    /**
     * With allowed lateness: emits each window firing now (fire time after the progress, up to {@code target})
     * and keeps its groups; frees each window whose expiry ({@link #expiryTime}) is up to {@code target}.
     */
    private void fireKeeping(long target, BatchBuilder out) {
        Iterator<Map.Entry<Long, Window>> iterator = windows.entrySet().iterator();
        while (iterator.hasNext()) {
            Window window = iterator.next().getValue();
            long fire = fireTime(window.end);
            if (fire > target) {
                break; // ordered by end
            }
            GroupTable groups = window.groups;
            if (fire > progress) {
                expectedKeys = Math.max(16, groups.size());
                for (int entry : groups.sortedEntries()) {
                    int slot = groups.payload(entry);
                    takeChanged(slot);
                    writeRow(out, groups, entry, window.start, window.end, slot);
                }
            }
            if (expiryTime(window.end) <= target) {
                iterator.remove();
                firedSinceCheckpoint.add(window.end);
                if (cached == window) {
                    cached = null;
                }
                for (int entry = 0; entry < groups.size(); entry++) {
                    freeSlot(groups.payload(entry));
                }
            }
        }
    }

    @Override
    protected void emitCorrections(BatchBuilder out) {
        for (Window window : windows.values()) {
            if (!hasFired(window.end)) {
                break; // ordered by end: the rest are open
            }
            GroupTable groups = window.groups;
            for (int entry : groups.sortedEntries()) {
                int slot = groups.payload(entry);
                if (takeChanged(slot)) {
                    writeRow(out, groups, entry, window.start, window.end, slot);
                }
            }
        }
    }

    /** The windows that have not fired (with allowed lateness, the fired ones kept come first in {@link #windows}). */
    private java.util.NavigableMap<Long, Window> unfiredWindows() {
        if (allowedLatenessMillis == 0 || progress == Long.MIN_VALUE) {
            return windows;
        }
        if (progress == Long.MAX_VALUE) {
            return java.util.Collections.emptyNavigableMap(); // finished: all fired
        }
        // fireTime(end) > progress: end > progress + 1 in event time
        return windows.tailMap(spec.eventTime() ? progress + 1 : progress, false);
    }

    /** Fired windows whose groups are kept for late rows (allowed lateness), for tests. */
    public int keptWindows() {
        return windows.size() - unfiredWindows().size();
    }

    @Override
    protected void emitChangedOpenWindows(long target, BatchBuilder out) {
        for (Window window : windows.values()) {
            if (fireTime(window.end) <= target) {
                // fires in this batch: emitted as final; its marks are cleared when its slots are freed
                continue;
            }
            GroupTable groups = window.groups;
            for (int entry : groups.sortedEntries()) {
                int slot = groups.payload(entry);
                if (takeChanged(slot)) {
                    writeRow(out, groups, entry, window.start, window.end, slot);
                }
            }
        }
    }

    /**
     * Fires, in order, each window with a slice and a fire time up to {@code target}: its groups are
     * the merge of its slices'. Slices in no later window are dropped; the first of them takes the
     * merge (its slots are reused), else a new table does.
     */
    private void fireSliced(long target, BatchBuilder out) {
        if (windows.isEmpty()) {
            return;
        }
        long end = firstOpenWindowEnd();
        while (fireTime(end) <= target) {
            long start = end - size;
            long dropThrough = end + slide - size; // slices ending here or before are in no later window
            java.util.NavigableMap<Long, Window> inWindow = windows.subMap(start, false, end, true);
            if (!inWindow.isEmpty()) {
                Window first = inWindow.firstEntry().getValue();
                GroupTable merged = first.end <= dropThrough ? first.groups : newKeyTable(expectedKeys);
                for (Window slice : inWindow.values()) {
                    if (slice.groups != merged) {
                        mergeInto(merged, slice.groups, slice.end <= dropThrough);
                    }
                }
                emit(merged, start, end, out);
            }
            java.util.NavigableMap<Long, Window> dropped = windows.headMap(dropThrough, true);
            for (Window slice : dropped.values()) {
                GroupTable groups = slice.groups;
                for (int entry = 0; entry < groups.size(); entry++) {
                    int slot = groups.payload(entry);
                    if (slot >= 0) {
                        freeSlot(slot);
                    }
                }
                firedSinceCheckpoint.add(slice.end);
                if (cached == slice) {
                    cached = null;
                }
            }
            dropped.clear();
            if (windows.isEmpty()) {
                return;
            }
            end = Math.max(end + slide, windowEndFrom(windows.firstKey()));
        }
    }

    /**
     * Adds each group of {@code from} into {@code into}. A group of a slice about to be dropped
     * ({@code take}) that {@code into} lacks moves there with its slot (marked -1 in {@code from}).
     */
    private void mergeInto(GroupTable into, GroupTable from, boolean take) {
        for (int entry = 0; entry < from.size(); entry++) {
            int source = from.payload(entry);
            int found = into.findOrInsertKeyOf(from, entry);
            if (!into.lastInserted()) {
                mergeSlot(into.payload(found), source);
            } else if (take) {
                into.setPayload(found, source);
                from.setPayload(entry, -1);
            } else {
                int slot = newSlot();
                into.setPayload(found, slot);
                mergeSlot(slot, source);
            }
        }
    }

    private void mergeSlot(int target, int source) {
        for (int i = 0; i < accumulators.length; i++) {
            accumulators[i].merge(target, source);
        }
    }

    /** Emits a window's groups, in key order, and frees their slots (marking them -1 in the table). */
    private void emit(GroupTable groups, long start, long end, BatchBuilder out) {
        int count = groups.size();
        // size the next tables like this one, which saves rehashing as they fill
        expectedKeys = Math.max(16, count);
        for (int entry : groups.sortedEntries()) {
            int slot = groups.payload(entry);
            writeRow(out, groups, entry, start, end, slot);
            freeSlot(slot);
            groups.setPayload(entry, -1);
        }
    }

    private void emit(Window window, BatchBuilder out) {
        emit(window.groups, window.start, window.end, out);
    }

    /** Open windows, or with HOP the slices held (for tests). */
    public int openWindows() {
        return unfiredWindows().size();
    }

    /** With slices: the windows from the first unfired one to the last one a held slice belongs to. */
    @Override
    public long openWindowCount() {
        if (windows.isEmpty()) {
            return 0;
        }
        if (!sliced) {
            return unfiredWindows().size();
        }
        long first = firstOpenWindowEnd();
        // the last window holding the newest slice [end - sliceMillis, end) ends at most end - sliceMillis + size, aligned
        long last = windowEndFrom(windows.lastKey() - sliceMillis + size - slide + 1);
        return last < first ? 0 : (last - first) / slide + 1;
    }

    @Override
    public long oldestOpenWindowEnd() {
        return sliced ? firstOpenWindowEnd() : unfiredWindows().firstKey();
    }

    @Override
    public long estimatedStateBytes() {
        long bytes = 0;
        for (Window window : windows.values()) {
            bytes += 64 + window.groups.estimatedBytes();
        }
        return bytes + (long) slots.capacity() * accumulatorBytesPerGroup();
    }

    @Override
    protected void clearState() {
        windows.clear();
        cached = null;
        slots.clear();
    }

    @Override
    protected String snapshotKind() {
        return "window aggregate";
    }

    // ---- snapshots: keyed (KeyedSnapshot), so that checkpoints can hold only the groups written since the last one

    @Override
    public byte[] snapshot() {
        return writeSnapshot(false, new KeyGroupSections.Buffers()).toByteArray();
    }

    @Override
    public StateBytes checkpointSnapshot(boolean full) {
        StateBytes snapshot = writeSnapshot(!full, checkpointBuffers);
        clearDirty();
        firedSinceCheckpoint.clear();
        return snapshot;
    }

    /**
     * The header holds the progress and the open windows' bounds; an entry's key is its window's end and
     * its group key, its value the group's state. A delta holds the groups written since the last
     * checkpoint snapshot and removes the windows fired since (by the prefix of their entries' keys).
     */
    private StateBytes writeSnapshot(boolean delta, KeyGroupSections.Buffers buffers) {
        checkOutputTaken();
        Window[] open = windows.values().toArray(new Window[0]);
        int total = 0;
        for (Window window : open) {
            total += window.groups.size();
        }
        int[] keyGroups = new int[total];
        int[] windowOf = new int[total];
        int[] entryOf = new int[total];
        int count = 0;
        for (int w = 0; w < open.length; w++) {
            GroupTable groups = open[w].groups;
            for (int entry = 0; entry < groups.size(); entry++) {
                if (delta && !isDirty(groups.payload(entry))) {
                    continue;
                }
                keyGroups[count] = groups.keyGroup(entry);
                windowOf[count] = w;
                entryOf[count++] = entry;
            }
        }
        List<byte[]> removed = null;
        if (delta) {
            removed = new ArrayList<>(firedSinceCheckpoint.size());
            for (long end : firedSinceCheckpoint) {
                StateWriter prefix = new StateWriter(8);
                prefix.writeLong(end);
                removed.add(prefix.toByteArray());
            }
        }
        int expected = (int) Math.min(Integer.MAX_VALUE / 2, 256 + 16L * open.length + (long) count * (22 + accumulatorBytesPerGroup()));
        return KeyedSnapshot.write(snapshotKind(), stateLayout(), expected, out -> {
            writeProgress(out);
            out.writeInt(open.length);
            for (Window window : open) {
                out.writeLong(window.start);
                out.writeLong(window.end);
            }
        }, removed, keyGroups, count, (g, out) -> {
            out.writeLong(open[windowOf[g]].end);
            open[windowOf[g]].groups.writeKey(entryOf[g], out);
        }, (g, out) -> writeGroupState(out, open[windowOf[g]].groups.payload(entryOf[g])), null, buffers);
    }

    @Override
    public void restore(byte[] snapshot, KeyGroupRange keyGroups) {
        requireNonNull(keyGroups, "keyGroups is null");
        Map<Long, Long> startByEnd = new HashMap<>();
        KeyedSnapshot.read(snapshot, snapshotKind(), stateLayout(), keyGroups, in -> {
            clearAndReadProgress(in, keyGroups);
            firedSinceCheckpoint.clear();
            int count = in.readCount();
            for (int w = 0; w < count; w++) {
                long start = in.readLong();
                startByEnd.put(in.readLong(), start);
            }
        }, new KeyedSnapshot.EntryReader() {
            @Override
            public int readKey(int keyGroup, StateReader in) {
                long end = in.readLong();
                Long start = startByEnd.get(end);
                if (start == null) {
                    throw new SnapshotFormat.CorruptSnapshotException("a group of window end " + end + ", which is not open");
                }
                Window window = window(start, end);
                int entry = window.groups.readKey(in);
                KeyGroupSections.checkKeyGroup(keyGroup, window.groups.keyGroup(entry));
                if (entry != window.groups.size() - 1) {
                    throw new SnapshotFormat.CorruptSnapshotException("a group written twice");
                }
                int slot = newSlot();
                window.groups.setPayload(entry, slot);
                return slot;
            }

            @Override
            public void readValue(int slot, StateReader in) {
                readGroupState(in, slot);
            }
        });
    }

    /** The first instance's progress (all have the same), the late rows summed, every instance's open windows. */
    @Override
    public StateBytes combine(List<StateBytes> snapshots) {
        return KeyedSnapshot.combine(snapshots, (headers, out) -> {
            combineProgress(headers, out);
            TreeMap<Long, Long> startByEnd = new TreeMap<>();
            for (StateReader in : headers) {
                int count = in.readCount();
                for (int w = 0; w < count; w++) {
                    long start = in.readLong();
                    startByEnd.put(in.readLong(), start);
                }
            }
            out.writeInt(startByEnd.size());
            startByEnd.forEach((end, start) -> {
                out.writeLong(start);
                out.writeLong(end);
            });
        });
    }

    @Override
    protected void writeGroups(StateWriter out) {
        throw new UnsupportedOperationException("window aggregates write keyed snapshots");
    }

    @Override
    protected void readGroups(StateReader in, KeyGroupRange keyGroups) {
        throw new UnsupportedOperationException("window aggregates read keyed snapshots");
    }
}

package io.weir.engine.window;

import io.weir.engine.aggregate.Accumulator;
import io.weir.engine.latency.ArrivalRuns;
import io.weir.engine.latency.ResultArrivals;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowKind;
import io.weir.engine.state.GroupTable;
import io.weir.engine.state.IntSorter;
import io.weir.engine.state.KeyGroupRange;
import io.weir.engine.state.KeyGroupSections;
import io.weir.engine.state.SnapshotFormat;
import io.weir.engine.state.StateReader;
import io.weir.engine.state.StateWriter;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.batch.LongVector;

import java.util.Arrays;

/**
 * SESSION aggregation with Flink's semantics: per key, each row opens {@code [ts, ts + gap)}; windows
 * that overlap or touch merge (their accumulators merge too); a session ends at its last row + gap.
 * A row whose own window has fired already and that cannot join an open session is late.
 *
 * <p>State: one table from key to the key's open sessions, kept as a list sorted by start (disjoint,
 * non-touching) in struct-of-arrays; a session's id is its accumulator slot.
 */
public final class SessionWindowAggregateOperator extends WindowAggregationBase {
    private static final int COMPACT_MIN_DEAD_KEYS = 1024;

    private final long gap;
    private GroupTable keys;
    /** Per key entry: the first session id + 1, or 0. */
    private long[] sessionStart = new long[64];
    private long[] sessionEnd = new long[64];
    private int[] nextSession = new int[64];
    private int[] sessionKey = new int[64];
    private int liveKeys;
    /** Per session id: the arrivals of its rows (end-to-end latency), released when it fires; null when none. */
    private ArrivalRuns[] sessionArrivals = new ArrivalRuns[64];
    private long minOpenEnd = Long.MAX_VALUE;
    /** The sessions a fire() takes, in a scratch array kept from one call to the next. */
    private int[] fired = new int[64];

    SessionWindowAggregateOperator(WindowAggregate plan) {
        super(plan);
        if (spec.kind() != WindowKind.SESSION) {
            throw new IllegalArgumentException("not a session window: " + spec.kind());
        }
        this.gap = spec.gapMillis();
        this.keys = newKeyTable(16);
    }

    @Override
    public void addInput(Batch batch) {
        int rows = batch.rowCount();
        if (rows == 0) {
            return;
        }
        LongVector times = (LongVector) batch.column(spec.timeColumn());
        long[] values = times.values();
        boolean[] nulls = times.nulls();
        keys.bind(batch);
        bindAccumulators(batch);
        long arrival = batch.arrivalNanos();
        boolean measured = arrival != Batch.ARRIVAL_UNKNOWN && batchArrivals != ResultArrivals.IGNORED;
        for (int row = 0; row < rows; row++) {
            if (nulls[row]) {
                continue; // no time, no session
            }
            int session = assign(keys.findOrInsert(row), values[row]);
            if (session < 0) {
                late(batch, row, values[row]);
                continue;
            }
            if (measured) {
                ArrivalRuns runs = sessionArrivals[session];
                if (runs == null) {
                    runs = new ArrivalRuns();
                    sessionArrivals[session] = runs;
                }
                runs.add(arrival, 1);
            }
            for (Accumulator accumulator : accumulators) {
                accumulator.add(session, row);
            }
        }
    }

    /** The session the row at {@code ts} of key entry {@code entry} joins, or -1 when it is late. */
    private int assign(int entry, long ts) {
        long start = ts;
        long end = ts + gap;
        int target = -1;
        int previous = -1;
        int session = keys.payload(entry) - 1;
        while (session >= 0) {
            int next = nextSession[session];
            if (sessionStart[session] > end) {
                break; // sorted by start: no later session can overlap
            }
            if (sessionEnd[session] >= start) {
                // overlaps or touches [start, end)
                if (target < 0) {
                    target = session;
                    sessionStart[session] = Math.min(sessionStart[session], start);
                    sessionEnd[session] = Math.max(sessionEnd[session], end);
                    previous = session;
                } else {
                    for (Accumulator accumulator : accumulators) {
                        accumulator.merge(target, session);
                    }
                    mergeArrivals(target, session);
                    sessionEnd[target] = Math.max(sessionEnd[target], sessionEnd[session]);
                    nextSession[target] = next;
                    freeSlot(session);
                }
            } else {
                previous = session;
            }
            session = next;
        }
        if (target >= 0) {
            return target;
        }
        if (hasFired(end)) {
            return -1; // late: counted (and routed) by the caller
        }
        int created = newSession(entry, start, end);
        // insert after 'previous' (the last session starting before this one), keeping the list sorted
        if (previous < 0) {
            if (keys.payload(entry) == 0) {
                liveKeys++;
            }
            nextSession[created] = keys.payload(entry) - 1;
            keys.setPayload(entry, created + 1);
        } else {
            nextSession[created] = nextSession[previous];
            nextSession[previous] = created;
        }
        return created;
    }

    /** The rows of {@code merged} now wait for {@code target}'s end. */
    private void mergeArrivals(int target, int merged) {
        ArrivalRuns from = sessionArrivals[merged];
        if (from == null) {
            return;
        }
        sessionArrivals[merged] = null;
        if (sessionArrivals[target] == null) {
            sessionArrivals[target] = from;
        } else {
            sessionArrivals[target].addAll(from);
        }
    }

    private int newSession(int entry, long start, long end) {
        int session = newSlot();
        if (session >= sessionArrivals.length) {
            sessionArrivals = Arrays.copyOf(sessionArrivals, Math.max(session + 1, sessionArrivals.length * 2));
        }
        sessionArrivals[session] = null;
        if (session >= sessionStart.length) {
            int size = Math.max(session + 1, sessionStart.length * 2);
            sessionStart = Arrays.copyOf(sessionStart, size);
            sessionEnd = Arrays.copyOf(sessionEnd, size);
            nextSession = Arrays.copyOf(nextSession, size);
            sessionKey = Arrays.copyOf(sessionKey, size);
        }
        sessionStart[session] = start;
        sessionEnd[session] = end;
        sessionKey[session] = entry;
        nextSession[session] = -1;
        minOpenEnd = Math.min(minOpenEnd, end);
        return session;
    }

    /** Each open session holds one group of accumulators. */
    @Override
    public long openWindowCount() {
        return slots.live();
    }

    @Override
    public long oldestOpenWindowEnd() {
        return minOpenEnd;
    }

    @Override
    protected long earliestFireTime() {
        // a lower bound: session ends only grow
        return minOpenEnd == Long.MAX_VALUE ? Long.MAX_VALUE : fireTime(minOpenEnd);
    }

    @Override
    protected void fire(long target, BatchBuilder out) {
        // three methods, not one: each loop is compiled on its own, rather than the whole of fire() once per loop
        int firedCount = unlinkFired(target);
        IntSorter.sort(fired, firedCount, this::compareSessions);
        writeFired(firedCount, out);
        compactKeys();
    }

    /** Unlinks the sessions whose fire time is at most {@code target} into {@link #fired}; their number. */
    private int unlinkFired(long target) {
        int firedCount = 0;
        long newMin = Long.MAX_VALUE;
        for (int entry = 0; entry < keys.size(); entry++) {
            int previous = -1;
            int session = keys.payload(entry) - 1;
            boolean hadSessions = session >= 0;
            while (session >= 0) {
                int next = nextSession[session];
                if (fireTime(sessionEnd[session]) <= target) {
                    if (firedCount == fired.length) {
                        fired = Arrays.copyOf(fired, firedCount * 2);
                    }
                    fired[firedCount++] = session;
                    if (previous < 0) {
                        keys.setPayload(entry, next + 1);
                    } else {
                        nextSession[previous] = next;
                    }
                } else {
                    newMin = Math.min(newMin, sessionEnd[session]);
                    previous = session;
                }
                session = next;
            }
            if (hadSessions && keys.payload(entry) == 0) {
                liveKeys--;
            }
        }
        minOpenEnd = newMin;
        return firedCount;
    }

    /** Writes the first {@code firedCount} sessions of {@link #fired}, in order, and frees their slots. */
    private void writeFired(int firedCount, BatchBuilder out) {
        for (int i = 0; i < firedCount; i++) {
            int session = fired[i];
            writeRow(out, keys, sessionKey[session], sessionStart[session], sessionEnd[session], session);
            ArrivalRuns runs = sessionArrivals[session];
            if (runs != null) {
                runs.releaseInto(batchArrivals); // the session's rows have their first result now
                sessionArrivals[session] = null;
            }
            freeSlot(session);
        }
    }

    private int compareSessions(int left, int right) {
        int byEnd = Long.compare(sessionEnd[left], sessionEnd[right]);
        if (byEnd != 0) {
            return byEnd;
        }
        int byStart = Long.compare(sessionStart[left], sessionStart[right]);
        return byStart != 0 ? byStart : keys.compareKeys(sessionKey[left], sessionKey[right]);
    }

    /** Rebuilds the key table without keys that have no open session, once they are the majority. */
    private void compactKeys() {
        int dead = keys.size() - liveKeys;
        if (dead < COMPACT_MIN_DEAD_KEYS || dead <= liveKeys) {
            return;
        }
        GroupTable compacted = keys.newEmpty(liveKeys);
        for (int entry = 0; entry < keys.size(); entry++) {
            int head = keys.payload(entry) - 1;
            if (head < 0) {
                continue;
            }
            int newEntry = compacted.insertKey(keys.key(entry));
            compacted.setPayload(newEntry, head + 1);
            for (int session = head; session >= 0; session = nextSession[session]) {
                sessionKey[session] = newEntry;
            }
        }
        keys = compacted;
    }

    /** Open sessions (for tests and statistics). */
    public int openSessions() {
        return slots.live();
    }

    /** Keys in the key table, including ones without open sessions not compacted away yet. */
    public int keyTableSize() {
        return keys.size();
    }

    @Override
    public long estimatedStateBytes() {
        return keys.estimatedBytes() + (long) slots.capacity() * (28 + accumulatorBytesPerGroup());
    }

    @Override
    protected void clearState() {
        keys = newKeyTable(16);
        slots.clear();
        Arrays.fill(sessionArrivals, null); // restored sessions' rows count from no arrival
        liveKeys = 0;
        minOpenEnd = Long.MAX_VALUE;
    }

    @Override
    protected String snapshotKind() {
        return "session window aggregate";
    }

    /** Each key with open sessions: the key, its session count, then per session (by start) bounds and state. */
    @Override
    protected void writeGroups(StateWriter out) {
        int[] withSessions = new int[liveKeys];
        int[] keyGroups = new int[liveKeys];
        int count = 0;
        for (int entry = 0; entry < keys.size(); entry++) {
            if (keys.payload(entry) != 0) {
                withSessions[count] = entry;
                keyGroups[count++] = keys.keyGroup(entry);
            }
        }
        if (count != liveKeys) {
            throw new IllegalStateException(count + " keys with sessions, " + liveKeys + " counted");
        }
        KeyGroupSections.write(out, keyGroups, count, (i, entryOut) -> {
            int entry = withSessions[i];
            keys.writeKey(entry, entryOut);
            int sessions = 0;
            for (int session = keys.payload(entry) - 1; session >= 0; session = nextSession[session]) {
                sessions++;
            }
            entryOut.writeInt(sessions);
            for (int session = keys.payload(entry) - 1; session >= 0; session = nextSession[session]) {
                entryOut.writeLong(sessionStart[session]);
                entryOut.writeLong(sessionEnd[session]);
                writeGroupState(entryOut, session);
            }
        });
    }

    @Override
    protected void readGroups(StateReader in, KeyGroupRange keyGroups) {
        KeyGroupSections.read(in, keyGroups, (keyGroup, entryIn) -> {
            int entry = keys.readKey(entryIn);
            KeyGroupSections.checkKeyGroup(keyGroup, keys.keyGroup(entry));
            if (keys.payload(entry) != 0) {
                throw new SnapshotFormat.CorruptSnapshotException("a key's sessions written twice");
            }
            int sessions = entryIn.readCount();
            int last = -1;
            for (int i = 0; i < sessions; i++) {
                int created = newSession(entry, entryIn.readLong(), entryIn.readLong());
                // written in start order: append at the tail
                if (last < 0) {
                    keys.setPayload(entry, created + 1);
                    liveKeys++;
                } else {
                    nextSession[last] = created;
                }
                last = created;
                readGroupState(entryIn, created);
            }
        });
    }
}

package io.weir.engine.checkpoint;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.PreparedCommit;
import io.weir.spi.connector.SinkWriter;
import io.weir.engine.state.KeyedSnapshot;
import io.weir.engine.state.StateBytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Takes a query's checkpoints and restores the newest usable one when it starts. The query's thread
 * calls {@link #recover} once before its first micro-batch and {@link #afterBatch} after every one.
 *
 * <p>A checkpoint, when due: the sink prepares its output ({@link SinkWriter#prepareCommit}), the state
 * of every operator and source and what the sink prepared are written as a pending checkpoint, the sink
 * commits, the checkpoint is marked complete, and only then do the sources commit their positions. A
 * crash anywhere leaves either the previous complete checkpoint or a pending one whose sink output is
 * visible or not; {@link #recover} asks the sink which, and restores the right one.
 *
 * <p>Checkpoints are incremental, but never cost more than full ones: the first after the query starts
 * holds all state; the next ones hold what changed since the one before (deltas of keyed state, see
 * {@link io.weir.engine.state.IncrementalState}), where an operator writes its whole state instead
 * when more than half of its groups changed (a delta would be as big, and a restore would have to
 * merge it); a checkpoint without any delta section is full. Once the deltas since the last full
 * checkpoint add up to more than half of it, the next checkpoint is full, since a restore would read
 * and merge more than a full checkpoint writes. Only a long chain of small deltas
 * ({@value #COMPACT_AFTER_DELTAS}) is compacted into a full checkpoint in the background
 * ({@link CheckpointCompactor}), to keep restores short; should that fall behind, a chain longer than
 * {@value #MAX_CHAIN} is cut by a full checkpoint here. After a failed checkpoint the next one is full,
 * since the failed one's deltas are lost.
 *
 * <p>An I/O error while writing (disk full, permissions) keeps the last good checkpoint, is shown on
 * the query and retried with a back-off; nothing is committed meanwhile. Not thread-safe, except
 * {@link #statistics()}.
 */
public final class QueryCheckpointer {
    private static final Logger LOG = LoggerFactory.getLogger(QueryCheckpointer.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofMinutes(1);
    private static final int RECENT = 10;
    static final int COMPACT_AFTER_DELTAS = 30;
    static final int MAX_CHAIN = 60;

    private final String queryId;
    private final CheckpointStorage storage;
    private final long intervalMillis;
    private final InstantSource clock;
    private final String planFingerprint;
    private final ArrayDeque<CheckpointRecord> recent = new ArrayDeque<>();
    private long nextId = 1;
    private long lastAttemptMillis;
    private long retryAtMillis = Long.MIN_VALUE;
    private Duration retryDelay = FIRST_RETRY;
    private boolean recovered;
    private volatile CheckpointStatistics statistics = CheckpointStatistics.NONE;
    private Optional<Long> restoredFrom = Optional.empty();
    private Optional<String> warning = Optional.empty();
    private final CheckpointCompactor compactor;
    /** The last checkpoint this run completed, which the next delta applies to; 0: the next one is full. */
    private long lastCompleted;
    /** The newest checkpoint known to hold all state, written so or compacted. */
    private long fullUpTo;
    private volatile long compactedUpTo;
    /** Bytes of state of the checkpoint the chain starts from (full or compacted), and its groups. */
    private long baseBytes;
    private long baseRows;
    /** Bytes of the deltas after the base, which a restore reads and merges. */
    private long deltaBytesSinceBase;
    private int deltasSinceCompaction;
    /** The last compaction asked for, and the delta bytes it folds into the base once done (0: none). */
    private long compactionId;
    private long compactionBytes;
    private final BatchPositionLog batchLog;
    /** The checkpoint the offset log's entries follow now (0: none yet). */
    private long logBase;
    /** Logged batches after the restored checkpoint, to replay with their boundaries. */
    private final ArrayDeque<BatchPositions> replay = new ArrayDeque<>();

    /**
     * @param interval time between checkpoints; zero for one after every micro-batch
     * @param planFingerprint identifies the query's operator tree; a checkpoint of another is not restored
     * @param compactor the engine's background compactor
     */
    public QueryCheckpointer(String queryId, CheckpointStorage storage, Duration interval, InstantSource clock, String planFingerprint,
                             CheckpointCompactor compactor) {
        this.compactor = requireNonNull(compactor, "compactor is null");
        this.queryId = requireNonNull(queryId, "queryId is null");
        this.storage = requireNonNull(storage, "storage is null");
        this.intervalMillis = requireNonNull(interval, "interval is null").toMillis();
        if (intervalMillis < 0) {
            throw new IllegalArgumentException("checkpoint interval must not be negative: " + interval);
        }
        this.clock = requireNonNull(clock, "clock is null");
        this.planFingerprint = requireNonNull(planFingerprint, "planFingerprint is null");
        this.batchLog = new BatchPositionLog(storage.directory());
    }

    /**
     * Restores the newest checkpoint whose sink output is visible into {@code query}, and lets the sink
     * discard output after it. Returns the restored checkpoint; empty when the query starts afresh.
     *
     * @throws WeirException when the checkpoints on disk cannot be listed, or belong to another plan
     */
    public Optional<Checkpoint> recover(CheckpointedQuery query, Optional<SinkWriter> sink) {
        requireNonNull(query, "query is null");
        requireNonNull(sink, "sink is null");
        if (recovered) {
            throw new IllegalStateException("already recovered");
        }
        recovered = true;
        lastAttemptMillis = clock.millis(); // the first checkpoint comes one interval after the start
        List<CheckpointStorage.StoredCheckpoint> stored;
        try {
            stored = storage.list();
        } catch (IOException e) {
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "Query " + queryId + ": cannot list its checkpoints in "
                    + storage.directory() + ": " + e + ". Check the data directory's permissions", e);
        }
        if (!stored.isEmpty()) {
            nextId = stored.get(0).id() + 1;
        }
        List<String> problems = new ArrayList<>();
        boolean sinkAsked = false;
        Checkpoint chosen = null;
        for (CheckpointStorage.StoredCheckpoint candidate : stored) {
            CheckpointStorage.ReadCheckpoint read = storage.read(candidate);
            if (read.checkpoint().isEmpty()) {
                String problem = "checkpoint " + candidate.id() + " is unusable (" + read.problem().orElse("?") + ")";
                LOG.warn("Query {}: {} ({}); trying the one before", queryId, problem, candidate.file());
                problems.add(problem);
                continue;
            }
            Checkpoint checkpoint = read.checkpoint().get();
            if (!checkpoint.planFingerprint().equals(planFingerprint)) {
                throw new WeirException(ErrorCode.INTERNAL_ERROR, "Query " + queryId + ": its checkpoint " + checkpoint.id()
                        + " holds the state of another plan than the query has now (Weir or the query's objects changed), so it"
                        + " cannot continue where it was; STOP QUERY and start it again to begin with empty state");
            }
            if (!sinkAsked) {
                sinkAsked = true;
                Optional<PreparedCommit> prepared = checkpoint.section(CheckpointSections.SINK)
                        .map(state -> new PreparedCommit(checkpoint.id(), state));
                boolean visible = sink.map(writer -> writer.recover(prepared)).orElse(true);
                if (!visible) {
                    LOG.info("Query {}: the output of checkpoint {} was never committed; restoring the checkpoint before it",
                            queryId, checkpoint.id());
                    storage.discard(candidate);
                    continue;
                }
            }
            if (!candidate.complete()) {
                try {
                    storage.markComplete(checkpoint.id());
                } catch (IOException e) {
                    LOG.warn("Query {}: cannot mark checkpoint {} complete: {}", queryId, checkpoint.id(), e.toString());
                }
            }
            chosen = checkpoint;
            break;
        }
        if (!sinkAsked) {
            sink.ifPresent(writer -> writer.recover(Optional.empty()));
        }
        if (!problems.isEmpty()) {
            warning = Optional.of(String.join("; ", problems) + (chosen == null ? "; started without state"
                    : "; restored checkpoint " + chosen.id()));
        }
        if (chosen == null) {
            if (!stored.isEmpty()) {
                LOG.warn("Query {}: no usable checkpoint in {}; it starts without state", queryId, storage.directory());
            }
            loadReplay(0);
            publish(Optional.empty());
            return Optional.empty();
        }
        query.restoreState(chosen);
        restoredFrom = Optional.of(chosen.id());
        logBase = chosen.id();
        loadReplay(chosen.batch());
        LOG.info("Query {} restored checkpoint {} (batch {}, {} bytes of state)", queryId, chosen.id(), chosen.batch(),
                chosen.stateBytes());
        publish(Optional.empty());
        return Optional.of(chosen);
    }

    /**
     * The logged batches after {@code restoredBatch}, in order. Batches that read nothing are not
     * logged, so numbers may skip; replayed in order, the batches that read rows keep their boundaries.
     */
    private void loadReplay(long restoredBatch) {
        replay.addAll(BatchPositionLog.readAll(storage.directory()).tailMap(restoredBatch, false).values());
        if (!replay.isEmpty()) {
            LOG.info("Query {} replays {} batches ({} to {}) with the input positions they had before it stopped", queryId,
                    replay.size(), replay.getFirst().batch(), replay.getLast().batch());
        }
    }

    /**
     * The input positions of the next batch that ran before the query stopped, if one is left to
     * replay: the next micro-batch reads up to exactly these positions.
     */
    public Optional<BatchPositions> nextReplay() {
        return Optional.ofNullable(replay.pollFirst());
    }

    /**
     * Records a micro-batch's input positions durably, before its results are flushed. A failure is
     * logged and shown; it costs only the exact replay of this batch after a crash.
     */
    public void logBatch(BatchPositions positions) {
        try {
            batchLog.append(logBase, positions);
        } catch (IOException e) {
            LOG.warn("Query {}: cannot write the input positions of batch {} to its offset log: {}", queryId, positions.batch(),
                    e.toString());
            publish(Optional.of("offset log: " + e.getMessage()));
        }
    }

    /** Closes the offset log. */
    public void close() {
        batchLog.close();
    }

    /**
     * Takes a checkpoint if one is due: {@code interval} since the last attempt, or the retry time of a
     * failed one. {@code commitSources} runs once the checkpoint is complete.
     *
     * @return whether a checkpoint was completed
     * @throws WeirException when the sink cannot prepare or commit (the query fails and recovers)
     */
    public boolean afterBatch(CheckpointedQuery query, Optional<SinkWriter> sink, Runnable commitSources) {
        long now = clock.millis();
        if (now < retryAtMillis || (retryAtMillis == Long.MIN_VALUE && now - lastAttemptMillis < intervalMillis)) {
            return false;
        }
        return checkpoint(query, sink, commitSources);
    }

    /** Takes a checkpoint now (also when the query stops cleanly). */
    public boolean checkpoint(CheckpointedQuery query, Optional<SinkWriter> sink, Runnable commitSources) {
        if (!recovered) {
            throw new IllegalStateException("recover first");
        }
        long started = System.nanoTime();
        long now = clock.millis();
        lastAttemptMillis = now;
        long id = nextId;
        baseCompacted();
        boolean full = lastCompleted == 0 || deltaBytesSinceBase * 2 > baseBytes
                || id - Math.max(fullUpTo, compactedUpTo) > MAX_CHAIN;
        long parent = lastCompleted;
        lastCompleted = 0; // until this one completes: the operators forget what they wrote into it
        Map<String, StateBytes> sections = new LinkedHashMap<>(query.snapshotState(full));
        // operators whose groups mostly changed wrote all their state: with no delta left, the checkpoint is full
        full = full || sections.values().stream().noneMatch(KeyedSnapshot::isDelta);
        long stateBytes = full ? sumOfLengths(sections) : estimatedStateBytes(query.stateRows());
        sink.ifPresent(writer -> sections.put(CheckpointSections.SINK, StateBytes.of(writer.prepareCommit(id, query.sourcePositions()))));
        Checkpoint checkpoint = new Checkpoint(id, query.batches(), now, planFingerprint, sections, full ? 0 : parent);
        long written;
        try {
            written = storage.writePending(checkpoint);
        } catch (IOException | RuntimeException e) {
            failed(id, now, e);
            return false;
        }
        nextId = id + 1;
        sink.ifPresent(writer -> writer.commit(id));
        try {
            storage.markComplete(id);
        } catch (IOException e) {
            // the sink committed: the pending file is restored after a crash, since the sink says its output is visible
            failed(id, now, e);
            return false;
        }
        lastCompleted = id;
        chained(id, full, written, stateBytes, query.stateRows());
        commitSources.run();
        logBase = id;
        pruneBatchLogs();
        retryAtMillis = Long.MIN_VALUE;
        retryDelay = FIRST_RETRY;
        long durationMillis = (System.nanoTime() - started) / 1_000_000;
        recent.addLast(new CheckpointRecord(id, checkpoint.batch(), Instant.ofEpochMilli(clock.millis()), written,
                stateBytes, durationMillis, !full));
        while (recent.size() > RECENT) {
            recent.removeFirst();
        }
        publish(Optional.empty());
        LOG.debug("Query {} completed checkpoint {} ({} bytes, {} ms)", queryId, id, written, durationMillis);
        return true;
    }

    /** Counts what the chain since its base holds; asks for a compaction of a long chain of small deltas. */
    private void chained(long id, boolean full, long written, long stateBytes, long stateRows) {
        if (full) {
            fullUpTo = id;
            baseBytes = stateBytes;
            baseRows = stateRows;
            deltaBytesSinceBase = 0;
            deltasSinceCompaction = 0;
            compactionId = 0;
            return;
        }
        deltaBytesSinceBase += written;
        deltasSinceCompaction++;
        // a chain with more delta bytes than half its base ends with a full checkpoint instead (see checkpoint())
        if (deltasSinceCompaction >= COMPACT_AFTER_DELTAS && compactionId == 0) {
            deltasSinceCompaction = 0;
            compactionId = id;
            compactionBytes = deltaBytesSinceBase;
            compactor.submit(queryId, storage, id, compacted -> compactedUpTo = Math.max(compactedUpTo, compacted));
        }
    }

    /** Once the compaction asked for is done, its checkpoint is the chain's base. */
    private void baseCompacted() {
        if (compactionId != 0 && compactedUpTo >= compactionId) {
            deltaBytesSinceBase = Math.max(0, deltaBytesSinceBase - compactionBytes);
            baseBytes += compactionBytes / 2; // roughly: changed groups replace old ones, new ones add
            compactionId = 0;
        }
    }

    /**
     * The bytes a full checkpoint would hold now, for a delta: the base's per group, times the groups held
     * now (what {@code SHOW QUERIES} shows as state bytes is the state's size, not the delta's).
     */
    private long estimatedStateBytes(long stateRows) {
        if (baseRows <= 0 || stateRows <= 0) {
            return baseBytes;
        }
        return (long) ((double) baseBytes / baseRows * stateRows);
    }

    private static long sumOfLengths(Map<String, StateBytes> sections) {
        long bytes = 0;
        for (StateBytes section : sections.values()) {
            bytes += section.length();
        }
        return bytes;
    }

    /** Keeps the offset logs that follow the checkpoints kept (a restore continues with the batches after one of them). */
    private void pruneBatchLogs() {
        try {
            Set<Long> kept = new HashSet<>();
            kept.add(logBase);
            for (CheckpointStorage.StoredCheckpoint stored : storage.list()) {
                kept.add(stored.id());
            }
            BatchPositionLog.prune(storage.directory(), kept);
        } catch (IOException e) {
            LOG.debug("Query {}: cannot list its checkpoints to prune offset logs: {}", queryId, e.toString());
        }
    }

    private void failed(long id, long now, Exception e) {
        String message = "checkpoint " + id + " failed: " + e.getMessage() + " (" + e.getClass().getSimpleName()
                + "); the last complete checkpoint is kept and nothing is committed until one succeeds; retrying in " + retryDelay;
        LOG.warn("Query {}: {}", queryId, message, e);
        retryAtMillis = now + retryDelay.toMillis();
        retryDelay = retryDelay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retryDelay.multipliedBy(2);
        publish(Optional.of(message));
    }

    private void publish(Optional<String> error) {
        statistics = new CheckpointStatistics(List.copyOf(recent), restoredFrom, warning, error);
    }

    /** Callable from any thread. */
    public CheckpointStatistics statistics() {
        return statistics;
    }
}

package io.weir.spi.wal.feed;

import io.weir.spi.error.SourceCounters;
import io.weir.spi.wal.WalFullException;
import io.weir.spi.wal.WriteAheadLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * A feed's one logging thread ({@link #start}): takes the events its receiving threads queue and appends them
 * to the log in batches (one fsync per batch, not per record), numbering each connection by the log
 * offset of its {@link FeedEvent.Kind#OPENED} event. When the log is full it keeps the batch and
 * retries, showing the pause in {@code sys.source_statistics}: meanwhile the queue fills and the
 * receiving threads block, so that TCP flow control or ZeroMQ's high-water mark slow the senders down
 * and nothing is dropped. {@link #close()} makes it log what is queued and return.
 */
public final class FeedLogWriter {
    private static final Logger LOG = LoggerFactory.getLogger(FeedLogWriter.class);
    private static final int MAX_BATCH = 1024;
    private static final long WAKE_MILLIS = 50;
    private static final long FULL_RETRY_MILLIS = 100;
    private static final long JOIN_MILLIS = 5000;

    private final String describedObject;
    private final WriteAheadLog log;
    private final BlockingQueue<FeedEvent> queue;
    private final SourceCounters counters;
    /** The receiver's connection numbers to the log offsets of their OPENED events. */
    private final Map<Long, Long> openedAt = new HashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopping;
    private Thread thread;

    public FeedLogWriter(String describedObject, WriteAheadLog log, BlockingQueue<FeedEvent> queue, SourceCounters counters) {
        this.describedObject = requireNonNull(describedObject, "describedObject is null");
        this.log = requireNonNull(log, "log is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.counters = requireNonNull(counters, "counters is null");
    }

    /**
     * Starts the thread unless it runs.
     *
     * @param onFailure run on the thread when writing fails (a disk error): stop receiving
     */
    public synchronized void start(String threadName, Runnable onFailure) {
        if (thread != null || stopping) {
            return;
        }
        thread = new Thread(() -> {
            try {
                run();
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
                LOG.error("{}: writing the write-ahead log failed; the stream receives nothing more", describedObject, e);
                onFailure.run();
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** The failure that stopped the thread, if one did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Logs what is queued and stops the thread, waiting (a while) for it. Stop the receiving threads first. */
    public void close() {
        stopping = true;
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running == null) {
            return;
        }
        try {
            running.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (running.isAlive()) {
            LOG.warn("{}: the write-ahead log thread did not stop within {} ms", describedObject, JOIN_MILLIS);
        }
    }

    private void run() {
        List<FeedEvent> events = new ArrayList<>();
        try {
            while (true) {
                FeedEvent first = queue.poll(WAKE_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping) {
                        return;
                    }
                    continue;
                }
                events.add(first);
                queue.drainTo(events, MAX_BATCH - 1);
                if (!append(events)) {
                    LOG.warn("{}: stopped while the write-ahead log was full; {} received events were not logged",
                            describedObject, events.size() + queue.size());
                    return;
                }
                events.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            counters.resumed();
        }
    }

    /** Appends {@code events} in order; false when stopping while the log is full. */
    private boolean append(List<FeedEvent> events) throws InterruptedException {
        List<byte[]> records = new ArrayList<>(events.size());
        for (FeedEvent event : events) {
            if (event.kind() == FeedEvent.Kind.OPENED) {
                // Alone, so that its offset is known before the connection's records are encoded.
                if (!appendAll(records)) {
                    return false;
                }
                records.clear();
                OptionalLong at = appendWhileFull(List.of(event.withConnection(-1).encode()));
                if (at.isEmpty()) {
                    return false;
                }
                openedAt.put(event.connection(), at.getAsLong());
                continue;
            }
            Long connection = event.kind() == FeedEvent.Kind.CLOSED ? openedAt.remove(event.connection())
                    : openedAt.get(event.connection());
            if (connection == null) {
                throw new IllegalStateException(describedObject + ": event of connection " + event.connection()
                        + " before it was opened: " + event.kind());
            }
            records.add(event.withConnection(connection).encode());
        }
        return appendAll(records);
    }

    /**
     * {@link #appendWhileFull}; false when stopping meanwhile. A batch the log refuses is appended in
     * halves, so that one larger than {@code 'wal.max-bytes'} (a small limit) still goes in, as room is made.
     */
    private boolean appendAll(List<byte[]> records) throws InterruptedException {
        if (records.isEmpty()) {
            return true;
        }
        if (records.size() > 1) {
            try {
                log.append(records);
                return true;
            } catch (WalFullException e) {
                int half = records.size() / 2;
                return appendAll(records.subList(0, half)) && appendAll(records.subList(half, records.size()));
            }
        }
        return appendWhileFull(records).isPresent();
    }

    /** Appends, retrying while the log is full; the first record's offset, or empty when stopping meanwhile. */
    private OptionalLong appendWhileFull(List<byte[]> records) throws InterruptedException {
        boolean paused = false;
        while (true) {
            try {
                long first = log.append(records);
                if (paused) {
                    counters.resumed();
                    LOG.info("{}: the write-ahead log has room again; reading resumed", describedObject);
                }
                return OptionalLong.of(first);
            } catch (WalFullException e) {
                if (!paused) {
                    paused = true;
                    counters.paused(WalFullException.PAUSED_REASON);
                    LOG.warn("{}: {}. Reading is paused (the senders are slowed down) until retention frees space",
                            describedObject, e.getMessage());
                }
                if (stopping) {
                    return OptionalLong.empty();
                }
                Thread.sleep(FULL_RETRY_MILLIS);
            }
        }
    }
}

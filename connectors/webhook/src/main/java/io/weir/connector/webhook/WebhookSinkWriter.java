package io.weir.connector.webhook;

import io.weir.spi.connector.SinkCounters;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.PreparedCommit;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.format.RecordEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * Queues encoded rows and lets a background thread send them. {@link #write} blocks while
 * {@code 'queue.max-rows'} rows wait (back-pressure on the query); the sender sends a request as soon
 * as {@code 'batch.max-rows'} rows wait, and the rest when {@link #flush} asks for them, so requests
 * are full except at the end of a micro-batch. After a request fails for good, the rows still queued
 * are dropped (the query fails at the next flush and its sources do not commit, so they are read
 * again on restart) and every later write and flush throws.
 *
 * <p>Delivery is at least once: a checkpoint only flushes, and rows sent after the last checkpoint
 * are sent again when the query replays from it. Every request carries an {@link IdempotencyKeys
 * idempotency key}, numbered from the last checkpoint ({@link #prepareCommit}, {@link #recover}), so
 * receivers can drop repeats. Requests are formed deterministically from the rows: each micro-batch's
 * rows in requests of {@code 'batch.max-rows'} from its start, the rest at its end.
 */
final class WebhookSinkWriter implements SinkWriter {
    private static final Logger log = LoggerFactory.getLogger(WebhookSinkWriter.class);
    /** How long close waits for a request in flight; the sender is interrupted first, so this is rarely reached. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final String owner;
    private final WebhookSettings settings;
    private final RecordEncoder encoder;
    private final IdempotencyKeys keys;
    private final RequestSender sender;
    private final Thread thread;

    private final AtomicLong deliveredRequests = new AtomicLong();
    private final AtomicLong failedRequests = new AtomicLong();
    private final AtomicLong retriedRequests = new AtomicLong();
    /** The sink's counters: request bodies delivered, attempts repeated. */
    private final SinkCounters counters;
    private final AtomicLong deliveredRows = new AtomicLong();

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when rows leave the queue. */
    private final Condition notFull = lock.newCondition();
    /** Signalled when the sender may have something to do: rows, a flush, close. */
    private final Condition work = lock.newCondition();
    /** Signalled when rows are done with (delivered or dropped) or the sender stops. */
    private final Condition progress = lock.newCondition();
    // Guarded by lock. Row counts are cumulative: enqueued >= taken >= completed.
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private long enqueued;
    private long taken;
    private long completed;
    /** The sender sends partial requests until {@code taken} reaches this. */
    private long flushTarget;
    private WeirException failure;
    private boolean closed;
    private boolean senderStopped;

    WebhookSinkWriter(String owner, WebhookSettings settings, RecordEncoder encoder, IdempotencyKeys keys, SinkCounters counters) {
        this.owner = requireNonNull(owner, "owner is null");
        this.counters = requireNonNull(counters, "counters is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.encoder = requireNonNull(encoder, "encoder is null");
        this.keys = requireNonNull(keys, "keys is null");
        this.sender = new RequestSender(settings, retriedRequests, counters);
        this.thread = new Thread(this::runSender, "weir-webhook-sender " + owner);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void write(Batch batch) {
        for (int row = 0; row < batch.rowCount(); row++) {
            byte[] record = encoder.encode(batch, row);
            lock.lock();
            try {
                while (queue.size() >= settings.queueMaxRows() && usable()) {
                    await(notFull);
                }
                checkUsable();
                queue.addLast(record);
                enqueued++;
                if (queue.size() >= settings.batchMaxRows()) {
                    work.signal();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void flush() {
        lock.lock();
        try {
            checkUsable();
            long target = enqueued;
            flushTarget = Math.max(flushTarget, target);
            work.signal();
            while (completed < target && usable()) {
                await(progress);
            }
            checkUsable();
        } finally {
            lock.unlock();
        }
    }

    /** Sends every row written so far; the requests after it are numbered from {@code checkpointId}. */
    @Override
    public byte[] prepareCommit(long checkpointId) {
        flush();
        keys.restartAfter(checkpointId);
        return new byte[0];
    }

    /**
     * Nothing to finish: {@code newest} flushed its rows before it was written. The query replays from
     * it, so the requests that follow are numbered from it, as they were the first time.
     */
    @Override
    public boolean recover(Optional<PreparedCommit> newest) {
        keys.restartAfter(newest.map(PreparedCommit::checkpointId).orElse(0L));
        return true;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            work.signalAll();
            notFull.signalAll();
            progress.signalAll();
        } finally {
            lock.unlock();
        }
        // Interrupting ends a request in flight or a back-off wait at once: rows not flushed may be lost.
        thread.interrupt();
        try {
            thread.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("{}: the webhook sender for {} did not stop within {} ms", owner, settings.displayUrl(),
                    CLOSE_WAIT.toMillis());
        }
    }

    /** Counts of requests so far; for tests and statistics. */
    WebhookStats stats() {
        return new WebhookStats(deliveredRequests.get(), failedRequests.get(), retriedRequests.get(), deliveredRows.get());
    }

    /** Rows waiting in the queue (not yet taken by the sender); for tests. */
    int queuedRows() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the sender thread still runs; for tests. */
    boolean senderRunning() {
        return thread.isAlive();
    }

    // ---- sender thread ---------------------------------------------------------------------------

    private void runSender() {
        try {
            while (true) {
                List<byte[]> rows = takeRows();
                if (rows == null) {
                    return;
                }
                byte[] body = JsonRows.array(rows);
                RequestSender.Outcome outcome = sender.send(body, keys.next(body));
                finish(rows.size(), outcome);
            }
        } catch (InterruptedException e) {
            // close() interrupts: stop quietly, whatever was in flight is given up as close documents.
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // Without this a failed sender would leave flush waiting for ever.
            log.error("{}: the webhook sender for {} stopped unexpectedly", owner, settings.displayUrl(), e);
            fail(new WeirException(ErrorCode.SINK_ERROR, owner + ": sending rows to webhook " + settings.displayUrl()
                    + " failed unexpectedly (" + e + "); see the server log", e));
        } finally {
            lock.lock();
            try {
                senderStopped = true;
                progress.signalAll();
                notFull.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The rows of the next request, waiting until there are enough or a flush wants them; null when closed. */
    private List<byte[]> takeRows() throws InterruptedException {
        lock.lock();
        try {
            while (!closed && !(queue.size() >= settings.batchMaxRows() || (!queue.isEmpty() && taken < flushTarget))) {
                work.await();
            }
            if (closed) {
                return null;
            }
            int count = Math.min(settings.batchMaxRows(), queue.size());
            List<byte[]> rows = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                rows.add(queue.pollFirst());
            }
            taken += count;
            notFull.signalAll();
            return rows;
        } finally {
            lock.unlock();
        }
    }

    private void finish(int rowCount, RequestSender.Outcome outcome) {
        if (outcome instanceof RequestSender.Failed failed) {
            failedRequests.incrementAndGet();
            fail(failure(rowCount, failed));
        } else {
            deliveredRequests.incrementAndGet();
            deliveredRows.addAndGet(rowCount);
        }
        lock.lock();
        try {
            completed += rowCount;
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Records the first failure and drops the queued rows: the query fails at its next write or flush. */
    private void fail(WeirException exception) {
        lock.lock();
        try {
            if (failure == null) {
                failure = exception;
                log.warn("{}", exception.getMessage());
            }
            int dropped = queue.size();
            queue.clear();
            taken += dropped;
            completed += dropped;
            notFull.signalAll();
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private WeirException failure(int rowCount, RequestSender.Failed failed) {
        String request = owner + ": webhook " + settings.method() + " " + settings.displayUrl() + " with " + rowCount
                + (rowCount == 1 ? " row" : " rows");
        String message = failed.retryable()
                ? request + " failed " + failed.attempts() + (failed.attempts() == 1 ? " time" : " times")
                        + ", last with " + failed.problem() + ". Check that the endpoint is up and reachable from the "
                        + "server and that 'url' is right; raise 'retry.max-attempts' or 'retry.max-backoff' to wait longer"
                : request + " was rejected with " + failed.problem() + ". A 4xx answer is not retried: check 'url', "
                        + "the credentials in 'headers.*' and that the endpoint accepts a JSON array of row objects";
        return new WeirException(ErrorCode.SINK_ERROR, message + ". Rows not delivered are sent again when the query "
                + "is restarted", failed.cause());
    }

    // ---- query thread helpers ------------------------------------------------------------------

    private boolean usable() {
        return failure == null && !closed && !senderStopped;
    }

    private void checkUsable() {
        if (failure != null) {
            // A fresh exception, so the stack trace shows this call; the message is the failure's.
            throw new WeirException(ErrorCode.SINK_ERROR, failure.getMessage(), failure.getCause());
        }
        if (closed) {
            throw new IllegalStateException(owner + ": the webhook writer is closed");
        }
        if (senderStopped) {
            throw new WeirException(ErrorCode.SINK_ERROR, owner + ": the webhook sender for " + settings.displayUrl()
                    + " stopped; see the server log");
        }
    }

    private void await(Condition condition) {
        try {
            condition.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeirException(ErrorCode.QUERY_CANCELLED, owner + ": interrupted while waiting for the webhook "
                    + settings.displayUrl());
        }
    }
}

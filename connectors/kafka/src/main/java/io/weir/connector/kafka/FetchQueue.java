package io.weir.connector.kafka;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-off from a {@link KafkaFetcher} to its reader, bounded both in events and in the bytes of
 * the records they hold (keys and values, as the broker sent them): a poll may return thousands of
 * records, so a count of events alone would let a reader that falls behind hold hundreds of
 * megabytes of large records. An event is always taken when the queue is empty, so one poll larger
 * than the byte limit still goes through.
 */
final class FetchQueue {
    private final int maxEvents;
    private final long maxBytes;
    private final ArrayDeque<FetchEvent> events = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition taken = lock.newCondition();
    /** The bytes of the records of the queued events; guarded by {@link #lock}. */
    private long bytes;

    FetchQueue(int maxEvents, long maxBytes) {
        if (maxEvents < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("a fetch queue holds at least one event and one byte: " + maxEvents + ", " + maxBytes);
        }
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    /** Queues the event, waiting up to the timeout while the queue is full; false when it stayed full. */
    boolean offer(FetchEvent event, long timeout, TimeUnit unit) throws InterruptedException {
        long size = bytes(event);
        long waitNanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (!events.isEmpty() && (events.size() >= maxEvents || bytes + size > maxBytes)) {
                if (waitNanos <= 0) {
                    return false;
                }
                waitNanos = taken.awaitNanos(waitNanos);
            }
            events.addLast(event);
            bytes += size;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The next event, or null when there is none; never blocks on a full queue. */
    FetchEvent poll() {
        lock.lock();
        try {
            FetchEvent event = events.pollFirst();
            if (event != null) {
                bytes -= bytes(event);
                taken.signalAll();
            }
            return event;
        } finally {
            lock.unlock();
        }
    }

    /** The next event without taking it, or null. */
    FetchEvent peek() {
        lock.lock();
        try {
            return events.peekFirst();
        } finally {
            lock.unlock();
        }
    }

    void clear() {
        lock.lock();
        try {
            events.clear();
            bytes = 0;
            taken.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The bytes of the records queued now. */
    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    private static long bytes(FetchEvent event) {
        return event instanceof FetchEvent.Records records ? records.bytes() : 0;
    }
}

package io.weir.spi.wal.feed;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.wal.WriteAheadLog;

import java.util.Optional;
import java.util.concurrent.BlockingQueue;

import static java.util.Objects.requireNonNull;

/**
 * A live stream's {@link LogFeed}: a {@link FeedReceiver} puts events on a bounded queue and a
 * {@link FeedLogWriter} appends them to the stream's log. When the log is full the queue fills and the
 * receiver's threads block, so the source's own flow control (TCP, ZeroMQ's high-water mark) slows the
 * senders down.
 */
public final class QueuedLogFeed implements LogFeed {
    private final FeedReceiver receiver;
    private final FeedLogWriter writer;
    private final String threadName;
    private boolean closed;

    /**
     * @param queue where {@code receiver} puts its events
     * @param threadName the name of the thread that appends to the log
     */
    public QueuedLogFeed(ConnectorContext context, FeedReceiver receiver, BlockingQueue<FeedEvent> queue, WriteAheadLog log,
                         String threadName) {
        requireNonNull(context, "context is null");
        this.receiver = requireNonNull(receiver, "receiver is null");
        this.writer = new FeedLogWriter(context.describe(), log, queue, context.errorHandler().counters());
        this.threadName = requireNonNull(threadName, "threadName is null");
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("feed is closed");
        }
        receiver.start();
        writer.start(threadName, receiver::stop);
    }

    @Override
    public Optional<Throwable> failure() {
        return writer.failure().or(receiver::failure);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            receiver.stop();
            writer.close();
        }
    }
}

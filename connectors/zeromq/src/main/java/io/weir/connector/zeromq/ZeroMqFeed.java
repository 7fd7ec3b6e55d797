package io.weir.connector.zeromq;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.wal.WriteAheadLog;
import io.weir.spi.wal.feed.FeedEvent;
import io.weir.spi.wal.feed.FeedLogWriter;
import io.weir.spi.wal.feed.LogFeed;

import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A ZeroMQ stream's one {@link LogFeed}: a {@link ZeroMqReceiver} puts messages on a queue of
 * {@code 'queue.max-records'}, and a {@link FeedLogWriter} appends them to the stream's log. When the
 * log is full the queue fills, the socket thread stops receiving, and ZeroMQ holds messages up to
 * {@code 'receive.high-water-mark'} (beyond it a PUB socket drops them: ZeroMQ's choice, not ours).
 */
final class ZeroMqFeed implements LogFeed {
    private final ConnectorContext context;
    private final ZeroMqReceiver receiver;
    private final FeedLogWriter writer;
    private boolean closed;

    ZeroMqFeed(ConnectorContext context, ZeroMqSettings settings, WriteAheadLog log) {
        this.context = context;
        BlockingQueue<FeedEvent> queue = new ArrayBlockingQueue<>(settings.queueMaxRecords());
        this.receiver = new ZeroMqReceiver(context, settings, queue);
        this.writer = new FeedLogWriter(context.describe(), log, queue, context.errorHandler().counters());
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("feed is closed");
        }
        receiver.start();
        writer.start("weir-zeromq-" + context.objectName() + "-log", receiver::stop);
    }

    @Override
    public Optional<Throwable> failure() {
        return writer.failure().or(receiver::failure);
    }

    /** The socket thread still running; for tests. */
    boolean receiving() {
        return receiver.threadAlive();
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

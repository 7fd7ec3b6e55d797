package io.weir.connector.socket;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.wal.WriteAheadLog;
import io.weir.spi.wal.feed.FeedEvent;
import io.weir.spi.wal.feed.FeedLogWriter;
import io.weir.spi.wal.feed.LogFeed;

import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A socket stream's one {@link LogFeed}: a {@link SocketReceiver} reads the sockets onto a queue of
 * {@code 'queue.capacity'} events, and a {@link FeedLogWriter} appends them to the stream's log.
 * When the log is full the queue fills, the socket threads block, and TCP flow control slows the
 * senders down.
 */
final class SocketFeed implements LogFeed {
    private final ConnectorContext context;
    private final SocketReceiver receiver;
    private final FeedLogWriter writer;
    private boolean closed;

    SocketFeed(ConnectorContext context, SocketSettings settings, WriteAheadLog log) {
        this.context = context;
        BlockingQueue<FeedEvent> queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.receiver = new SocketReceiver(context, settings, queue);
        this.writer = new FeedLogWriter(context.describe(), log, queue, context.errorHandler().counters());
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("feed is closed");
        }
        receiver.start();
        writer.start("weir-socket-" + context.objectName() + "-log", receiver::close);
    }

    @Override
    public Optional<Throwable> failure() {
        return writer.failure().or(receiver::failure);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            receiver.close();
            writer.close();
        }
    }
}

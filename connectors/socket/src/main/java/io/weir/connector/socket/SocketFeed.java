package io.weir.connector.socket;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.wal.WriteAheadLog;
import io.weir.spi.wal.feed.FeedEvent;
import io.weir.spi.wal.feed.FeedLogWriter;
import io.weir.spi.wal.feed.LogFeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A socket stream's one {@link LogFeed}: a {@link SocketReceiver} reads the sockets onto a queue of
 * {@code 'queue.capacity'} events, and a {@link FeedLogWriter} thread appends them to the stream's log.
 * When the log is full the queue fills, the socket threads block, and TCP flow control slows the
 * senders down.
 */
final class SocketFeed implements LogFeed {
    private static final Logger LOG = LoggerFactory.getLogger(SocketFeed.class);
    private static final long JOIN_MILLIS = 5000;

    private final ConnectorContext context;
    private final SocketReceiver receiver;
    private final FeedLogWriter writer;
    private final AtomicReference<Throwable> writerFailure = new AtomicReference<>();
    private Thread writerThread;
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
        if (writerThread == null) {
            writerThread = new Thread(() -> {
                try {
                    writer.run();
                } catch (RuntimeException | Error e) {
                    writerFailure.compareAndSet(null, e);
                    LOG.error("{}: writing the write-ahead log failed; the stream receives nothing more", context.describe(), e);
                    receiver.close();
                }
            }, "weir-socket-" + context.objectName() + "-log");
            writerThread.setDaemon(true);
            writerThread.start();
        }
    }

    @Override
    public Optional<Throwable> failure() {
        Throwable failure = writerFailure.get();
        return failure != null ? Optional.of(failure) : receiver.failure();
    }

    /** The port listened on, once started; for tests with {@code 'port' = '0'}. */
    int localPort() {
        return receiver.localPort();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        receiver.close();
        writer.stop();
        if (writerThread != null) {
            try {
                writerThread.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (writerThread.isAlive()) {
                LOG.warn("{}: the write-ahead log thread did not stop within {} ms", context.describe(), JOIN_MILLIS);
            }
        }
    }
}

package io.weir.connector.socket;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.wal.feed.FeedEvent;
import io.weir.spi.wal.feed.FeedReceiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * The daemon threads that read a socket stream's sockets (one connecting, or one accepting plus one
 * per client) and put what they read on a bounded queue as {@link FeedEvent}s, the connection being
 * the split id (connect mode: 0 for every connection in turn). {@link #close()} closes every socket,
 * which is the only way to wake a thread blocked reading one, and waits for the threads.
 * Thread-safe.
 */
final class SocketReceiver implements FeedReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(SocketReceiver.class);
    private static final AtomicInteger RECEIVER_NUMBERS = new AtomicInteger();
    private static final long JOIN_MILLIS = 2000;

    private final ConnectorContext context;
    private final SocketSettings settings;
    private final BlockingQueue<FeedEvent> queue;
    private final OpenSockets sockets = new OpenSockets();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final String threadPrefix;
    private ServerSocket server;
    private boolean started;

    SocketReceiver(ConnectorContext context, SocketSettings settings, BlockingQueue<FeedEvent> queue) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.threadPrefix = "weir-socket-" + context.objectName() + "-" + RECEIVER_NUMBERS.incrementAndGet() + "-";
    }

    /** Starts the socket threads unless they run; a failure to bind is raised, and the next call retries. */
    @Override
    public synchronized void start() {
        if (started || sockets.isClosed()) {
            return;
        }
        ConnectionReader reader = new ConnectionReader(queue, context::createLineFramer, settings.charset(), settings.maxLineLength());
        if (settings.mode() == SocketMode.CONNECT) {
            startThread("connect", new ReconnectingClient(context.describe(), settings, queue, reader, sockets));
        } else {
            server = bind();
            LOG.info("{}: listening for clients on {}", context.describe(), server.getLocalSocketAddress());
            startThread("accept", new ClientListener(context.describe(), server, settings.maxConnections(), queue, reader,
                    sockets, client -> startThread("client", client)));
        }
        started = true;
    }

    private ServerSocket bind() {
        ServerSocket socket = null;
        try {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(settings.host(), settings.port()));
        } catch (IOException e) {
            if (socket != null) {
                sockets.close(socket);
            }
            throw new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": cannot listen on " + settings.address()
                    + ": " + e.getMessage() + ". Check 'host' and 'port'; another program or another query reading this "
                    + "stream may be using the port", e);
        }
        sockets.add(socket);
        return socket;
    }

    private Thread startThread(String role, Runnable task) {
        Thread thread = new Thread(() -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
                LOG.error("{}: socket thread {} failed", context.describe(), Thread.currentThread().getName(), e);
            } finally {
                threads.remove(Thread.currentThread());
            }
        }, threadPrefix + role);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
        return thread;
    }

    /** A failure of a socket thread, if one failed. */
    @Override
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** The port listened on, once started; for tests with {@code 'port' = '0'}. */
    synchronized int localPort() {
        if (server == null) {
            throw new IllegalStateException("not listening (connect mode, or not started yet)");
        }
        return server.getLocalPort();
    }

    /** The socket threads still running; for tests. */
    int liveThreads() {
        return (int) threads.stream().filter(Thread::isAlive).count();
    }

    /** Closes every socket and waits (a while) for the threads to end. Idempotent. */
    @Override
    public void stop() {
        close();
    }

    void close() {
        sockets.closeAll();
        List<Thread> running = new ArrayList<>(threads);
        running.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
        try {
            for (Thread thread : running) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left > 0) {
                    thread.join(left);
                }
                if (thread.isAlive()) {
                    LOG.warn("{}: socket thread {} did not stop within {} ms", context.describe(), thread.getName(), JOIN_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

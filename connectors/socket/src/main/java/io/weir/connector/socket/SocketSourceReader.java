package io.weir.connector.socket;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.format.RecordDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads a socket stream without ever blocking the polling thread: daemon threads (one connecting, or
 * one accepting plus one per client) read the sockets and put framed records on a bounded queue;
 * {@link #poll} drains it and decodes, so splits, decoders and the error policy stay on the polling
 * thread. The threads start at the first poll (an unused reader holds no socket) and stop at
 * {@link #close()}, which closes every socket.
 *
 * <p>Splits: in connect mode the single split 0, named {@code host:port}, for every connection in turn
 * (a CSV header is expected again after a reconnection); in listen mode one split per client
 * connection, finished when the client disconnects.
 */
final class SocketSourceReader implements SourceReader {
    private static final Logger LOG = LoggerFactory.getLogger(SocketSourceReader.class);
    private static final AtomicInteger READER_NUMBERS = new AtomicInteger();
    private static final long JOIN_MILLIS = 2000;

    private final ConnectorContext context;
    private final SocketSettings settings;
    private final RecordErrorHandler errors;
    private final BlockingQueue<SocketEvent> queue;
    private final OpenSockets sockets = new OpenSockets();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Throwable> threadFailure = new AtomicReference<>();
    private final String threadPrefix;
    private final List<Split> splits = new ArrayList<>();
    private final Map<Integer, RecordDecoder> decoders = new HashMap<>();
    private ServerSocket server;
    private boolean started;
    private volatile boolean closed;

    SocketSourceReader(ConnectorContext context, SocketSettings settings) {
        this.context = context;
        this.settings = settings;
        this.errors = context.errorHandler();
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.threadPrefix = "weir-socket-" + context.objectName() + "-" + READER_NUMBERS.incrementAndGet() + "-";
        if (settings.mode() == SocketMode.CONNECT) {
            splits.add(new Split(ReconnectingClient.SPLIT, settings.address(), false));
            decoders.put(ReconnectingClient.SPLIT, context.createDecoder());
        }
    }

    @Override
    public int poll(BatchBuilder out, int maxRows) {
        if (closed) {
            throw new IllegalStateException("reader is closed");
        }
        if (!started) {
            start();
        }
        Throwable failure = threadFailure.get();
        if (failure != null) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": reading the socket failed: " + failure, failure);
        }
        int added = 0;
        // Events that yield no row (blank lines, skipped records, connections) are bounded too, so a poll stays short.
        long examinedLimit = maxRows * 4L + 1024;
        long examined = 0;
        try {
            while (added < maxRows && examined++ < examinedLimit) {
                SocketEvent event = queue.poll();
                if (event == null) {
                    break;
                }
                switch (event.type()) {
                    case OPENED -> opened(event);
                    case CLOSED -> closed(event.split());
                    case OVERSIZED -> errors.handle(event.source(), event.text(), event.problem());
                    case RECORD -> {
                        if (decode(event, out)) {
                            added++;
                        }
                    }
                }
            }
        } finally {
            errors.recordsRead(added);
        }
        return added;
    }

    private boolean decode(SocketEvent event, BatchBuilder out) {
        return errors.decodeInto(decoders.get(event.split()), event.text(), out, event.split(), event::source);
    }

    private void opened(SocketEvent event) {
        int split = event.split();
        if (split < splits.size()) {
            // Connect mode: the same split on a new connection.
            decoders.get(split).startSplit();
            return;
        }
        if (split != splits.size()) {
            throw new IllegalStateException("split " + split + " announced after " + splits.size() + " splits");
        }
        splits.add(new Split(split, event.text(), false));
        decoders.put(split, context.createDecoder());
    }

    private void closed(int split) {
        splits.set(split, new Split(split, splits.get(split).name(), true));
        decoders.remove(split);
    }

    /** Starts the socket threads; a failure to bind is raised again by the next poll, which retries. */
    private void start() {
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
                threadFailure.compareAndSet(null, e);
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

    /** The port listened on, once the first poll has bound it; for tests with {@code 'port' = '0'}. */
    int localPort() {
        if (server == null) {
            throw new IllegalStateException("not listening (connect mode, or not polled yet)");
        }
        return server.getLocalPort();
    }

    /** The socket threads still running; for tests. */
    int liveThreads() {
        return (int) threads.stream().filter(Thread::isAlive).count();
    }

    @Override
    public List<Split> splits() {
        return List.copyOf(splits);
    }

    @Override
    public boolean isFinished() {
        return false;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
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
        queue.clear();
        decoders.clear();
    }
}

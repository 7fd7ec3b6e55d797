package io.weir.connector.socket;

import io.weir.spi.wal.feed.FeedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Listen mode, run on one daemon thread: accepts clients on a bound server socket and reads each on
 * a daemon thread of its own; every connection is a new split, finished when the client disconnects.
 * Clients beyond {@code 'max-connections'} are disconnected at once.
 */
final class ClientListener implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientListener.class);
    private static final long ACCEPT_FAILURE_PAUSE_MILLIS = 100;

    private final String describedObject;
    private final ServerSocket server;
    private final int maxConnections;
    private final BlockingQueue<FeedEvent> queue;
    private final ConnectionReader reader;
    private final OpenSockets sockets;
    private final Function<Runnable, Thread> threads;
    private final AtomicInteger active = new AtomicInteger();
    private int nextSplit;
    private boolean refusalLogged;

    /**
     * @param threads starts a daemon thread for a client connection
     */
    ClientListener(String describedObject, ServerSocket server, int maxConnections, BlockingQueue<FeedEvent> queue,
                   ConnectionReader reader, OpenSockets sockets, Function<Runnable, Thread> threads) {
        this.describedObject = requireNonNull(describedObject, "describedObject is null");
        this.server = requireNonNull(server, "server is null");
        this.maxConnections = maxConnections;
        this.queue = requireNonNull(queue, "queue is null");
        this.reader = requireNonNull(reader, "reader is null");
        this.sockets = requireNonNull(sockets, "sockets is null");
        this.threads = requireNonNull(threads, "threads is null");
    }

    @Override
    public void run() {
        try {
            while (!sockets.isClosed()) {
                Socket client;
                try {
                    client = server.accept();
                } catch (IOException e) {
                    if (sockets.isClosed()) {
                        return;
                    }
                    // E.g. too many open files: pause rather than spin, and keep listening.
                    LOG.warn("{}: cannot accept a client on {}: {}", describedObject, server.getLocalSocketAddress(), e.toString());
                    Thread.sleep(ACCEPT_FAILURE_PAUSE_MILLIS);
                    continue;
                }
                accept(client);
            }
        } catch (InterruptedException e) {
            // The reader is closing.
            Thread.currentThread().interrupt();
        }
    }

    private void accept(Socket client) throws InterruptedException {
        if (active.get() >= maxConnections) {
            if (!refusalLogged) {
                LOG.warn("{}: {} clients are connected ('max-connections'); disconnecting further clients until one leaves",
                        describedObject, maxConnections);
                refusalLogged = true;
            }
            sockets.close(client);
            return;
        }
        refusalLogged = false;
        if (!sockets.add(client)) {
            return;
        }
        int split = nextSplit++;
        String name = "client " + client.getRemoteSocketAddress();
        active.incrementAndGet();
        // Queued here, on the accepting thread, so that splits are announced in id order.
        queue.put(FeedEvent.opened(split, name));
        LOG.debug("{}: {} connected (split {})", describedObject, name, split);
        threads.apply(() -> readClient(client, split, name));
    }

    private void readClient(Socket client, int split, String name) {
        try {
            reader.read(client, split, name);
            queue.put(FeedEvent.closed(split));
            LOG.debug("{}: {} disconnected", describedObject, name);
        } catch (IOException e) {
            if (!sockets.isClosed()) {
                LOG.info("{}: connection of {} failed: {}", describedObject, name, e.toString());
                putClosed(split);
            }
        } catch (InterruptedException e) {
            // The reader is closing.
            Thread.currentThread().interrupt();
        } finally {
            active.decrementAndGet();
            sockets.close(client);
        }
    }

    private void putClosed(int split) {
        try {
            queue.put(FeedEvent.closed(split));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

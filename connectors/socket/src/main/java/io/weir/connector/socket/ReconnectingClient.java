package io.weir.connector.socket;

import io.weir.spi.wal.feed.FeedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;

import static java.util.Objects.requireNonNull;

/**
 * Connect mode, run on one daemon thread: connects to the server, reads it until it goes away, and
 * tries again after an exponentially growing pause. The server being down never fails the query:
 * each outage is logged once, and recovery once.
 */
final class ReconnectingClient implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ReconnectingClient.class);
    static final int SPLIT = 0;

    private final String describedObject;
    private final SocketSettings settings;
    private final BlockingQueue<FeedEvent> queue;
    private final ConnectionReader reader;
    private final OpenSockets sockets;

    ReconnectingClient(String describedObject, SocketSettings settings, BlockingQueue<FeedEvent> queue,
                       ConnectionReader reader, OpenSockets sockets) {
        this.describedObject = requireNonNull(describedObject, "describedObject is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.reader = requireNonNull(reader, "reader is null");
        this.sockets = requireNonNull(sockets, "sockets is null");
    }

    @Override
    public void run() {
        Backoff backoff = new Backoff(settings.reconnectInitialDelay(), settings.reconnectMaxDelay());
        boolean outageLogged = false;
        long connections = 0;
        try {
            while (!sockets.isClosed()) {
                Socket socket = new Socket();
                if (!sockets.add(socket)) {
                    return;
                }
                boolean connected = false;
                try {
                    socket.connect(new InetSocketAddress(settings.host(), settings.port()),
                            (int) settings.connectTimeout().toMillis());
                    connected = true;
                    LOG.info("{}: {} {}", describedObject, connections == 0 ? "connected to" : "reconnected to", settings.address());
                    connections++;
                    outageLogged = false;
                    queue.put(FeedEvent.opened(SPLIT, settings.address()));
                    long records = reader.read(socket, SPLIT, settings.address() + " connection " + connections);
                    if (records > 0) {
                        // Only a connection that delivered data resets the back-off: a server that accepts and
                        // hangs up at once is retried ever more slowly.
                        backoff.reset();
                    }
                    if (!sockets.isClosed()) {
                        LOG.warn("{}: {} closed the connection; reconnecting with back-off up to {}",
                                describedObject, settings.address(), settings.reconnectMaxDelay());
                        outageLogged = true;
                    }
                } catch (IOException e) {
                    if (sockets.isClosed()) {
                        return;
                    }
                    if (!outageLogged) {
                        LOG.warn("{}: {} {}: {}; retrying with back-off up to {}", describedObject,
                                connected ? "lost the connection to" : "cannot connect to", settings.address(),
                                e.toString(), settings.reconnectMaxDelay());
                        outageLogged = true;
                    }
                } finally {
                    sockets.close(socket);
                }
                Thread.sleep(backoff.next().toMillis());
            }
        } catch (InterruptedException e) {
            // The reader is closing.
            Thread.currentThread().interrupt();
        }
    }
}

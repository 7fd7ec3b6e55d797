package io.weir.connector.socket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The sockets a reader has open, so that closing the reader closes them all: closing a socket is
 * the only way to wake a thread blocked reading it. Thread-safe.
 */
final class OpenSockets {
    private static final Logger LOG = LoggerFactory.getLogger(OpenSockets.class);

    private final Set<Closeable> open = new HashSet<>();
    private boolean closed;

    /** Tracks {@code socket}; false (and the socket closed) when the reader is already closed. */
    boolean add(Closeable socket) {
        synchronized (this) {
            if (!closed) {
                open.add(socket);
                return true;
            }
        }
        closeQuietly(socket);
        return false;
    }

    /** Closes {@code socket} and stops tracking it. */
    void close(Closeable socket) {
        synchronized (this) {
            open.remove(socket);
        }
        closeQuietly(socket);
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Closes every socket, now and when added later. */
    void closeAll() {
        List<Closeable> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(open);
            open.clear();
        }
        toClose.forEach(OpenSockets::closeQuietly);
    }

    private static void closeQuietly(Closeable socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing is lost: the socket is being given up anyway.
            LOG.debug("cannot close {}", socket, e);
        }
    }
}

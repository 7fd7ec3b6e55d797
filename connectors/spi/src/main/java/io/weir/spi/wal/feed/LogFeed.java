package io.weir.spi.wal.feed;

import java.util.Optional;

/**
 * What receives a live source's records (a socket, a ZeroMQ subscription) and appends them to the
 * stream's write-ahead log, on threads of its own; one per stream in the server, shared by every
 * reader of the stream through {@link LogFeeds}. Thread-safe.
 */
public interface LogFeed extends AutoCloseable {
    /**
     * Starts receiving, unless it already does (cheap then). Raises a
     * {@link io.weir.spi.WeirException} when it cannot (a port in use); the next call tries again.
     */
    void start();

    /** A failure that stopped receiving or logging, if one did. */
    Optional<Throwable> failure();

    /** Stops receiving; what was received is logged first unless the log is full. Idempotent. */
    @Override
    void close();
}

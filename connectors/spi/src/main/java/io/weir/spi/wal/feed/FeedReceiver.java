package io.weir.spi.wal.feed;

import java.util.Optional;

/**
 * What receives a live source's events (the lines of its sockets, the messages of a ZeroMQ
 * subscription) onto a bounded queue, on threads of its own; a {@link QueuedLogFeed} appends them to
 * the stream's log.
 */
public interface FeedReceiver {
    /** Starts receiving, unless it already does. */
    void start();

    /** A failure that stopped receiving, if one did. */
    Optional<Throwable> failure();

    /** Stops receiving. Idempotent. */
    void stop();
}

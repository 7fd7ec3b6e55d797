package io.weir.spi.wal.feed;

import io.weir.spi.wal.WalSettings;
import io.weir.spi.wal.WriteAheadLog;
import io.weir.spi.wal.WriteAheadLogs;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * One server's {@link LogFeed}s, one per write-ahead log directory, reference-counted: the first
 * {@link #acquire} opens the log (in the server's {@link WriteAheadLogs}) and creates the feed, the last
 * {@link Lease#close()} closes the feed and then the log. So a stream has one socket (or subscription)
 * whoever reads it, and a log has one writer. Reached through
 * {@link io.weir.spi.connector.ConnectorServices}. Thread-safe.
 */
public final class LogFeeds implements AutoCloseable {
    private final WriteAheadLogs logs;
    private final Map<Path, Entry> feeds = new HashMap<>();

    private static final class Entry {
        final WriteAheadLog log;
        final LogFeed feed;
        int leases;

        Entry(WriteAheadLog log, LogFeed feed) {
            this.log = log;
            this.feed = feed;
        }
    }

    /** @param logs the server's open logs, where the feeds' logs are opened */
    public LogFeeds(WriteAheadLogs logs) {
        this.logs = requireNonNull(logs, "logs is null");
    }

    /**
     * A lease on the feed of the log in {@code logDirectory}, created with {@code feeds} if there is none;
     * an existing log takes {@code settings}.
     *
     * @param owner {@code Stream 'readings'}, for messages
     */
    public Lease acquire(Path logDirectory, String owner, WalSettings settings, InstantSource clock,
                         Function<WriteAheadLog, LogFeed> newFeed) {
        requireNonNull(newFeed, "newFeed is null");
        Path key = requireNonNull(logDirectory, "logDirectory is null").toAbsolutePath().normalize();
        synchronized (feeds) {
            Entry entry = feeds.get(key);
            if (entry == null) {
                WriteAheadLog log = logs.open(key, owner, settings, clock);
                entry = new Entry(log, requireNonNull(newFeed.apply(log), "feed is null"));
                feeds.put(key, entry);
            } else {
                entry.log.updateSettings(settings);
            }
            entry.leases++;
            return new Lease(key, entry);
        }
    }

    private void release(Path key, Entry entry) {
        // Closing under the lock: a new feed of the directory must not open the log this one is still closing.
        synchronized (feeds) {
            if (--entry.leases > 0 || feeds.get(key) != entry) {
                return;
            }
            closeFeed(key);
        }
    }

    /** Holds the lock. */
    private void closeFeed(Path key) {
        Entry entry = feeds.remove(key);
        try {
            entry.feed.close();
        } finally {
            logs.close(key);
        }
    }

    /**
     * Closes every feed and its log, leased or not (server shutdown, after its queries stopped); leases
     * still held then release nothing. Idempotent.
     */
    @Override
    public void close() {
        synchronized (feeds) {
            for (Path key : List.copyOf(feeds.keySet())) {
                closeFeed(key);
            }
        }
    }

    /** A holder's share of a feed and its log; closing it releases them. */
    public final class Lease implements AutoCloseable {
        private final Path key;
        private final Entry entry;
        private boolean closed;

        private Lease(Path key, Entry entry) {
            this.key = key;
            this.entry = entry;
        }

        public WriteAheadLog log() {
            return entry.log;
        }

        public LogFeed feed() {
            return entry.feed;
        }

        /** Idempotent. */
        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                release(key, entry);
            }
        }
    }
}

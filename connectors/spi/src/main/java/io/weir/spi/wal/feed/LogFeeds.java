package io.weir.spi.wal.feed;

import io.weir.spi.wal.WalSettings;
import io.weir.spi.wal.WriteAheadLog;
import io.weir.spi.wal.WriteAheadLogs;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The process-wide {@link LogFeed}s, one per write-ahead log directory, reference-counted: the first
 * {@link #acquire} opens the log and creates the feed, the last {@link Lease#close()} closes the feed
 * and then the log. So a stream has one socket (or subscription) whoever reads it, and a log has one
 * writer. Static because connectors are found by ServiceLoader and get no server-owned service; keyed
 * like {@link WriteAheadLogs}. Thread-safe.
 */
public final class LogFeeds {
    private static final Map<Path, Entry> FEEDS = new HashMap<>();

    private static final class Entry {
        final WriteAheadLog log;
        final LogFeed feed;
        int leases;

        Entry(WriteAheadLog log, LogFeed feed) {
            this.log = log;
            this.feed = feed;
        }
    }

    private LogFeeds() {
    }

    /**
     * A lease on the feed of the log in {@code logDirectory}, created with {@code feeds} if there is none;
     * an existing log takes {@code settings}.
     *
     * @param owner {@code Stream 'readings'}, for messages
     */
    public static Lease acquire(Path logDirectory, String owner, WalSettings settings, InstantSource clock,
                                Function<WriteAheadLog, LogFeed> feeds) {
        requireNonNull(feeds, "feeds is null");
        Path key = requireNonNull(logDirectory, "logDirectory is null").toAbsolutePath().normalize();
        synchronized (FEEDS) {
            Entry entry = FEEDS.get(key);
            if (entry == null) {
                WriteAheadLog log = WriteAheadLogs.open(key, owner, settings, clock);
                entry = new Entry(log, requireNonNull(feeds.apply(log), "feed is null"));
                FEEDS.put(key, entry);
            } else {
                entry.log.updateSettings(settings);
            }
            entry.leases++;
            return new Lease(key, entry);
        }
    }

    private static void release(Path key, Entry entry) {
        // Closing under the lock: a new feed of the directory must not open the log this one is still closing.
        synchronized (FEEDS) {
            if (--entry.leases > 0 || FEEDS.get(key) != entry) {
                return;
            }
            FEEDS.remove(key);
            try {
                entry.feed.close();
            } finally {
                WriteAheadLogs.close(key);
            }
        }
    }

    /** A holder's share of a feed and its log; closing it releases them. */
    public static final class Lease implements AutoCloseable {
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

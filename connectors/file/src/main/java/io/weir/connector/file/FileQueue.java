package io.weir.connector.file;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.SplitOffsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The files a file reader has yet to open, in listing order: the files present when it starts, and with 'watch'
 * those later listings of the directory find (at the first poll, then at most once per 'watch.interval' by the
 * context clock). Each file is queued once, and its start position recorded: its offset in {@code start}, or 0.
 * Shared by the readers of record formats and of whole-file formats.
 */
final class FileQueue {
    private static final Logger LOG = LoggerFactory.getLogger(FileQueue.class);

    private final ConnectorContext context;
    private final FileSettings settings;
    private final FileLister lister;
    private final SplitOffsets start;
    /** Whether only the files listed in {@link #start} are read (one task's share of a stream's files). */
    private final boolean onlyStart;
    /** The reader's positions per known file, where a queued file's start position goes. */
    private final Map<String, Long> positions;
    private final Deque<Path> queued = new ArrayDeque<>();
    private final Set<Path> seen = new HashSet<>();
    private long nextListingMillis = Long.MIN_VALUE;
    private boolean listed;
    private boolean reportedMissingDirectory;

    FileQueue(ConnectorContext context, FileSettings settings, SplitOffsets start, boolean onlyStart, Map<String, Long> positions) {
        this.context = context;
        this.settings = settings;
        this.lister = new FileLister(settings, context.describe());
        this.start = start;
        this.onlyStart = onlyStart;
        this.positions = positions;
    }

    /** Queues the files present now (a bounded reader's whole input). */
    void listNow() {
        enqueue(lister.list());
    }

    /** The next file to open (listing a watched directory first when the queue is empty and a listing is due), or null. */
    Path next() {
        if (queued.isEmpty() && settings.watch()) {
            listIfDue();
        }
        return queued.poll();
    }

    boolean isEmpty() {
        return queued.isEmpty();
    }

    /** Whether any listing was made: before, a watching reader's positions are still those it started from. */
    boolean listed() {
        return listed;
    }

    void clear() {
        queued.clear();
    }

    private void listIfDue() {
        long now = context.clock().millis();
        if (now < nextListingMillis) {
            return;
        }
        nextListingMillis = now + settings.watchInterval().toMillis();
        List<Path> files = lister.list();
        if (files.isEmpty() && !Files.isDirectory(settings.path()) && !reportedMissingDirectory) {
            reportedMissingDirectory = true;
            LOG.info("{}: waiting for directory {} to be created", context.describe(), settings.path());
        }
        enqueue(files);
    }

    private void enqueue(List<Path> files) {
        listed = true;
        for (Path file : files) {
            if (onlyStart && !start.contains(file.toString())) {
                continue;
            }
            if (seen.add(file)) {
                queued.add(file);
                positions.put(file.toString(), start.get(file.toString()).orElse(0));
            }
        }
    }
}

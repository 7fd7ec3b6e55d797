package io.weir.connector.file;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.format.LineFramer;
import io.weir.spi.format.RecordDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads files one after the other in name order; each file is a split, created when the file is
 * opened and finished at its end. A bounded reader takes the files present when it is created; a
 * watching reader lists the directory at its first poll and then at most once per
 * {@code 'watch.interval'} (by the context clock), queueing files it has not seen. A poll reads at most
 * {@code maxRows} rows and never waits.
 */
final class FileSourceReader implements SourceReader {
    private static final Logger LOG = LoggerFactory.getLogger(FileSourceReader.class);

    private final ConnectorContext context;
    private final FileSettings settings;
    private final FileLister lister;
    private final RecordDecoder decoder;
    private final LineFramer framer;
    private final RecordErrorHandler errors;
    private final Deque<Path> queued = new ArrayDeque<>();
    private final Set<Path> seen = new HashSet<>();
    private final List<Split> splits = new ArrayList<>();
    private long nextListingMillis = Long.MIN_VALUE;
    private boolean reportedMissingDirectory;

    private RecordReader current;
    private Path currentFile;
    private int currentSplit = -1;
    private boolean closed;

    FileSourceReader(ConnectorContext context, FileSettings settings) {
        this.context = context;
        this.settings = settings;
        this.lister = new FileLister(settings, context.describe());
        this.decoder = context.createDecoder();
        this.framer = context.createLineFramer();
        this.errors = context.errorHandler();
        if (!settings.watch()) {
            if (!Files.exists(settings.path())) {
                // CREATE STREAM accepts a missing path, since the stream may be a sink's target
                throw new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": path '" + settings.path()
                        + "' (option 'path') does not exist. Fix the path, or set 'watch' = 'true' to wait for files "
                        + "to arrive in that directory");
            }
            enqueue(lister.list());
        }
    }

    @Override
    public int poll(BatchBuilder out, int maxRows) {
        if (closed) {
            throw new IllegalStateException("reader is closed");
        }
        int added = 0;
        // Records that yield no row (blank, header, skipped) still cost I/O: bound them too, so a poll stays short.
        long examinedLimit = maxRows * 4L + 1024;
        long examined = 0;
        try {
            while (added < maxRows && examined++ < examinedLimit) {
                if (current == null && !openNext()) {
                    break;
                }
                String record = current.next();
                if (record == null) {
                    finishCurrent();
                    continue;
                }
                if (errors.decodeInto(decoder, record, out, currentSplit,
                        () -> "file " + currentFile + " line " + current.recordLine())) {
                    added++;
                }
            }
        } catch (IOException e) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": cannot read file '" + currentFile + "': "
                    + e.getMessage(), e);
        } finally {
            errors.recordsRead(added);
        }
        return added;
    }

    /** Opens the next queued file (listing a watched directory when due); false when there is none now. */
    private boolean openNext() throws IOException {
        if (queued.isEmpty() && settings.watch()) {
            listIfDue();
        }
        while (!queued.isEmpty()) {
            Path file = queued.poll();
            try {
                current = new RecordReader(file, settings.charset(), framer);
            } catch (NoSuchFileException e) {
                LOG.warn("{}: file {} disappeared before it could be read; skipping it", context.describe(), file);
                continue;
            } catch (IOException e) {
                throw new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": cannot open file '" + file + "': "
                        + e.getMessage(), e);
            }
            currentFile = file;
            currentSplit = splits.size();
            splits.add(new Split(currentSplit, file.toString(), false));
            decoder.startSplit();
            LOG.debug("{}: reading file {} as split {}", context.describe(), file, currentSplit);
            return true;
        }
        return false;
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
        for (Path file : files) {
            if (seen.add(file)) {
                queued.add(file);
            }
        }
    }

    private void finishCurrent() throws IOException {
        splits.set(currentSplit, new Split(currentSplit, currentFile.toString(), true));
        RecordReader finished = current;
        current = null;
        finished.close();
    }

    @Override
    public List<Split> splits() {
        return List.copyOf(splits);
    }

    @Override
    public boolean isFinished() {
        return !settings.watch() && current == null && queued.isEmpty();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queued.clear();
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                LOG.warn("{}: cannot close file {}", context.describe(), currentFile, e);
            }
            current = null;
        }
    }
}

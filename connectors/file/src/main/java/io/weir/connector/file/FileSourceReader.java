package io.weir.connector.file;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.Split;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.format.LineFramer;
import io.weir.spi.format.RecordDecodeException;
import io.weir.spi.format.RecordDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads files one after the other in name order; each file is a split, created when the file is
 * opened and finished at its end. A bounded reader takes the files present when it is created; a
 * watching reader lists the directory at its first poll and then at most once per
 * {@code 'watch.interval'} (by the context clock), queueing files it has not seen. A poll reads at most
 * {@code maxRows} rows and never waits.
 *
 * <p>Positions: each row carries the position of its record in the file ({@link RecordReader}: a byte
 * position for most charsets), and {@link #offsets()} gives per file (split name: its absolute path)
 * the position after the records read so far, the end for a file read to its end. A reader created
 * with start offsets reads each file it lists from its start offset, files not listed there from the
 * beginning; start offsets of files it does not find are dropped. Committing positions does nothing:
 * the file source keeps none of its own, a query's checkpoint holds them.
 */
final class FileSourceReader implements OffsetReader {
    private static final Logger LOG = LoggerFactory.getLogger(FileSourceReader.class);

    private final ConnectorContext context;
    private final FileSettings settings;
    private final FileQueue files;
    private final RecordDecoder decoder;
    private final LineFramer framer;
    private final RecordErrorHandler errors;
    private final List<Split> splits = new ArrayList<>();
    private final SplitOffsets start;
    /** Per known file (queued, read or being read), its position; the current file's is {@link #current}'s. */
    private final Map<String, Long> positions = new LinkedHashMap<>();
    private final BatchBuilder scratch;

    private RecordReader current;
    private Path currentFile;
    /**
     * Where the current record is, for error messages: one object for the reader's life (measured: a
     * lambda per record was about a tenth of the bytes a query thread allocated reading Nexmark JSON files).
     */
    private final Supplier<String> currentRecordLocation = () -> "file " + currentFile + " " + current.recordLocation();
    private int currentSplit = -1;
    private boolean closed;

    /** A reader of every file from its beginning. */
    FileSourceReader(ConnectorContext context, FileSettings settings) {
        this(context, settings, SplitOffsets.of(Map.of()));
    }

    /** A reader of every file from its offset in {@code start}, or its beginning when not listed there. */
    FileSourceReader(ConnectorContext context, FileSettings settings, SplitOffsets start) {
        this(context, settings, start, false);
    }

    /**
     * A reader of every file from its offset in {@code start}, or its beginning when not listed there;
     * with {@code onlyStart}, of only the files listed in {@code start}.
     */
    FileSourceReader(ConnectorContext context, FileSettings settings, SplitOffsets start, boolean onlyStart) {
        this.context = context;
        this.settings = settings;
        this.start = start;
        this.scratch = new BatchBuilder(context.readerRowType(), 1);
        this.files = new FileQueue(context, settings, start, onlyStart, positions);
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
            files.listNow();
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
                boolean decoded;
                if (current.readsBytes()) {
                    // UTF-8 lines go to the decoder as bytes: no String per record
                    if (!current.nextBytes()) {
                        finishCurrent();
                        continue;
                    }
                    out.setOffset(current.recordStart());
                    decoded = errors.decodeInto(decoder, current.bytes(), current.bytesStart(), current.bytesEnd(), out,
                            currentSplit, currentRecordLocation);
                } else {
                    String record = current.next();
                    if (record == null) {
                        finishCurrent();
                        continue;
                    }
                    out.setOffset(current.recordStart());
                    decoded = errors.decodeInto(decoder, record, out, currentSplit, currentRecordLocation);
                }
                if (decoded) {
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
        Path file;
        while ((file = files.next()) != null) {
            long from = positions.get(file.toString());
            decoder.startSplit();
            try {
                if (from > 0) {
                    primeDecoder(file, from);
                }
                current = RecordReader.open(file, settings.charset(), framer, from);
            } catch (NoSuchFileException e) {
                LOG.warn("{}: file {} disappeared before it could be read; skipping it", context.describe(), file);
                positions.remove(file.toString());
                continue;
            } catch (IOException e) {
                throw new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": cannot open file '" + file + "': "
                        + e.getMessage(), e);
            }
            currentFile = file;
            currentSplit = splits.size();
            splits.add(new Split(currentSplit, file.toString(), false));
            if (current.shorterThanStart()) {
                LOG.warn("{}: file {} is shorter than the position {} it was read to before; it was changed after it was "
                        + "read and is not read again", context.describe(), file, from);
            }
            LOG.debug("{}: reading file {} as split {} from position {}", context.describe(), file, currentSplit, from);
            return true;
        }
        return false;
    }

    /**
     * Gives the decoder the file's records before its first row, without rows, so that per-file state
     * they set (a CSV header) is there when reading resumes at {@code from}. Their errors were reported
     * when they were first read.
     */
    private void primeDecoder(Path file, long from) throws IOException {
        try (RecordReader head = RecordReader.open(file, settings.charset(), framer, 0)) {
            String record;
            while (head.position() < from && (record = head.next()) != null) {
                boolean row;
                try {
                    row = decoder.decode(record, scratch);
                } catch (RecordDecodeException e) {
                    row = false;
                }
                scratch.abortRow();
                if (row) {
                    return;
                }
            }
        }
    }

    private void finishCurrent() throws IOException {
        positions.put(currentFile.toString(), current.position());
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
    public SplitOffsets offsets() {
        if (!files.listed()) {
            return start; // a watching reader before its first listing
        }
        Map<String, Long> offsets = new LinkedHashMap<>(positions);
        if (current != null) {
            offsets.put(currentFile.toString(), current.position());
        }
        return SplitOffsets.of(offsets);
    }

    /** Nothing to do: the file source keeps no positions of its own; a query's checkpoint holds them. */
    @Override
    public void commit(String consumerId, SplitOffsets offsets) {
    }

    @Override
    public boolean isFinished() {
        return !settings.watch() && current == null && files.isEmpty();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        files.clear();
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

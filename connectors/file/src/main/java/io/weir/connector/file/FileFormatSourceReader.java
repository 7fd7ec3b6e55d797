package io.weir.connector.file;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.Split;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.format.DamagedFileException;
import io.weir.spi.format.FileFormat;
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

/**
 * Reads the files of a whole-file format such as Parquet ({@link FileFormat}) one after the other in
 * name order, each a split, decoding only the columns the query reads (the context's projection).
 * Bounded: the files present when the reader is created; with 'watch', also the files that appear in the
 * directory later (moved in complete, as for record formats: a whole file is read once). Positions are row numbers: each row carries
 * its index in its file, and {@link #offsets()} gives per file the number of rows read, so that a
 * persistent query resumes a file at the row after the last one its checkpoint covers. A file that is
 * not of the format, or damaged, is a bad record for the stream's 'on-error' policy (by default the query
 * fails with an error naming it).
 */
final class FileFormatSourceReader implements OffsetReader {
    private static final Logger LOG = LoggerFactory.getLogger(FileFormatSourceReader.class);

    private final ConnectorContext context;
    private final FileSettings settings;
    private final FileFormat format;
    private final List<Split> splits = new ArrayList<>();
    private final Map<String, Long> positions = new LinkedHashMap<>();

    /** The position of a file given up as damaged: a resumed query does not read it again. */
    private static final long DONE = Long.MAX_VALUE;
    /** How much of a damaged file its dead letter keeps. */
    private static final int DEAD_LETTER_BYTES = 1024;

    private final SplitOffsets start;
    private final FileQueue files;

    private FileFormat.FileReader current;
    private Path currentFile;
    private int currentSplit = -1;
    private boolean closed;

    /**
     * A reader of every file from its row in {@code start}, or its first row when not listed there;
     * with {@code onlyStart}, of only the files listed in {@code start}.
     */
    FileFormatSourceReader(ConnectorContext context, FileSettings settings, FileFormat format, SplitOffsets start,
                           boolean onlyStart) {
        this.context = context;
        this.settings = settings;
        this.format = format;
        this.start = start;
        this.files = new FileQueue(context, settings, start, onlyStart, positions);
        if (!settings.watch()) {
            if (!Files.exists(settings.path())) {
                throw new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": path '" + settings.path()
                        + "' (option 'path') does not exist. Fix the path, or set 'watch' = 'true' to wait for files "
                        + "to arrive in that directory");
            }
            files.listNow();
        }
    }

    /** A reader for the source's format: whole files (Parquet) or records (JSON, CSV). */
    static OffsetReader create(ConnectorContext context, FileSettings settings, SplitOffsets start, boolean onlyStart) {
        return context.fileFormat()
                .<OffsetReader>map(format -> new FileFormatSourceReader(context, settings, format, start, onlyStart))
                .orElseGet(() -> new FileSourceReader(context, settings, start, onlyStart));
    }

    /** The row the current file was opened at (0: from its start). */
    private long currentFrom;

    @Override
    public int poll(BatchBuilder out, int maxRows) {
        if (closed) {
            throw new IllegalStateException("reader is closed");
        }
        int added = 0;
        try {
            while (added < maxRows) {
                if (current == null && !openNext()) {
                    break;
                }
                long row = current.position();
                boolean read;
                try {
                    read = current.next(out);
                } catch (DamagedFileException e) {
                    out.abortRow();
                    giveUp(currentFile, e, row);
                    finishCurrent(DONE);
                    continue;
                }
                if (!read) {
                    out.abortRow();
                    if (currentFrom == 0) {
                        context.errorHandler().bytesRead(Files.size(currentFile)); // whole files: counted once read through
                    }
                    finishCurrent(current.position());
                    continue;
                }
                out.setSplit(currentSplit);
                out.setOffset(row);
                out.commitRow();
                added++;
            }
            context.errorHandler().recordsRead(added);
        } catch (IOException e) {
            out.abortRow();
            throw new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": cannot read file '" + currentFile + "': "
                    + e.getMessage(), e);
        } catch (WeirException e) {
            out.abortRow();
            if (e.errorCode() == ErrorCode.RECORD_DECODE_ERROR) {
                throw e; // from the 'on-error' policy, which names the stream
            }
            throw new WeirException(e.errorCode(), context.describe() + ": " + e.getMessage(), e);
        }
        return added;
    }

    private boolean openNext() throws IOException {
        Path file;
        while ((file = files.next()) != null) {
            long from = positions.get(file.toString());
            if (from == DONE) {
                continue; // given up as damaged before the checkpoint this reader started from
            }
            try {
                current = format.openReader(file, context.projection(), from);
            } catch (NoSuchFileException e) {
                LOG.warn("{}: file {} disappeared before it could be read; skipping it", context.describe(), file);
                positions.remove(file.toString());
                continue;
            } catch (DamagedFileException e) {
                giveUp(file, e, from);
                positions.put(file.toString(), DONE);
                continue;
            }
            currentFile = file;
            currentFrom = from;
            currentSplit = splits.size();
            splits.add(new Split(currentSplit, file.toString(), false));
            LOG.debug("{}: reading file {} as split {} from row {}", context.describe(), file, currentSplit, from);
            return true;
        }
        return false;
    }

    /**
     * A damaged file goes to the stream's 'on-error' policy as one bad record: the query fails, or the rest of
     * the file is skipped (dead-lettered with the file's first bytes). Rows read before the damage stay read.
     */
    private void giveUp(Path file, DamagedFileException e, long row) {
        context.errorHandler().handle("file " + file + (row > 0 ? " after row " + row : ""), firstBytes(file), e.getMessage());
        LOG.warn("{}: skipped the rest of damaged file {} after row {}: {}", context.describe(), file, row, e.reason());
    }

    private static byte[] firstBytes(Path file) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(DEAD_LETTER_BYTES);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private void finishCurrent(long position) throws IOException {
        positions.put(currentFile.toString(), position);
        splits.set(currentSplit, new Split(currentSplit, currentFile.toString(), true));
        FileFormat.FileReader finished = current;
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

package io.weir.connector.file;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.Split;
import io.weir.spi.connector.SplitOffsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * What the file source's readers share: the files to read ({@link FileQueue}), each known file's position,
 * and the file being read. Files are read one after the other, each a split, created when the file is opened
 * and finished at its end; {@link #offsets()} gives per file (split name: its path) its position, the current
 * file's from its reader. How a file is opened and its rows read is the subclass's: records
 * ({@link FileSourceReader}) or a whole-file format such as Parquet ({@link FileFormatSourceReader}).
 *
 * @param <R> the reader of one file
 */
abstract class FileQueueReader<R extends Closeable> implements OffsetReader {
    private static final Logger LOG = LoggerFactory.getLogger(FileQueueReader.class);

    protected final ConnectorContext context;
    protected final FileSettings settings;
    private final SplitOffsets start;
    /** Per known file (queued, read or being read), its position; the current file's is its reader's. */
    private final Map<String, Long> positions = new LinkedHashMap<>();
    private final FileQueue files;
    private final List<Split> splits = new ArrayList<>();
    /** The position of a file's reader: where reading that file resumes. */
    private final ToLongFunction<R> position;

    private R current;
    private Path currentFile;
    private int currentSplit = -1;
    private boolean closed;

    /**
     * A reader of every file from its position in {@code start}, or its beginning when not listed there;
     * with {@code onlyStart}, of only the files listed in {@code start}.
     */
    FileQueueReader(ConnectorContext context, FileSettings settings, SplitOffsets start, boolean onlyStart,
                    ToLongFunction<R> position) {
        this.context = context;
        this.settings = settings;
        this.start = start;
        this.position = position;
        this.files = new FileQueue(context, settings, start, onlyStart, positions);
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

    /**
     * A reader of {@code file} from {@code from}, its position; null to pass the file over (the subclass
     * records its position with {@link #setPosition}, if it is to change).
     *
     * @throws NoSuchFileException when the file is gone: it is skipped and forgotten
     */
    protected abstract R open(Path file, long from) throws IOException;

    protected final void checkOpen() {
        if (closed) {
            throw new IllegalStateException("reader is closed");
        }
    }

    /** Opens the next queued file (listing a watched directory when due) as the current one; false when there is none now. */
    protected final boolean openNext() throws IOException {
        Path file;
        while ((file = files.next()) != null) {
            long from = positions.get(file.toString());
            R reader;
            try {
                reader = open(file, from);
            } catch (NoSuchFileException e) {
                LOG.warn("{}: file {} disappeared before it could be read; skipping it", context.describe(), file);
                positions.remove(file.toString());
                continue;
            }
            if (reader == null) {
                continue;
            }
            current = reader;
            currentFile = file;
            currentSplit = splits.size();
            splits.add(new Split(currentSplit, file.toString(), false));
            LOG.debug("{}: reading file {} as split {} from position {}", context.describe(), file, currentSplit, from);
            return true;
        }
        return false;
    }

    /** The reader of the file being read, or null between files. */
    protected final R current() {
        return current;
    }

    /** The file being read, or the one read last (null before the first). */
    protected final Path currentFile() {
        return currentFile;
    }

    protected final int currentSplit() {
        return currentSplit;
    }

    /** Closes the current file, done at {@code position}, and finishes its split. */
    protected final void finishCurrent(long position) throws IOException {
        positions.put(currentFile.toString(), position);
        splits.set(currentSplit, new Split(currentSplit, currentFile.toString(), true));
        R finished = current;
        current = null;
        finished.close();
    }

    /** Records {@code file}'s position, for a file not opened (see {@link #open}). */
    protected final void setPosition(Path file, long position) {
        positions.put(file.toString(), position);
    }

    @Override
    public final List<Split> splits() {
        return List.copyOf(splits);
    }

    @Override
    public final SplitOffsets offsets() {
        if (!files.listed()) {
            return start; // a watching reader before its first listing
        }
        Map<String, Long> offsets = new LinkedHashMap<>(positions);
        if (current != null) {
            offsets.put(currentFile.toString(), position.applyAsLong(current));
        }
        return SplitOffsets.of(offsets);
    }

    /** Nothing to do: the file source keeps no positions of its own; a query's checkpoint holds them. */
    @Override
    public final void commit(String consumerId, SplitOffsets offsets) {
    }

    @Override
    public final boolean isFinished() {
        return !settings.watch() && current == null && files.isEmpty();
    }

    @Override
    public final void close() {
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

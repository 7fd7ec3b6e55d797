package io.weir.engine.checkpoint;

import io.weir.spi.storage.DurableFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The checkpoint files of one query, in {@code <data dir>/checkpoints/<query id>/}. A checkpoint is
 * written as {@code <id>.pending} (atomically: temporary file, fsync, rename, fsync of the directory)
 * and renamed to {@code <id>.checkpoint} once its sink committed the output it covers; then it is
 * complete. The two newest complete checkpoints are kept, so that one that turns out unreadable
 * still leaves one to restore. Used by the query's thread.
 */
public final class CheckpointStorage {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStorage.class);
    private static final String PENDING = ".pending";
    private static final String COMPLETE = ".checkpoint";
    private static final Pattern FILE = Pattern.compile("(\\d{20})(\\.pending|\\.checkpoint)");
    /** Complete checkpoints kept. */
    static final int RETAINED = 2;

    private final Path directory;

    public CheckpointStorage(Path directory) {
        this.directory = requireNonNull(directory, "directory is null").toAbsolutePath();
    }

    /** Where the checkpoints of query {@code queryId} live under the server's data directory. */
    public static CheckpointStorage of(Path dataDir, String queryId) {
        return new CheckpointStorage(dataDir.resolve("checkpoints").resolve(queryId.toLowerCase(Locale.ROOT)));
    }

    public Path directory() {
        return directory;
    }

    /** A checkpoint file found on disk, readable or not. */
    public record StoredCheckpoint(long id, boolean complete, Path file) {
    }

    /** A checkpoint read back, or why it could not be. */
    public record ReadCheckpoint(StoredCheckpoint stored, Optional<Checkpoint> checkpoint, Optional<String> problem) {
    }

    /** The checkpoint files, newest first. */
    public List<StoredCheckpoint> list() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<StoredCheckpoint> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher matcher = FILE.matcher(file.getFileName().toString());
                if (matcher.matches()) {
                    found.add(new StoredCheckpoint(Long.parseLong(matcher.group(1)), matcher.group(2).equals(COMPLETE), file));
                }
            }
        }
        found.sort(Comparator.comparingLong(StoredCheckpoint::id).reversed()
                .thenComparing(stored -> !stored.complete()));
        return found;
    }

    /** Reads a listed checkpoint; a file that is cut short, changed or of another query's id is reported, not thrown. */
    public ReadCheckpoint read(StoredCheckpoint stored) {
        try {
            Checkpoint checkpoint = CheckpointFormat.read(Files.readAllBytes(stored.file()));
            if (checkpoint.id() != stored.id()) {
                return new ReadCheckpoint(stored, Optional.empty(), Optional.of("it holds checkpoint " + checkpoint.id()));
            }
            return new ReadCheckpoint(stored, Optional.of(checkpoint), Optional.empty());
        } catch (CheckpointCorruptException e) {
            return new ReadCheckpoint(stored, Optional.empty(), Optional.of(e.getMessage()));
        } catch (IOException e) {
            return new ReadCheckpoint(stored, Optional.empty(), Optional.of("cannot read it: " + e));
        }
    }

    /** Writes {@code checkpoint} as pending; returns the bytes written. */
    public long writePending(Checkpoint checkpoint) throws IOException {
        byte[] bytes = CheckpointFormat.write(checkpoint);
        new DurableFile(file(checkpoint.id(), PENDING)).write(bytes);
        return bytes.length;
    }

    /** Marks checkpoint {@code id} complete and deletes what it makes unnecessary. */
    public void markComplete(long id) throws IOException {
        Path pending = file(id, PENDING);
        Files.move(pending, file(id, COMPLETE), StandardCopyOption.ATOMIC_MOVE);
        forceDirectory();
        prune(id);
    }

    /** Deletes a pending checkpoint whose output was not committed (it will never be restored). */
    public void discard(StoredCheckpoint stored) {
        try {
            Files.deleteIfExists(stored.file());
        } catch (IOException e) {
            LOG.warn("Cannot delete checkpoint file {}: {}", stored.file(), e.toString());
        }
    }

    /** Keeps the {@value #RETAINED} newest complete checkpoints up to {@code newest}; deletes older and stray files. */
    private void prune(long newest) throws IOException {
        int complete = 0;
        for (StoredCheckpoint stored : list()) {
            if (stored.id() > newest) {
                continue;
            }
            if (stored.complete() && complete < RETAINED) {
                complete++;
                continue;
            }
            if (stored.id() != newest) {
                try {
                    Files.deleteIfExists(stored.file());
                } catch (NoSuchFileException ignored) {
                    // deleted meanwhile
                }
            }
        }
    }

    /** Deletes every checkpoint of the query (it was stopped for good). */
    public void deleteAll() {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warn("Cannot delete the checkpoints in {}: {}", directory, e.toString());
        }
    }

    private Path file(long id, String suffix) {
        return directory.resolve(String.format(Locale.ROOT, "%020d%s", id, suffix));
    }

    private void forceDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("Cannot force directory {}: {}", directory, e.toString());
        }
    }
}

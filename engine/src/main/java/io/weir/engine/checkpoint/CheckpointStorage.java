package io.weir.engine.checkpoint;

import io.weir.engine.state.KeyedSnapshot;
import io.weir.engine.state.KeyedSnapshotMerger;
import io.weir.engine.state.StateBytes;
import io.weir.engine.state.SnapshotFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * complete. An incremental checkpoint holds deltas of the checkpoint before it (its parent), so
 * reading it reads its chain back to a checkpoint that holds all state and merges them
 * ({@link KeyedSnapshotMerger}); {@link #compact} rewrites a checkpoint as a full one in the background.
 * The two newest complete checkpoints and every checkpoint their chains need are kept, so that one that
 * turns out unreadable still leaves one to restore. Used by the query's thread and the
 * {@link CheckpointCompactor}'s, so its methods that touch files are synchronized.
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
    public synchronized List<StoredCheckpoint> list() throws IOException {
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

    /**
     * The plan fingerprint of the newest checkpoint whose header can be read (see
     * {@link Checkpoint#planFingerprint()}); empty when there is none. Reads only the headers.
     */
    public Optional<String> newestPlanFingerprint() throws IOException {
        for (StoredCheckpoint stored : list()) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(stored.file()), 1024)) {
                return Optional.of(CheckpointFormat.readPlanFingerprint(in));
            } catch (CheckpointCorruptException | NoSuchFileException e) {
                LOG.debug("Checkpoint {} has no readable header: {}", stored.file(), e.toString());
            }
        }
        return Optional.empty();
    }

    /**
     * Reads a listed checkpoint with the chain of checkpoints its deltas apply to, merged into one that
     * holds all state (parent id 0); a file of the chain that is missing, cut short, changed or of
     * another id is reported, not thrown.
     */
    public ReadCheckpoint read(StoredCheckpoint stored) {
        List<Checkpoint> chain = new ArrayList<>(); // newest first
        long id = stored.id();
        Path file = stored.file();
        while (true) {
            try {
                Checkpoint checkpoint = CheckpointFormat.read(Files.readAllBytes(file));
                if (checkpoint.id() != id) {
                    return problem(stored, chain, "it holds checkpoint " + checkpoint.id());
                }
                chain.add(checkpoint);
                if (!checkpoint.incremental()) {
                    break;
                }
                id = checkpoint.parentId();
                file = existing(id);
            } catch (CheckpointCorruptException e) {
                return problem(stored, chain, e.getMessage());
            } catch (IOException e) {
                return problem(stored, chain, "cannot read it: " + e);
            }
        }
        try {
            return new ReadCheckpoint(stored, Optional.of(merge(chain)), Optional.empty());
        } catch (SnapshotFormat.CorruptSnapshotException e) {
            return new ReadCheckpoint(stored, Optional.empty(), Optional.of("its deltas do not apply to the checkpoints before it: "
                    + e.getMessage()));
        }
    }

    private static ReadCheckpoint problem(StoredCheckpoint stored, List<Checkpoint> chain, String problem) {
        String where = chain.isEmpty() ? "" : "checkpoint " + chain.get(chain.size() - 1).parentId()
                + ", on which its deltas build: ";
        return new ReadCheckpoint(stored, Optional.empty(), Optional.of(where + problem));
    }

    /** The file of checkpoint {@code id}, complete or pending (a parent is complete unless a rename failed). */
    private Path existing(long id) {
        Path complete = file(id, COMPLETE);
        return Files.exists(complete) ? complete : file(id, PENDING);
    }

    /** {@code chain} (newest first) as one checkpoint holding all state: each delta section merged with its base. */
    static Checkpoint merge(List<Checkpoint> chain) {
        Checkpoint newest = chain.get(0);
        if (chain.size() == 1) {
            return newest;
        }
        Map<String, StateBytes> sections = new LinkedHashMap<>();
        for (Map.Entry<String, StateBytes> section : newest.sections().entrySet()) {
            if (!KeyedSnapshot.isDelta(section.getValue())) {
                sections.put(section.getKey(), section.getValue());
                continue;
            }
            List<byte[]> parts = new ArrayList<>(); // newest first, back to a full one
            for (Checkpoint checkpoint : chain) {
                byte[] part = checkpoint.section(section.getKey()).orElseThrow(() -> new SnapshotFormat.CorruptSnapshotException(
                        "checkpoint " + checkpoint.id() + " has no section " + section.getKey()));
                parts.add(part);
                if (!KeyedSnapshot.isDelta(part)) {
                    break;
                }
            }
            Collections.reverse(parts);
            sections.put(section.getKey(), StateBytes.of(KeyedSnapshotMerger.merge(parts)));
        }
        return new Checkpoint(newest.id(), newest.batch(), newest.createdAtMillis(), newest.planFingerprint(), sections);
    }

    /** Writes {@code checkpoint} as pending; returns the bytes written. */
    public long writePending(Checkpoint checkpoint) throws IOException {
        return writeAtomically(file(checkpoint.id(), PENDING), checkpoint);
    }

    /** Writes a checkpoint file as a temporary file, forced to disk, renamed over {@code file}, with the directory forced. */
    private long writeAtomically(Path file, Checkpoint checkpoint) throws IOException {
        Files.createDirectories(directory);
        Path temp = directory.resolve(file.getFileName() + "." + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".tmp");
        try {
            long written;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                written = CheckpointFormat.write(checkpoint, channel);
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + directory + " cannot rename atomically", e);
            }
            forceDirectory();
            return written;
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Marks checkpoint {@code id} complete and deletes what it makes unnecessary. */
    public synchronized void markComplete(long id) throws IOException {
        Path pending = file(id, PENDING);
        Files.move(pending, file(id, COMPLETE), StandardCopyOption.ATOMIC_MOVE);
        forceDirectory();
        prune(id);
    }

    /** Deletes a pending checkpoint whose output was not committed (it will never be restored). */
    public synchronized void discard(StoredCheckpoint stored) {
        try {
            Files.deleteIfExists(stored.file());
        } catch (IOException e) {
            LOG.warn("Cannot delete checkpoint file {}: {}", stored.file(), e.toString());
        }
    }

    /**
     * Rewrites complete checkpoint {@code id} as one that holds all state (its chain merged), so that
     * the checkpoints before it are no longer needed; from the compaction thread. Returns false when
     * there is nothing to do (it holds all state already, or it was deleted meanwhile).
     */
    public boolean compact(long id) throws IOException {
        StoredCheckpoint stored = new StoredCheckpoint(id, true, file(id, COMPLETE));
        if (!Files.exists(stored.file()) || parentOf(stored.file()) == 0) {
            return false;
        }
        ReadCheckpoint read = read(stored); // outside the lock: reading is the slow part
        if (read.checkpoint().isEmpty()) {
            throw new IOException("checkpoint " + id + " cannot be compacted: " + read.problem().orElse("?"));
        }
        Path temp = file(id, ".compacted");
        writeAtomically(temp, read.checkpoint().get());
        synchronized (this) {
            if (!Files.exists(stored.file())) { // pruned meanwhile
                Files.deleteIfExists(temp);
                return false;
            }
            Files.move(temp, stored.file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory();
            List<StoredCheckpoint> files = list();
            prune(files.isEmpty() ? id : files.get(0).id()); // keeps a pending checkpoint the query is writing
        }
        return true;
    }

    /**
     * Keeps the {@value #RETAINED} newest complete checkpoints up to {@code newest}, the checkpoints their
     * deltas build on, and {@code newest}; deletes older and stray files.
     */
    private void prune(long newest) throws IOException {
        List<StoredCheckpoint> stored = list();
        Map<Long, StoredCheckpoint> byId = new LinkedHashMap<>();
        for (StoredCheckpoint checkpoint : stored) {
            byId.putIfAbsent(checkpoint.id(), checkpoint);
        }
        Set<Long> needed = new HashSet<>();
        int complete = 0;
        for (StoredCheckpoint checkpoint : stored) {
            if (checkpoint.id() >= newest) {
                needChain(checkpoint, byId, needed);
                complete += checkpoint.id() == newest && checkpoint.complete() ? 1 : 0;
            } else if (checkpoint.complete() && complete < RETAINED) {
                complete++;
                needChain(checkpoint, byId, needed);
            }
        }
        for (StoredCheckpoint checkpoint : stored) {
            if (!needed.contains(checkpoint.id())) {
                try {
                    Files.deleteIfExists(checkpoint.file());
                } catch (NoSuchFileException ignored) {
                    // deleted meanwhile
                }
            }
        }
    }

    /** Adds {@code checkpoint} and the checkpoints its deltas build on to {@code needed}. */
    private static void needChain(StoredCheckpoint checkpoint, Map<Long, StoredCheckpoint> byId, Set<Long> needed) throws IOException {
        StoredCheckpoint current = checkpoint;
        while (current != null && needed.add(current.id())) {
            long parent = parentOf(current.file());
            current = parent == 0 ? null : byId.get(parent);
        }
    }

    /** The parent id in a checkpoint file's header; 0 when it has none or cannot be read. */
    private static long parentOf(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return CheckpointFormat.parentId(in.readNBytes(CheckpointFormat.headerPrefixBytes()));
        } catch (IOException e) {
            return 0; // unreadable: it is unusable, and so are the checkpoints it would need
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

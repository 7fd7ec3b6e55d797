package io.weir.connector.file;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The file sink's in-progress files: their names, the ones open in this JVM, and the recovery of
 * files left behind by a writer that died. Such a file holds rows that were flushed, after which the
 * sources committed their positions, so they are not written again: recovery completes it (cut
 * after its last full line) instead of leaving the rows hidden forever.
 *
 * <p>A live writer's file is recognised by the registry of this JVM and, for writers in other
 * processes, by the lock the writer holds on it.
 */
final class InProgressFiles {
    private static final Logger LOG = LoggerFactory.getLogger(InProgressFiles.class);
    static final String PREFIX = ".";
    static final String SUFFIX = ".inprogress";

    /** In-progress files open by writers of this JVM. */
    private static final Set<Path> ACTIVE = ConcurrentHashMap.newKeySet();

    private InProgressFiles() {
    }

    static Path inProgress(Path completed) {
        return completed.resolveSibling(PREFIX + completed.getFileName() + SUFFIX);
    }

    /** The visible name of an in-progress file of the sink, if {@code file} is one. */
    static Optional<Path> completedName(Path file) {
        String name = file.getFileName().toString();
        if (name.startsWith(PREFIX + "part-") && name.endsWith(SUFFIX) && name.length() > PREFIX.length() + SUFFIX.length()) {
            return Optional.of(file.resolveSibling(name.substring(PREFIX.length(), name.length() - SUFFIX.length())));
        }
        return Optional.empty();
    }

    static void register(Path inProgress) {
        ACTIVE.add(inProgress.toAbsolutePath());
    }

    static void unregister(Path inProgress) {
        ACTIVE.remove(inProgress.toAbsolutePath());
    }

    /** Completes every in-progress file in {@code directory} that no live writer holds. */
    static void recoverOrphans(Path directory, String describedObject) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, PREFIX + "part-*" + SUFFIX)) {
            for (Path entry : entries) {
                Optional<Path> completed = completedName(entry);
                if (completed.isPresent() && !ACTIVE.contains(entry.toAbsolutePath())) {
                    recover(entry, completed.get(), describedObject);
                }
            }
        }
    }

    private static void recover(Path inProgress, Path completed, String describedObject) throws IOException {
        try (FileChannel channel = FileChannel.open(inProgress, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                return; // held in this JVM: a writer that is just starting
            }
            if (lock == null) {
                return; // held by a writer in another process
            }
            long size = channel.size();
            long end = lastLineEnd(channel, size);
            if (end < size) {
                channel.truncate(end); // a record cut off by the crash
            }
            channel.force(true);
            lock.release();
        } catch (NoSuchFileException e) {
            return; // completed or recovered meanwhile by someone else
        }
        if (Files.size(inProgress) == 0) {
            Files.deleteIfExists(inProgress);
            return;
        }
        try {
            Files.move(inProgress, completed, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return; // recovered meanwhile by a writer in another process
        }
        LOG.info("{}: completed {}, left in progress by a writer that stopped without closing it", describedObject, completed);
    }

    /** The position after the last '\n' (0 when there is none). */
    private static long lastLineEnd(FileChannel channel, long size) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(8192);
        long end = size;
        while (end > 0) {
            long start = Math.max(0, end - chunk.capacity());
            chunk.clear().limit((int) (end - start));
            while (chunk.hasRemaining() && channel.read(chunk, start + chunk.position()) >= 0) {
                // read the whole chunk
            }
            for (int i = chunk.position() - 1; i >= 0; i--) {
                if (chunk.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }
}

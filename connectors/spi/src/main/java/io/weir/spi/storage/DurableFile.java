package io.weir.spi.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A file replaced atomically and durably: a write goes to a temporary file that is forced to disk and
 * then atomically renamed over the old one (and the directory forced), so a crash at any point leaves
 * either the old content or the new one, never a mix.
 *
 * <p>A file made {@link #ownerOnly owner-only} (it holds secrets: password verifiers, connector
 * passwords) is created with mode 0600 on file systems with POSIX permissions: each write creates the new
 * file with that mode, so there is no moment at which others could read it.
 */
public final class DurableFile {
    private static final Logger LOG = LoggerFactory.getLogger(DurableFile.class);

    private static final FileAttribute<?> OWNER_READ_WRITE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path directory;
    private final Path file;
    private final boolean ownerOnly;

    public DurableFile(Path file) {
        this(file, false);
    }

    private DurableFile(Path file, boolean ownerOnly) {
        this.file = requireNonNull(file, "file is null").toAbsolutePath();
        this.directory = this.file.getParent();
        this.ownerOnly = ownerOnly;
    }

    /** A durable file that only its owner may read and write (mode 0600 where the file system has POSIX permissions). */
    public static DurableFile ownerOnly(Path file) {
        return new DurableFile(file, true);
    }

    public Path path() {
        return file;
    }

    /** The content, or empty when the file does not exist; removes what crashed writes left behind. */
    public Optional<byte[]> read() throws IOException {
        Files.createDirectories(directory);
        try (var leftovers = Files.newDirectoryStream(directory, file.getFileName() + ".*.tmp")) {
            for (Path leftover : leftovers) {
                // A write that crashed before its rename: the file itself is intact.
                LOG.warn("Removing incomplete write {}", leftover);
                Files.delete(leftover);
            }
        }
        return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    }

    /** Replaces the content with {@code bytes}, atomically and durably. */
    public void write(byte[] bytes) throws IOException {
        Path temp = directory.resolve(file.getFileName() + "." + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".tmp");
        try {
            Files.createDirectories(directory);
            try (FileChannel channel = open(temp)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + directory + " cannot rename atomically", e);
            }
            forceDirectory();
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private FileChannel open(Path temp) throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        if (ownerOnly && temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return FileChannel.open(temp, options, OWNER_READ_WRITE);
        }
        return FileChannel.open(temp, options);
    }

    private void forceDirectory() {
        // Makes the rename itself durable; not every platform can open a directory, which is fine there.
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("Cannot force directory {}: {}", directory, e.toString());
        }
    }
}

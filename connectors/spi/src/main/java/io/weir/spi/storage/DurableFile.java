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
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A file replaced atomically and durably: a write goes to a temporary file that is forced to disk and
 * then atomically renamed over the old one (and the directory forced), so a crash at any point leaves
 * either the old content or the new one, never a mix.
 */
public final class DurableFile {
    private static final Logger LOG = LoggerFactory.getLogger(DurableFile.class);

    private final Path directory;
    private final Path file;

    public DurableFile(Path file) {
        this.file = requireNonNull(file, "file is null").toAbsolutePath();
        this.directory = this.file.getParent();
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
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
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

    private void forceDirectory() {
        // Makes the rename itself durable; not every platform can open a directory, which is fine there.
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("Cannot force directory {}: {}", directory, e.toString());
        }
    }
}

package io.weir.sql.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Keeps the catalog in one JSON file in the data directory. A write goes to a temporary file that
 * is forced to disk and then atomically renamed over the old one (and the directory forced), so a
 * crash at any point leaves either the old catalog or the new one, never a mix.
 */
public final class CatalogStore {
    static final int FORMAT_VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(CatalogStore.class);
    private static final String FILE_NAME = "catalog.json";

    private final Path directory;
    private final Path file;
    private final ObjectMapper mapper;

    public CatalogStore(Path directory) {
        this.directory = requireNonNull(directory, "directory is null").toAbsolutePath();
        this.file = this.directory.resolve(FILE_NAME);
        this.mapper = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    public Path file() {
        return file;
    }

    /** Reads the catalog; an absent file is an empty catalog. */
    public List<CatalogObject> load() {
        try {
            Files.createDirectories(directory);
            try (var leftovers = Files.newDirectoryStream(directory, FILE_NAME + ".*.tmp")) {
                for (Path leftover : leftovers) {
                    // A write that crashed before its rename: the catalog file itself is intact.
                    LOG.warn("Removing incomplete catalog write {}", leftover);
                    Files.delete(leftover);
                }
            }
            if (!Files.exists(file)) {
                return List.of();
            }
            StoredCatalog stored = mapper.readValue(file.toFile(), StoredCatalog.class);
            if (stored.formatVersion() > FORMAT_VERSION) {
                throw new WeirException(ErrorCode.CATALOG_ERROR, "Catalog " + file + " has format version "
                        + stored.formatVersion() + ", newer than this server understands (" + FORMAT_VERSION
                        + "); run a newer Weir or restore a backup");
            }
            return stored.objects() == null ? List.of() : List.copyOf(stored.objects());
        } catch (IOException e) {
            throw new WeirException(ErrorCode.CATALOG_ERROR,
                    "Cannot read the catalog " + file + ": " + e.getMessage() + ". Fix or remove the file", e);
        }
    }

    /** Replaces the stored catalog with {@code objects}, atomically and durably. */
    public void save(List<CatalogObject> objects) {
        Path temp = directory.resolve(FILE_NAME + "." + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".tmp");
        try {
            Files.createDirectories(directory);
            byte[] bytes = mapper.writeValueAsBytes(new StoredCatalog(FORMAT_VERSION, List.copyOf(objects)));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                var buffer = java.nio.ByteBuffer.wrap(bytes);
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
            throw new WeirException(ErrorCode.CATALOG_ERROR,
                    "Cannot write the catalog " + file + ": " + e.getMessage() + ". Check the data directory's space and permissions", e);
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

    record StoredCatalog(@JsonProperty("format-version") int formatVersion,
                         @JsonProperty("objects") List<CatalogObject> objects) {
    }
}

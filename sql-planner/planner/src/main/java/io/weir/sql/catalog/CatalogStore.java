package io.weir.sql.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.storage.DurableFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Keeps the catalog in one JSON file in the data directory, replaced atomically ({@link DurableFile}):
 * a crash at any point leaves either the old catalog or the new one, never a mix.
 */
public final class CatalogStore {
    static final int FORMAT_VERSION = 1;
    private static final String FILE_NAME = "catalog.json";

    private final Path file;
    private final DurableFile durable;
    private final ObjectMapper mapper;

    public CatalogStore(Path directory) {
        this.file = requireNonNull(directory, "directory is null").toAbsolutePath().resolve(FILE_NAME);
        this.durable = new DurableFile(file);
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
            Optional<byte[]> bytes = durable.read();
            if (bytes.isEmpty()) {
                return List.of();
            }
            StoredCatalog stored = mapper.readValue(bytes.get(), StoredCatalog.class);
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
        try {
            durable.write(mapper.writeValueAsBytes(new StoredCatalog(FORMAT_VERSION, List.copyOf(objects))));
        } catch (IOException e) {
            throw new WeirException(ErrorCode.CATALOG_ERROR,
                    "Cannot write the catalog " + file + ": " + e.getMessage() + ". Check the data directory's space and permissions", e);
        }
    }

    record StoredCatalog(@JsonProperty("format-version") int formatVersion,
                         @JsonProperty("objects") List<CatalogObject> objects) {
    }
}

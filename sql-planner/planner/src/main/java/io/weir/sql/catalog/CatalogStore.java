package io.weir.sql.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.storage.DurableFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Keeps the catalog in one JSON file in the data directory, replaced atomically ({@link DurableFile}):
 * a crash at any point leaves either the old catalog or the new one, never a mix.
 *
 * <p>Format 2 gives every object an identity ({@code id}) and records what views depend on. A format 1
 * file (from an older Weir) is upgraded when read: its objects get identities, written back at once so
 * that they stay the same; the dependencies of its views are left unrecorded for the server to check.
 */
public final class CatalogStore {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogStore.class);
    static final int FORMAT_VERSION = 2;
    private static final String FILE_NAME = "catalog.json";

    private final Path file;
    private final DurableFile durable;
    private final ObjectMapper mapper;

    public CatalogStore(Path directory) {
        this.file = requireNonNull(directory, "directory is null").toAbsolutePath().resolve(FILE_NAME);
        this.durable = DurableFile.ownerOnly(file); // connector options may hold passwords
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
            JsonNode tree = mapper.readTree(bytes.get());
            int version = tree.path("format-version").asInt(0);
            if (version > FORMAT_VERSION) {
                throw new WeirException(ErrorCode.CATALOG_ERROR, "Catalog " + file + " has format version "
                        + version + ", newer than this server understands (" + FORMAT_VERSION
                        + "); run a newer Weir or restore a backup");
            }
            List<CatalogObject> objects = new ArrayList<>();
            for (JsonNode node : tree.path("objects")) {
                if (node instanceof ObjectNode object && !object.hasNonNull("id")) {
                    object.put("id", CatalogObject.newId());
                }
                objects.add(mapper.treeToValue(node, CatalogObject.class));
            }
            if (version < FORMAT_VERSION) {
                save(objects);
                LOG.info("Upgraded the catalog {} from format {} to {}: its {} objects have identities", file, version,
                        FORMAT_VERSION, objects.size());
            }
            return List.copyOf(objects);
        } catch (IOException | IllegalArgumentException e) {
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

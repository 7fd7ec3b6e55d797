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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The persistent queries of a server, in {@code queries.json} next to the catalog, replaced atomically
 * ({@link DurableFile}). Format 2 records each query's dependencies; format 1 (from an older Weir) is
 * read with them unrecorded. Thread-safe.
 */
public final class PersistentQueryStore {
    static final int FORMAT_VERSION = 2;
    private static final String FILE_NAME = "queries.json";

    private final DurableFile file;
    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public PersistentQueryStore(Path directory) {
        this.file = DurableFile.ownerOnly(requireNonNull(directory, "directory is null").resolve(FILE_NAME));
    }

    public synchronized List<PersistentQueryDefinition> load() {
        try {
            Optional<byte[]> bytes = file.read();
            if (bytes.isEmpty()) {
                return List.of();
            }
            Stored stored = mapper.readValue(bytes.get(), Stored.class);
            if (stored.formatVersion() > FORMAT_VERSION) {
                throw new WeirException(ErrorCode.CATALOG_ERROR, "Persistent queries file " + file.path()
                        + " has format version " + stored.formatVersion() + ", newer than this server understands ("
                        + FORMAT_VERSION + "); run a newer Weir or restore a backup");
            }
            return stored.queries() == null ? List.of() : List.copyOf(stored.queries());
        } catch (IOException e) {
            throw new WeirException(ErrorCode.CATALOG_ERROR, "Cannot read the persistent queries " + file.path() + ": "
                    + e.getMessage() + ". Fix or remove the file", e);
        }
    }

    public synchronized void add(PersistentQueryDefinition query) {
        List<PersistentQueryDefinition> queries = new ArrayList<>(load());
        queries.removeIf(q -> q.id().equals(query.id()));
        queries.add(query);
        save(queries);
    }

    /** Removes the query; false when it was not stored. */
    public synchronized boolean remove(String id) {
        List<PersistentQueryDefinition> queries = new ArrayList<>(load());
        boolean removed = queries.removeIf(q -> q.id().equals(id));
        if (removed) {
            save(queries);
        }
        return removed;
    }

    private void save(List<PersistentQueryDefinition> queries) {
        try {
            file.write(mapper.writeValueAsBytes(new Stored(FORMAT_VERSION, List.copyOf(queries))));
        } catch (IOException e) {
            throw new WeirException(ErrorCode.CATALOG_ERROR, "Cannot write the persistent queries " + file.path() + ": "
                    + e.getMessage() + ". Check the data directory's space and permissions", e);
        }
    }

    record Stored(@JsonProperty("format-version") int formatVersion,
                  @JsonProperty("queries") List<PersistentQueryDefinition> queries) {
    }
}

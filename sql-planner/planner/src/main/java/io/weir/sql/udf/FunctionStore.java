package io.weir.sql.udf;

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
 * Keeps the user-defined functions in {@code functions.json} beside the catalog's objects, replaced
 * atomically ({@link DurableFile}): a crash leaves the old list or the new one.
 */
public final class FunctionStore {
    static final int FORMAT_VERSION = 1;
    static final String FILE_NAME = "functions.json";

    private final Path file;
    private final DurableFile durable;
    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public FunctionStore(Path directory) {
        this.file = requireNonNull(directory, "directory is null").toAbsolutePath().resolve(FILE_NAME);
        this.durable = DurableFile.ownerOnly(file);
    }

    public Path file() {
        return file;
    }

    /** The stored functions; none when the file does not exist. */
    public List<FunctionDefinition> load() {
        try {
            Optional<byte[]> bytes = durable.read();
            if (bytes.isEmpty()) {
                return List.of();
            }
            Stored stored = mapper.readValue(bytes.get(), Stored.class);
            if (stored.formatVersion() > FORMAT_VERSION) {
                throw new WeirException(ErrorCode.CATALOG_ERROR, "The functions file " + file + " has format version "
                        + stored.formatVersion() + ", newer than this server understands (" + FORMAT_VERSION
                        + "); run a newer Weir or restore a backup");
            }
            return stored.functions() == null ? List.of() : List.copyOf(stored.functions());
        } catch (IOException | IllegalArgumentException e) {
            throw new WeirException(ErrorCode.CATALOG_ERROR,
                    "Cannot read the functions file " + file + ": " + e.getMessage() + ". Fix or remove the file", e);
        }
    }

    public void save(List<FunctionDefinition> functions) {
        try {
            durable.write(mapper.writeValueAsBytes(new Stored(FORMAT_VERSION, List.copyOf(functions))));
        } catch (IOException e) {
            throw new WeirException(ErrorCode.CATALOG_ERROR, "Cannot write the functions file " + file + ": "
                    + e.getMessage() + ". Check the data directory's space and permissions", e);
        }
    }

    record Stored(@JsonProperty("format-version") int formatVersion,
                  @JsonProperty("functions") List<FunctionDefinition> functions) {
    }
}

package io.weir.sql.auth;

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
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Keeps the users and tokens in {@code users.json} beside the catalog, replaced atomically and readable
 * by the server's owner only (mode 0600): it holds password verifiers and token hashes.
 */
final class UserStore {
    static final int FORMAT_VERSION = 1;
    static final String FILE_NAME = "users.json";

    private final DurableFile file;
    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    UserStore(Path directory) {
        this.file = DurableFile.ownerOnly(requireNonNull(directory, "directory is null").resolve(FILE_NAME));
    }

    Path path() {
        return file.path();
    }

    /** What was stored; nothing when the file does not exist. */
    Contents load() {
        try {
            Optional<byte[]> bytes = file.read();
            if (bytes.isEmpty()) {
                return new Contents(List.of(), List.of());
            }
            Stored stored = mapper.readValue(bytes.get(), Stored.class);
            if (stored.formatVersion() > FORMAT_VERSION) {
                throw new WeirException(ErrorCode.CATALOG_ERROR, "Users file " + file.path() + " has format version "
                        + stored.formatVersion() + ", newer than this server understands (" + FORMAT_VERSION
                        + "); run a newer Weir or restore a backup");
            }
            List<User> users = stored.users() == null ? List.of() : stored.users().stream()
                    .map(user -> new User(user.name(), ScramVerifier.parse(user.password()), user.admin(), user.created()))
                    .toList();
            return new Contents(users, stored.tokens() == null ? List.of() : List.copyOf(stored.tokens()));
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new WeirException(ErrorCode.CATALOG_ERROR, "Cannot read the users file " + file.path() + ": "
                    + e.getMessage() + ". Fix it, or restore a backup", e);
        }
    }

    void save(Contents contents) {
        try {
            List<StoredUser> users = contents.users().stream()
                    .map(user -> new StoredUser(user.name(), user.verifier().format(), user.admin(), user.created()))
                    .toList();
            file.write(mapper.writeValueAsBytes(new Stored(FORMAT_VERSION, users, contents.tokens())));
        } catch (IOException e) {
            throw new WeirException(ErrorCode.CATALOG_ERROR, "Cannot write the users file " + file.path() + ": "
                    + e.getMessage() + ". Check the data directory's space and permissions", e);
        }
    }

    record Contents(List<User> users, List<AccessToken> tokens) {
        Contents {
            users = List.copyOf(users);
            tokens = List.copyOf(tokens);
        }
    }

    record Stored(@JsonProperty("format-version") int formatVersion, @JsonProperty("users") List<StoredUser> users,
                  @JsonProperty("tokens") List<AccessToken> tokens) {
    }

    /** @param password the SCRAM-SHA-256 verifier in PostgreSQL's form */
    record StoredUser(@JsonProperty("name") String name, @JsonProperty("password") String password,
                      @JsonProperty("admin") boolean admin, @JsonProperty("created") Instant created) {
    }
}

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
 * Keeps the users, tokens and grants in {@code users.json} beside the catalog, replaced atomically and readable
 * by the server's owner only (mode 0600): it holds password verifiers and token hashes.
 */
final class UserStore {
    /** 2 added the grants (version 1 had none): a server that knows only 1 would drop them on its next write. */
    static final int FORMAT_VERSION = 2;
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
                return new Contents(List.of(), List.of(), List.of());
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
            List<Grant> grants = stored.grants() == null ? List.of() : stored.grants().stream()
                    .map(grant -> new Grant(grant.user(), Privilege.valueOf(grant.privilege()),
                            new Securable(Securable.Kind.valueOf(grant.kind()), grant.name() == null ? "" : grant.name()),
                            grant.granted(), grant.grantor() == null ? "" : grant.grantor()))
                    .toList();
            return new Contents(users, stored.tokens() == null ? List.of() : List.copyOf(stored.tokens()), grants);
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
            List<StoredGrant> grants = contents.grants().stream()
                    .map(grant -> new StoredGrant(grant.user(), grant.privilege().name(), grant.on().kind().name(),
                            grant.on().name(), grant.granted(), grant.grantor()))
                    .toList();
            file.write(mapper.writeValueAsBytes(new Stored(FORMAT_VERSION, users, contents.tokens(), grants)));
        } catch (IOException e) {
            throw new WeirException(ErrorCode.CATALOG_ERROR, "Cannot write the users file " + file.path() + ": "
                    + e.getMessage() + ". Check the data directory's space and permissions", e);
        }
    }

    record Contents(List<User> users, List<AccessToken> tokens, List<Grant> grants) {
        Contents {
            users = List.copyOf(users);
            tokens = List.copyOf(tokens);
            grants = List.copyOf(grants);
        }

        Contents withUsers(List<User> newUsers) {
            return new Contents(newUsers, tokens, grants);
        }

        Contents withTokens(List<AccessToken> newTokens) {
            return new Contents(users, newTokens, grants);
        }

        Contents withGrants(List<Grant> newGrants) {
            return new Contents(users, tokens, newGrants);
        }
    }

    record Stored(@JsonProperty("format-version") int formatVersion, @JsonProperty("users") List<StoredUser> users,
                  @JsonProperty("tokens") List<AccessToken> tokens, @JsonProperty("grants") List<StoredGrant> grants) {
    }

    /** @param kind a {@link Securable.Kind}; name empty for the server */
    record StoredGrant(@JsonProperty("user") String user, @JsonProperty("privilege") String privilege,
                       @JsonProperty("kind") String kind, @JsonProperty("name") String name,
                       @JsonProperty("granted") Instant granted, @JsonProperty("grantor") String grantor) {
    }

    /** @param password the SCRAM-SHA-256 verifier in PostgreSQL's form */
    record StoredUser(@JsonProperty("name") String name, @JsonProperty("password") String password,
                      @JsonProperty("admin") boolean admin, @JsonProperty("created") Instant created) {
    }
}

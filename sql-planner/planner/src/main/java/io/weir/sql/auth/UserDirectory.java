package io.weir.sql.auth;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The server's users, their bearer tokens and the privileges granted to them, kept with the catalog ({@code users.json}, mode 0600).
 * Authentication is on as soon as one user exists; from then on at least one user is an admin, so that
 * someone can always manage users (the first user must be an admin, the last admin cannot be dropped or
 * lose the attribute).
 *
 * <p>Names are unique ignoring case and keep the case they were created with; a user logs in with its
 * name in any case. Reads see an immutable snapshot and never block; changes are serialized, written
 * durably first and published after. Thread-safe.
 */
public final class UserDirectory {
    /** The user {@code --admin-password-file} and {@code WEIR_ADMIN_PASSWORD} set the password of. */
    public static final String ADMIN = "admin";
    /** PostgreSQL's limit for role names. */
    public static final int MAX_NAME_LENGTH = 63;
    private static final Logger LOG = LoggerFactory.getLogger(UserDirectory.class);
    /** Checked for an unknown user, so that its answer takes as long as a wrong password's. */
    private static final ScramVerifier NOBODY = ScramVerifier.create("no user has this password");

    private final UserStore store;
    private final List<Consumer<String>> dropListeners = new CopyOnWriteArrayList<>();
    private volatile UserStore.Contents contents;
    private volatile boolean adminPasswordManaged;

    private UserDirectory(UserStore store, UserStore.Contents contents) {
        this.store = store;
        this.contents = contents;
    }

    /** The users kept in {@code directory} (the catalog's), loaded from it. */
    public static UserDirectory open(Path directory) {
        UserStore store = new UserStore(directory);
        return new UserDirectory(store, store.load());
    }

    /** Users in memory only (tests, embedded use). */
    public static UserDirectory inMemory() {
        return new UserDirectory(null, new UserStore.Contents(List.of(), List.of(), List.of()));
    }

    /** Whether clients must authenticate: true once a user exists. */
    public boolean authenticationRequired() {
        return !contents.users().isEmpty();
    }

    /** The user named {@code name}, ignoring case. */
    public Optional<User> user(String name) {
        String key = key(name);
        return contents.users().stream().filter(user -> key(user.name()).equals(key)).findFirst();
    }

    /** All users, by name. */
    public List<User> users() {
        return contents.users().stream().sorted(Comparator.comparing(user -> key(user.name()))).toList();
    }

    /** All tokens, by name. */
    public List<AccessToken> tokens() {
        return contents.tokens().stream().sorted(Comparator.comparing(token -> key(token.name()))).toList();
    }

    /** Whether {@code user} may manage users and tokens: an admin, or anyone while there are no users. */
    public boolean isAdmin(SessionUser user) {
        if (user.anonymous()) {
            return !authenticationRequired();
        }
        return user(user.name()).map(User::admin).orElse(false);
    }

    /**
     * Checks a password: the user it belongs to, or empty when the user does not exist or the password is
     * wrong. Both take about as long (an unknown user's password is checked against a made-up verifier).
     */
    public Optional<User> checkPassword(String name, String password) {
        Optional<User> user = user(name);
        boolean matches = user.map(User::verifier).orElse(NOBODY).matches(password);
        return matches ? user : Optional.empty();
    }

    /** The user a bearer token authenticates, or empty for a token that does not exist (any more). */
    public Optional<User> checkToken(String secret) {
        byte[] hash = java.util.Base64.getDecoder().decode(AccessToken.hash(secret));
        AccessToken found = null;
        for (AccessToken token : contents.tokens()) {
            // every token is compared, in constant time: the time taken tells nothing about which matched
            if (token.matches(hash)) {
                found = token;
            }
        }
        return found == null ? Optional.empty() : user(found.user());
    }

    /**
     * Creates a user.
     *
     * @return false when it existed and {@code ifNotExists} asked to leave it alone
     */
    public synchronized boolean create(String name, String password, boolean admin, boolean ifNotExists) {
        checkName(name, "User");
        checkPassword(password);
        Optional<User> existing = user(name);
        if (existing.isPresent()) {
            if (ifNotExists) {
                return false;
            }
            throw new WeirException(ErrorCode.OBJECT_ALREADY_EXISTS, "User '" + existing.get().name()
                    + "' already exists; ALTER USER changes its password, DROP USER removes it");
        }
        if (!admin && contents.users().isEmpty()) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, "The first user must be an admin, or no one could manage"
                    + " users once authentication is on: CREATE USER " + name + " WITH PASSWORD '...' ADMIN");
        }
        List<User> users = new ArrayList<>(contents.users());
        users.add(new User(name, ScramVerifier.create(password), admin, Instant.now()));
        publish(contents.withUsers(users));
        return true;
    }

    /**
     * Changes a user's password and/or admin attribute (null: unchanged).
     *
     * @return the user as changed
     */
    public synchronized User alter(String name, String password, Boolean admin) {
        User user = existing(name);
        if (password != null) {
            checkPassword(password);
            user = user.withVerifier(ScramVerifier.create(password));
        }
        if (admin != null) {
            if (!admin && user.admin() && admins() == 1) {
                throw lastAdmin(user, "lose the admin attribute");
            }
            user = user.withAdmin(admin);
        }
        replace(user);
        return user;
    }

    /**
     * Drops a user with its tokens and grants.
     *
     * @return the names of the tokens dropped with it; empty when the user did not exist and {@code ifExists} was given
     */
    public synchronized Optional<List<String>> drop(String name, boolean ifExists) {
        Optional<User> found = user(name);
        if (found.isEmpty()) {
            if (ifExists) {
                return Optional.empty();
            }
            throw unknownUser(name);
        }
        User user = found.get();
        if (user.admin() && admins() == 1) {
            throw lastAdmin(user, "be dropped");
        }
        List<User> users = new ArrayList<>(contents.users());
        users.remove(user);
        List<String> dropped = contents.tokens().stream().filter(token -> key(token.user()).equals(key(user.name())))
                .map(AccessToken::name).toList();
        List<AccessToken> tokens = contents.tokens().stream().filter(token -> !key(token.user()).equals(key(user.name())))
                .toList();
        List<Grant> grants = contents.grants().stream().filter(grant -> !key(grant.user()).equals(key(user.name()))).toList();
        publish(new UserStore.Contents(users, tokens, grants));
        for (Consumer<String> listener : dropListeners) {
            listener.accept(user.name());
        }
        return Optional.of(dropped);
    }

    /**
     * Creates a bearer token for a user.
     *
     * @return the token's text, which is not kept: the only time anyone sees it
     */
    public synchronized String createToken(String name, String userName) {
        checkName(name, "Token");
        User user = existing(userName);
        Optional<AccessToken> existing = token(name);
        if (existing.isPresent()) {
            throw new WeirException(ErrorCode.OBJECT_ALREADY_EXISTS, "Token '" + existing.get().name() + "' already exists"
                    + " (for user '" + existing.get().user() + "'); DROP TOKEN " + existing.get().name() + " first, or choose another name");
        }
        String secret = AccessToken.newSecret();
        List<AccessToken> tokens = new ArrayList<>(contents.tokens());
        tokens.add(new AccessToken(name, user.name(), AccessToken.hash(secret), Instant.now()));
        publish(contents.withTokens(tokens));
        return secret;
    }

    /** Drops a token; false when it did not exist and {@code ifExists} was given. */
    public synchronized boolean dropToken(String name, boolean ifExists) {
        Optional<AccessToken> token = token(name);
        if (token.isEmpty()) {
            if (ifExists) {
                return false;
            }
            throw new WeirException(ErrorCode.UNKNOWN_OBJECT, "Token '" + name + "' does not exist. SHOW TOKENS lists them");
        }
        List<AccessToken> tokens = new ArrayList<>(contents.tokens());
        tokens.remove(token.get());
        publish(contents.withTokens(tokens));
        return true;
    }

    public Optional<AccessToken> token(String name) {
        String key = key(name);
        return contents.tokens().stream().filter(token -> key(token.name()).equals(key)).findFirst();
    }

    /** All grants, by user, then what they are on. */
    public List<Grant> grants() {
        return contents.grants().stream()
                .sorted(Comparator.comparing((Grant grant) -> key(grant.user())).thenComparing(grant -> grant.on().kind())
                        .thenComparing(grant -> key(grant.on().name())).thenComparing(Grant::privilege))
                .toList();
    }

    /** Whether the registered user {@code userName} was granted {@code privilege} on {@code on}. */
    public boolean granted(String userName, Privilege privilege, Securable on) {
        for (Grant grant : contents.grants()) {
            if (grant.gives(userName, privilege, on)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Grants {@code privilege} on {@code on} to a user, durably.
     *
     * @return false when the user had it already
     */
    public synchronized boolean grant(String userName, Privilege privilege, Securable on, String grantor) {
        User user = existing(userName);
        if (granted(user.name(), privilege, on)) {
            return false;
        }
        List<Grant> grants = new ArrayList<>(contents.grants());
        grants.add(new Grant(user.name(), privilege, on, Instant.now(), grantor));
        publish(contents.withGrants(grants));
        return true;
    }

    /**
     * Revokes {@code privilege} on {@code on} from a user, durably.
     *
     * @return false when the user did not have it
     */
    public synchronized boolean revoke(String userName, Privilege privilege, Securable on) {
        User user = existing(userName);
        List<Grant> grants = contents.grants().stream().filter(grant -> !grant.gives(user.name(), privilege, on)).toList();
        if (grants.size() == contents.grants().size()) {
            return false;
        }
        publish(contents.withGrants(grants));
        return true;
    }

    /**
     * Drops the grants on the stream, table or materialized view named {@code objectName}: it was dropped,
     * or an object of its name was created (which starts with no grants).
     */
    public synchronized void dropGrantsOn(String objectName) {
        retainGrants(grant -> grant.on().kind() == Securable.Kind.SERVER || grant.on().kind() == Securable.Kind.CONNECTOR
                || !grant.on().name().equalsIgnoreCase(objectName));
    }

    /** Keeps only the grants {@code keep} accepts (at start: those on objects that still exist); durable. */
    public synchronized void retainGrants(java.util.function.Predicate<Grant> keep) {
        List<Grant> grants = contents.grants().stream().filter(keep).toList();
        if (grants.size() != contents.grants().size()) {
            publish(contents.withGrants(grants));
        }
    }

    /**
     * Makes sure user {@link #ADMIN} exists with this password and the admin attribute, at each start of a
     * server given {@code --admin-password-file} or {@code WEIR_ADMIN_PASSWORD}: the file or variable is
     * what the admin's password is, even after an ALTER USER (which is how a lost admin password is reset).
     */
    public synchronized void setAdminPassword(String password) {
        checkPassword(password);
        adminPasswordManaged = true;
        Optional<User> admin = user(ADMIN);
        if (admin.isEmpty()) {
            List<User> users = new ArrayList<>(contents.users());
            users.add(new User(ADMIN, ScramVerifier.create(password), true, Instant.now()));
            publish(contents.withUsers(users));
            LOG.info("Created user '{}' with the admin password given at start; authentication is on", ADMIN);
            return;
        }
        User user = admin.get();
        boolean samePassword = user.verifier().matches(password);
        if (samePassword && user.admin()) {
            return;
        }
        replace((samePassword ? user : user.withVerifier(ScramVerifier.create(password))).withAdmin(true));
        LOG.info("User '{}' {} the admin password given at start", user.name(),
                samePassword ? "made an admin again, with" : "has its password set to");
    }

    /** Whether the server was given the admin's password at start (which a later ALTER USER does not outlast). */
    public boolean adminPasswordManaged() {
        return adminPasswordManaged;
    }

    /** Tells {@code listener} the name of each user dropped, after the drop is durable. */
    public void addDropListener(Consumer<String> listener) {
        dropListeners.add(requireNonNull(listener, "listener is null"));
    }

    /** Where the users are kept, or empty in memory. */
    public Optional<Path> file() {
        return store == null ? Optional.empty() : Optional.of(store.path());
    }

    private User existing(String name) {
        return user(name).orElseThrow(() -> unknownUser(name));
    }

    private void replace(User changed) {
        List<User> users = new ArrayList<>(contents.users());
        users.replaceAll(user -> key(user.name()).equals(key(changed.name())) ? changed : user);
        publish(contents.withUsers(users));
    }

    private long admins() {
        return contents.users().stream().filter(User::admin).count();
    }

    private void publish(UserStore.Contents next) {
        if (store != null) {
            store.save(next);
        }
        contents = next;
    }

    private static WeirException unknownUser(String name) {
        return new WeirException(ErrorCode.UNKNOWN_OBJECT, "User '" + name + "' does not exist. SHOW USERS lists them");
    }

    private static WeirException lastAdmin(User user, String what) {
        return new WeirException(ErrorCode.VALIDATION_ERROR, "User '" + user.name() + "' is the only admin and cannot "
                + what + ": make another user an admin first (ALTER USER name ADMIN)");
    }

    private static void checkName(String name, String what) {
        requireNonNull(name, "name is null");
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, what + " names have 1 to " + MAX_NAME_LENGTH
                    + " characters; '" + name + "' has " + name.length());
        }
        if (name.indexOf(':') >= 0 || name.chars().anyMatch(Character::isISOControl)) {
            // HTTP Basic sends "user:password": a colon would end the name
            throw new WeirException(ErrorCode.VALIDATION_ERROR, what + " name '" + name
                    + "' has a colon or a control character; use letters, digits and _ . - @");
        }
    }

    private static void checkPassword(String password) {
        requireNonNull(password, "password is null");
        if (password.isEmpty()) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, "A password may not be empty");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > 1024) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, "A password has at most 1024 bytes");
        }
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}

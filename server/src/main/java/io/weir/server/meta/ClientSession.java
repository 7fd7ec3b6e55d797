package io.weir.server.meta;

import io.weir.spi.WeirException;
import io.weir.sql.auth.SessionUser;
import io.weir.sql.session.SessionProperties;
import io.weir.sql.statement.StatementCancel;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.avatica.Meta;

import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * One client connection: its user, its session properties, JDBC connection properties and open statements.
 * The user is the one who opened the connection, for good: requests of other users on its id are refused.
 * (A connection opened before the server had users is taken over by the first user to authenticate on it.)
 */
final class ClientSession {
    private final String id;
    private volatile SessionUser user;
    private final SessionProperties properties;
    /** A keyed hash of the credentials last checked for this connection (see {@link io.weir.server.auth.Authenticator}). */
    private volatile byte[] credentialsKey;
    private final Map<Integer, ServerStatement> statements = new ConcurrentHashMap<>();
    private final AtomicInteger nextStatementId = new AtomicInteger();
    private volatile ConnectionPropertiesImpl connectionProperties = new ConnectionPropertiesImpl(true, false,
            java.sql.Connection.TRANSACTION_NONE, null, io.weir.sql.schema.WeirSchema.NAME);
    private volatile long lastActiveNanos = System.nanoTime();
    /** Statements of the session planning or running now (the idle sweep leaves the session alone meanwhile). */
    private final AtomicInteger working = new AtomicInteger();

    ClientSession(String id, SessionProperties properties, SessionUser user, byte[] credentialsKey) {
        this.id = requireNonNull(id, "id is null");
        this.properties = requireNonNull(properties, "properties is null");
        this.user = requireNonNull(user, "user is null");
        this.credentialsKey = credentialsKey.clone();
    }

    String id() {
        return id;
    }

    /** Who the connection's statements run as. */
    SessionUser user() {
        return user;
    }

    /** Whether {@code key} stands for the credentials last checked for this connection; in constant time. */
    boolean checkedWith(byte[] key) {
        byte[] known = credentialsKey;
        return known.length > 0 && MessageDigest.isEqual(known, key);
    }

    /** Remembers the credentials the user was checked with last (a new password, after ALTER USER). */
    synchronized void checkedWith(SessionUser checked, byte[] key) {
        if (!checked.equals(user)) {
            throw new IllegalArgumentException(checked + " is not the user of connection " + id);
        }
        credentialsKey = key.clone();
    }

    /**
     * Makes a connection opened without a user (before authentication was turned on) {@code claimant}'s, the
     * first user to authenticate on it; from then on it is that user's alone.
     *
     * @return false when the connection already has a user
     */
    synchronized boolean claim(SessionUser claimant, byte[] key) {
        if (!user.anonymous()) {
            return false;
        }
        user = claimant;
        credentialsKey = key.clone();
        return true;
    }

    SessionProperties properties() {
        return properties;
    }

    void touch() {
        lastActiveNanos = System.nanoTime();
    }

    /** A statement of the session starts planning or running: the session is not idle until it ends. */
    void beginWork() {
        working.incrementAndGet();
        touch();
    }

    void endWork() {
        touch();
        working.decrementAndGet();
    }

    /** How long the session has had no request and no statement at work; 0 while one is. */
    long idleNanos() {
        return working.get() > 0 ? 0 : System.nanoTime() - lastActiveNanos;
    }

    ServerStatement newStatement() {
        int statementId = nextStatementId.incrementAndGet();
        ServerStatement statement = new ServerStatement(new Meta.StatementHandle(id, statementId, null));
        statements.put(statementId, statement);
        return statement;
    }

    /** A statement of this session; Avatica's client may use ids we have not seen after a reconnect. */
    ServerStatement statement(int statementId) {
        return statements.computeIfAbsent(statementId, sid -> {
            nextStatementId.accumulateAndGet(sid, Math::max);
            return new ServerStatement(new Meta.StatementHandle(id, sid, null));
        });
    }

    ServerStatement existingStatement(int statementId) {
        return statements.get(statementId);
    }

    /** Closes a statement; an execution of it in progress is cancelled with {@code reason}. */
    void closeStatement(int statementId, WeirException reason) {
        ServerStatement statement = statements.remove(statementId);
        if (statement != null) {
            statement.close(reason);
        }
    }

    synchronized ConnectionPropertiesImpl syncConnectionProperties(Meta.ConnectionProperties requested) {
        if (requested != null && !requested.isEmpty()) {
            connectionProperties = (ConnectionPropertiesImpl) connectionProperties.merge(requested);
        }
        return connectionProperties;
    }

    /** Closes every statement; what they plan or run is cancelled, saying {@code why} (e.g. "its connection was closed"). */
    void close(String why) {
        WeirException reason = StatementCancel.cancelled(why);
        for (Integer statementId : List.copyOf(statements.keySet())) {
            closeStatement(statementId, reason);
        }
    }

    int openStatements() {
        return statements.size();
    }
}

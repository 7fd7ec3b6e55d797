package io.weir.server.meta;

import io.weir.sql.session.SessionProperties;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.avatica.Meta;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/** One client connection: its session properties, JDBC connection properties and open statements. */
final class ClientSession {
    private final String id;
    private final SessionProperties properties;
    private final Map<Integer, ServerStatement> statements = new ConcurrentHashMap<>();
    private final AtomicInteger nextStatementId = new AtomicInteger();
    private volatile ConnectionPropertiesImpl connectionProperties = new ConnectionPropertiesImpl(true, false,
            java.sql.Connection.TRANSACTION_NONE, null, io.weir.sql.schema.WeirSchema.NAME);
    private volatile long lastActiveNanos = System.nanoTime();

    ClientSession(String id, SessionProperties properties) {
        this.id = requireNonNull(id, "id is null");
        this.properties = requireNonNull(properties, "properties is null");
    }

    String id() {
        return id;
    }

    SessionProperties properties() {
        return properties;
    }

    void touch() {
        lastActiveNanos = System.nanoTime();
    }

    long idleNanos() {
        return System.nanoTime() - lastActiveNanos;
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

    void closeStatement(int statementId) {
        ServerStatement statement = statements.remove(statementId);
        if (statement != null) {
            statement.close();
        }
    }

    synchronized ConnectionPropertiesImpl syncConnectionProperties(Meta.ConnectionProperties requested) {
        if (requested != null && !requested.isEmpty()) {
            connectionProperties = (ConnectionPropertiesImpl) connectionProperties.merge(requested);
        }
        return connectionProperties;
    }

    void close() {
        for (Integer statementId : List.copyOf(statements.keySet())) {
            closeStatement(statementId);
        }
    }

    int openStatements() {
        return statements.size();
    }
}

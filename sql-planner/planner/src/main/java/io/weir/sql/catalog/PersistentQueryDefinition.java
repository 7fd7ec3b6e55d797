package io.weir.sql.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * A persistent query as stored, so that it runs again after a server restart.
 *
 * @param sql the {@code INSERT INTO ... SELECT STREAM ...} statement, planned again at each start
 * @param session the session properties it was started with (batch interval, time zone, ...)
 * @param dependencies the objects it reads and writes (its sources, the views it reads through, its sink),
 *        by identity: planned again, it must find the same objects; null when not recorded (stored by a
 *        version of Weir that kept none, until the server has checked them)
 * @param owner the user who started it (null: none, or stored by a version of Weir that kept none); it is
 *        theirs to see and stop
 */
public record PersistentQueryDefinition(@JsonProperty("id") String id, @JsonProperty("sql") String sql,
                                        @JsonProperty("session") Map<String, String> session,
                                        @JsonProperty("created") Instant created,
                                        @JsonProperty("dependencies") List<ObjectReference> dependencies,
                                        @JsonProperty("owner") String owner) {
    public PersistentQueryDefinition {
        requireNonNull(id, "id is null");
        requireNonNull(sql, "sql is null");
        session = java.util.Collections.unmodifiableMap(new TreeMap<>(session == null ? Map.of() : session));
        requireNonNull(created, "created is null");
        dependencies = dependencies == null ? null : List.copyOf(dependencies);
    }

    /** A definition without an owner. */
    public PersistentQueryDefinition(String id, String sql, Map<String, String> session, Instant created,
                                     List<ObjectReference> dependencies) {
        this(id, sql, session, created, dependencies, null);
    }

    /** This definition with {@code dependencies} recorded. */
    public PersistentQueryDefinition withDependencies(List<ObjectReference> dependencies) {
        return new PersistentQueryDefinition(id, sql, session, created, requireNonNull(dependencies, "dependencies is null"),
                owner);
    }
}

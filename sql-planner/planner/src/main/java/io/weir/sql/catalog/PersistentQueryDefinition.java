package io.weir.sql.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * A persistent query as stored, so that it runs again after a server restart.
 *
 * @param sql the {@code INSERT INTO ... SELECT STREAM ...} statement, planned again at each start
 * @param session the session properties it was started with (batch interval, time zone, ...)
 */
public record PersistentQueryDefinition(@JsonProperty("id") String id, @JsonProperty("sql") String sql,
                                        @JsonProperty("session") Map<String, String> session,
                                        @JsonProperty("created") Instant created) {
    public PersistentQueryDefinition {
        requireNonNull(id, "id is null");
        requireNonNull(sql, "sql is null");
        session = java.util.Collections.unmodifiableMap(new TreeMap<>(session == null ? Map.of() : session));
        requireNonNull(created, "created is null");
    }
}

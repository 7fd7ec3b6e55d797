package io.weir.sql.udf;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * A user-defined function as {@code CREATE FUNCTION} registered it: what the catalog keeps, so that the
 * server loads it again when it restarts.
 *
 * @param name the name as declared; unique ignoring case, as unquoted identifiers are
 * @param className the binary name of the class whose public {@code eval} methods are the function
 * @param jar the jar as written in {@code USING JAR}
 * @param jarPath the jar's absolute path, checked to lie under the server's file roots when created
 * @param ddl the statement that created it
 */
public record FunctionDefinition(String name, String className, String jar, String jarPath, String ddl,
                                 Instant createdAt) {
    public FunctionDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(className, "className is null");
        requireNonNull(jar, "jar is null");
        requireNonNull(jarPath, "jarPath is null");
        requireNonNull(ddl, "ddl is null");
        requireNonNull(createdAt, "createdAt is null");
    }
}

package io.weir.connector.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/** What differs between the databases the connector speaks to: quoting, upserts, driver URLs and settings. */
enum Dialect {
    POSTGRESQL("PostgreSQL", "jdbc:postgresql:") {
        @Override
        String quote(String identifier) {
            return '"' + identifier.replace("\"", "\"\"") + '"';
        }

        @Override
        String upsertClause(List<String> keyColumns, List<String> otherColumns) {
            String key = keyColumns.stream().map(this::quote).collect(Collectors.joining(", "));
            if (otherColumns.isEmpty()) {
                return " ON CONFLICT (" + key + ") DO NOTHING";
            }
            return " ON CONFLICT (" + key + ") DO UPDATE SET " + otherColumns.stream()
                    .map(c -> quote(c) + " = EXCLUDED." + quote(c)).collect(Collectors.joining(", "));
        }

        @Override
        void connectTimeout(Properties properties, Duration timeout) {
            String seconds = Long.toString(Math.max(1, timeout.toSeconds()));
            properties.putIfAbsent("connectTimeout", seconds);
            properties.putIfAbsent("loginTimeout", seconds);
        }

        @Override
        void applicationName(Properties properties, String name) {
            properties.putIfAbsent("ApplicationName", name);
        }

        @Override
        String utcSessionStatement() {
            return "SET TIME ZONE 'UTC'";
        }

        @Override
        String millisTimestampType() {
            return "TIMESTAMP(3)";
        }
    },
    MYSQL("MySQL/MariaDB", "jdbc:mysql:", "jdbc:mariadb:") {
        @Override
        String quote(String identifier) {
            return '`' + identifier.replace("`", "``") + '`';
        }

        @Override
        String upsertClause(List<String> keyColumns, List<String> otherColumns) {
            // Without other columns a no-op update keeps INSERT from failing on an existing key.
            List<String> updated = otherColumns.isEmpty() ? keyColumns : otherColumns;
            return " ON DUPLICATE KEY UPDATE " + updated.stream()
                    .map(c -> quote(c) + " = VALUES(" + quote(c) + ")").collect(Collectors.joining(", "));
        }

        @Override
        String driverUrl(String url) {
            // The bundled MariaDB driver speaks to MySQL too, but only accepts its own scheme.
            return url.regionMatches(true, 0, "jdbc:mysql:", 0, "jdbc:mysql:".length())
                    ? "jdbc:mariadb:" + url.substring("jdbc:mysql:".length()) : url;
        }

        @Override
        void connectTimeout(Properties properties, Duration timeout) {
            properties.putIfAbsent("connectTimeout", Long.toString(Math.max(1, timeout.toMillis())));
        }

        @Override
        void applicationName(Properties properties, String name) {
            properties.putIfAbsent("connectionAttributes", "program_name:" + name);
        }

        @Override
        String utcSessionStatement() {
            return "SET time_zone = '+00:00'";
        }

        @Override
        String millisTimestampType() {
            return "DATETIME(3)";
        }
    };

    private final String displayName;
    private final List<String> prefixes;

    Dialect(String displayName, String... prefixes) {
        this.displayName = displayName;
        this.prefixes = List.of(prefixes);
    }

    /** The dialect of a JDBC URL, by its prefix. */
    static Optional<Dialect> of(String url) {
        String lower = url.trim().toLowerCase(Locale.ROOT);
        for (Dialect dialect : values()) {
            if (dialect.prefixes.stream().anyMatch(lower::startsWith)) {
                return Optional.of(dialect);
            }
        }
        return Optional.empty();
    }

    /** The URL prefixes of all dialects, for messages. */
    static String supportedPrefixes() {
        return java.util.Arrays.stream(values()).flatMap(d -> d.prefixes.stream()).map(p -> "'" + p + "//...'")
                .collect(Collectors.joining(", "));
    }

    String displayName() {
        return displayName;
    }

    /** An identifier quoted so that it is taken exactly as written. */
    abstract String quote(String identifier);

    /** What follows {@code INSERT INTO t (...) VALUES (...)} to update a row whose key exists. */
    abstract String upsertClause(List<String> keyColumns, List<String> otherColumns);

    /** The URL handed to the driver. */
    String driverUrl(String url) {
        return url;
    }

    /** Sets the driver's connect and login timeouts unless the user did. */
    abstract void connectTimeout(Properties properties, Duration timeout);

    /** Names the connection so that DBAs (and tests) can find Weir's sessions. */
    abstract void applicationName(Properties properties, String name);

    /** A statement making the session's time zone UTC, so timestamps convert to and from epoch millis in UTC. */
    abstract String utcSessionStatement();

    /** The column type of a UTC wall-clock time in milliseconds. */
    abstract String millisTimestampType();

    void prepareSession(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(utcSessionStatement());
        }
    }

    /** {@code INSERT INTO table (c1, c2) VALUES (?, ?)}, plus the upsert clause when there is a key. */
    String insertStatement(String table, List<String> columns, List<String> keyColumns) {
        String columnList = columns.stream().map(this::quote).collect(Collectors.joining(", "));
        String placeholders = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
        String insert = "INSERT INTO " + table + " (" + columnList + ") VALUES (" + placeholders + ")";
        if (keyColumns.isEmpty()) {
            return insert;
        }
        List<String> others = columns.stream().filter(c -> !keyColumns.contains(c)).toList();
        return insert + upsertClause(keyColumns, others);
    }

    /** {@code SELECT c1, c2 FROM table}. */
    String selectStatement(String table, List<String> columns) {
        return "SELECT " + columns.stream().map(this::quote).collect(Collectors.joining(", ")) + " FROM " + table;
    }
}

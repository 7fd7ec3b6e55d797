package io.weir.server.auth;

import io.weir.server.config.Secret;
import io.weir.server.testing.RunningServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Privileges end to end, over real JDBC connections and HTTP ingest to a running server with an admin:
 * what a user without a grant is refused (SQLSTATE 42501, naming the privilege and the GRANT that gives
 * it), that GRANT lets it and REVOKE refuses it again, what metadata each user sees, whose queries a user
 * sees and stops, and that grants survive a restart.
 */
@Timeout(120)
class PrivilegesTest {
    private static final String ADMIN_PASSWORD = "adm1n-secret";
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @TempDir
    Path dataDir;
    private RunningServer server;
    private final List<Connection> connections = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws SQLException {
        closeConnections();
        if (server != null) {
            server.close();
        }
    }

    private void closeConnections() throws SQLException {
        for (Connection connection : connections) {
            connection.close();
        }
        connections.clear();
    }

    private void start() throws Exception {
        server = RunningServer.start(dataDir, builder -> builder.adminPassword(Optional.of(new Secret(ADMIN_PASSWORD))));
    }

    private Connection connect(String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        Connection connection = DriverManager.getConnection(server.jdbcUrl(), properties);
        connections.add(connection);
        return connection;
    }

    private Connection admin() throws SQLException {
        return connect("admin", ADMIN_PASSWORD);
    }

    private static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static List<String> column(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    /** The first row of a push query, then it is closed. */
    private static String firstPushed(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    private static SQLException denied(Connection connection, String sql) {
        SQLException e = catchThrowableOfType(SQLException.class, () -> {
            try (Statement statement = connection.createStatement()) {
                if (statement.execute(sql)) {
                    try (ResultSet rows = statement.getResultSet()) {
                        rows.next();
                    }
                }
            }
        });
        assertThat((Throwable) e).as(sql).isNotNull();
        return e;
    }

    private static void assertDenied(Connection connection, String sql, String message) {
        SQLException e = denied(connection, sql);
        assertThat(e.getSQLState()).as(sql + ": " + e.getMessage()).isEqualTo(INSUFFICIENT_PRIVILEGE);
        assertThat(e.getMessage()).as(sql).contains(message);
    }

    private HttpResponse<String> ingest(String user, String password, String stream, String body) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/ingest/" + stream))
                .header("Content-Type", "application/x-ndjson").header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Streams and tables of the tests: a continuous stream, a bounded table and a view over it, an ingest stream, a file sink. */
    private void createObjects(Connection admin) throws SQLException {
        execute(admin,
                "CREATE STREAM ticks (id BIGINT, price DOUBLE) WITH ('connector' = 'datagen', 'rows-per-second' = '20',"
                        + " 'fields.id.kind' = 'sequence', 'fields.id.start' = '1')",
                "CREATE TABLE prices (id INT, price DOUBLE) WITH ('connector' = 'datagen', 'number-of-rows' = '5',"
                        + " 'rows-per-second' = '0', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1')",
                "CREATE VIEW cheap AS SELECT id FROM prices WHERE price < 1000000",
                "CREATE STREAM readings (sensor VARCHAR, temp DOUBLE) WITH ('connector' = 'http', 'format' = 'json')",
                "CREATE STREAM expensive (id BIGINT, price DOUBLE) WITH ('connector' = 'file', 'path' = '"
                        + dataDir.resolve("files/expensive") + "', 'format' = 'json')",
                "CREATE USER bob WITH PASSWORD 'b0b-secret'");
    }

    @Test
    void whatAUserMayDoIsWhatItWasGranted() throws Exception {
        start();
        Connection admin = admin();
        createObjects(admin);
        Connection bob = connect("bob", "b0b-secret");
        String record = "{\"sensor\": \"a\", \"temp\": 20.5}\n";
        String insert = "INSERT INTO expensive SELECT STREAM id, price FROM ticks WHERE price > 10";
        try (Statement statement = bob.createStatement();
             ResultSet who = statement.executeQuery("SELECT CURRENT_USER, SESSION_USER, SYSTEM_USER")) {
            assertThat(who.next()).isTrue();
            assertThat(who.getString(1) + " " + who.getString(2) + " " + who.getString(3)).isEqualTo("bob bob bob");
        }

        assertDenied(bob, "SELECT STREAM id FROM ticks",
                "user 'bob' lacks SELECT on stream 'ticks'; an admin can run GRANT SELECT ON STREAM ticks TO bob");
        assertDenied(bob, "SELECT * FROM cheap", "user 'bob' lacks SELECT on table 'prices', which view 'cheap' reads;"
                + " an admin can run GRANT SELECT ON TABLE prices TO bob");
        assertDenied(bob, "EXPLAIN PLAN FOR SELECT * FROM prices", "lacks SELECT on table 'prices'");
        assertDenied(bob, "DESCRIBE prices", "lacks SELECT on table 'prices'");
        assertDenied(bob, insert, "user 'bob' lacks CREATE; an admin can run GRANT CREATE TO bob");
        HttpResponse<String> refused = ingest("bob", "b0b-secret", "readings", record);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("user 'bob' lacks INSERT on stream 'readings'");
        assertDenied(bob, "GRANT SELECT ON STREAM ticks TO bob", "Only admins may grant and revoke privileges");

        String file = "CREATE STREAM mine (line VARCHAR) WITH ('connector' = 'file', 'path' = '"
                + dataDir.resolve("files/mine") + "', 'format' = 'raw')";
        assertDenied(bob, file, "lacks CREATE");
        execute(admin, "GRANT CREATE TO bob");
        assertDenied(bob, file, "user 'bob' lacks USAGE on connector 'file'; an admin can run GRANT USAGE ON CONNECTOR file"
                + " TO bob");
        execute(admin, "GRANT USAGE ON CONNECTOR file TO bob");
        execute(bob, file);
        // flume listens on a port of the server's machine: USAGE too
        String flume = "CREATE STREAM agents (line VARCHAR) WITH ('connector' = 'flume', 'host' = '127.0.0.1',"
                + " 'port' = '41414', 'format' = 'raw')";
        assertDenied(bob, flume, "user 'bob' lacks USAGE on connector 'flume'; an admin can run GRANT USAGE ON CONNECTOR"
                + " flume TO bob");
        execute(admin, "GRANT USAGE ON CONNECTOR flume TO bob");
        execute(bob, flume);
        // kinesis reaches AWS with the server's own credentials when the stream names none: USAGE too
        assertDenied(bob, "CREATE STREAM shipments (id BIGINT) WITH ('connector' = 'kinesis', 'stream' = 'shipments',"
                + " 'aws.region' = 'eu-west-1')", "user 'bob' lacks USAGE on connector 'kinesis'; an admin can run GRANT USAGE"
                + " ON CONNECTOR kinesis TO bob");
        // datagen, http and kafka need no USAGE
        execute(bob, "CREATE STREAM own_ticks (id BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '3')");

        execute(admin, "GRANT SELECT ON STREAM ticks TO bob", "GRANT SELECT ON TABLE prices TO bob",
                "GRANT INSERT ON STREAM readings TO bob");
        assertThat(firstPushed(bob, "SELECT STREAM id FROM ticks")).isNotNull();
        assertThat(column(bob, "SELECT * FROM cheap")).containsExactly("1", "2", "3", "4", "5");
        assertThat(column(bob, "EXPLAIN PLAN FOR SELECT * FROM prices")).isNotEmpty();
        assertThat(ingest("bob", "b0b-secret", "readings", record).statusCode()).isEqualTo(200);
        assertDenied(bob, insert, "user 'bob' lacks INSERT on stream 'expensive'");
        execute(admin, "GRANT INSERT ON STREAM expensive TO bob");
        assertThat(column(bob, insert)).hasSize(1);

        assertThat(column(bob, "SHOW GRANTS")).containsOnly("bob").hasSize(7); // CREATE, USAGE file and flume, 4 on objects
        assertDenied(bob, "SHOW GRANTS FOR admin", "Only admins may see other users' grants");

        execute(admin, "REVOKE SELECT ON TABLE prices FROM bob", "REVOKE INSERT ON STREAM readings FROM bob");
        assertDenied(bob, "SELECT * FROM cheap", "lacks SELECT on table 'prices'");
        assertThat(ingest("bob", "b0b-secret", "readings", record).statusCode()).isEqualTo(403);
        assertThat(firstPushed(bob, "SELECT STREAM id FROM ticks")).as("still granted").isNotNull();
    }

    @Test
    void metadataShowsAUserOnlyWhatItMaySelect() throws Exception {
        start();
        Connection admin = admin();
        createObjects(admin);
        execute(admin, "GRANT SELECT ON STREAM ticks TO bob");
        Connection bob = connect("bob", "b0b-secret");

        assertThat(tables(admin)).contains("ticks", "prices", "cheap", "readings", "expensive");
        assertThat(tables(bob)).containsExactly("ticks");
        assertThat(column(admin, "SHOW STREAMS")).containsExactlyInAnyOrder("ticks", "readings", "expensive");
        assertThat(column(bob, "SHOW STREAMS")).containsExactly("ticks");
        assertThat(column(bob, "SHOW VIEWS")).isEmpty();
        assertThat(columns(bob)).containsExactly("ticks.id", "ticks.price");

        execute(admin, "GRANT SELECT ON TABLE prices TO bob");
        assertThat(tables(bob)).containsExactlyInAnyOrder("ticks", "prices", "cheap");
        assertThat(column(bob, "SHOW VIEWS")).containsExactly("cheap");
    }

    private static List<String> tables(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rows = connection.getMetaData().getTables(null, null, "%", null)) {
            while (rows.next()) {
                if (!"sys".equals(rows.getString("TABLE_SCHEM"))) {
                    names.add(rows.getString("TABLE_NAME"));
                }
            }
        }
        return names;
    }

    private static List<String> columns(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>();
        DatabaseMetaData metadata = connection.getMetaData();
        try (ResultSet rows = metadata.getColumns(null, null, "%", "%")) {
            while (rows.next()) {
                if (!"sys".equals(rows.getString("TABLE_SCHEM"))) {
                    names.add(rows.getString("TABLE_NAME") + "." + rows.getString("COLUMN_NAME"));
                }
            }
        }
        return names;
    }

    @Test
    void aUserSeesAndStopsOnlyItsOwnQueries() throws Exception {
        start();
        Connection admin = admin();
        createObjects(admin);
        execute(admin, "CREATE USER carol WITH PASSWORD 'car0l-secret'", "GRANT SELECT ON STREAM ticks TO bob",
                "GRANT SELECT ON STREAM ticks TO carol");
        Connection bob = connect("bob", "b0b-secret");
        Connection carol = connect("carol", "car0l-secret");
        try (Statement push = bob.createStatement(); ResultSet rows = push.executeQuery("SELECT STREAM id FROM ticks")) {
            assertThat(rows.next()).isTrue();
            List<String> bobs = column(bob, "SHOW QUERIES");
            assertThat(bobs).hasSize(1);
            String id = bobs.get(0);

            assertThat(column(carol, "SHOW QUERIES")).isEmpty();
            assertThat(column(carol, "SELECT query_id FROM sys.queries")).doesNotContain(id);
            assertThat(column(bob, "SELECT owner FROM sys.queries WHERE query_id = '" + id + "'")).containsExactly("bob");
            SQLException notThere = denied(carol, "STOP QUERY '" + id + "'");
            assertThat(notThere.getMessage()).contains("There is no running query '" + id + "'");
            assertThat(column(admin, "SHOW QUERIES")).contains(id);

            assertThat(column(bob, "STOP QUERY '" + id + "'")).containsExactly(id);
        }
    }

    @Test
    void aRevokeStopsTheQueriesThatNeededWhatItTook() throws Exception {
        start();
        Connection admin = admin();
        createObjects(admin);
        execute(admin, "GRANT SELECT ON STREAM ticks TO bob", "GRANT CREATE TO bob", "GRANT USAGE ON CONNECTOR file TO bob",
                "GRANT INSERT ON STREAM expensive TO bob");
        Connection bob = connect("bob", "b0b-secret");
        execute(bob, "INSERT INTO expensive SELECT STREAM id, price FROM ticks");
        try (Statement push = bob.createStatement(); ResultSet rows = push.executeQuery("SELECT STREAM id FROM ticks")) {
            assertThat(rows.next()).isTrue();
            assertThat(column(admin, "SELECT owner FROM sys.queries WHERE ended IS NULL")).containsExactly("bob", "bob");

            // taking INSERT on the sink stops the persistent query only
            execute(admin, "REVOKE INSERT ON STREAM expensive FROM bob");
            assertThat(column(admin, "SELECT kind FROM sys.queries WHERE ended IS NULL")).containsExactly("PUSH");
            // taking SELECT stops the push query: its next fetch says why
            execute(admin, "REVOKE SELECT ON STREAM ticks FROM bob");
            SQLException stopped = catchThrowableOfType(SQLException.class, () -> {
                while (rows.next()) {
                    rows.getLong(1);
                }
            });
            assertThat((Throwable) stopped).isNotNull();
            assertThat(stopped.getMessage()).contains("may no longer read stream 'ticks'");
        }
        assertThat(column(admin, "SHOW QUERIES")).isEmpty();
    }

    @Test
    void grantsAreKeptWithTheUsersAndGoWithTheirObjectOrUser() throws Exception {
        start();
        Connection admin = admin();
        createObjects(admin);
        execute(admin, "GRANT SELECT ON TABLE prices TO bob", "GRANT ALL ON STREAM readings TO bob", "GRANT CREATE TO bob",
                "GRANT SELECT ON STREAM ticks TO bob", "GRANT INSERT ON STREAM expensive TO bob",
                "CREATE USER carol WITH PASSWORD 'car0l-secret'", "GRANT SELECT ON STREAM ticks TO carol");
        String persistent = column(connect("bob", "b0b-secret"),
                "INSERT INTO expensive SELECT STREAM id, price FROM ticks WHERE price > 10").get(0);
        closeConnections();
        server.close();
        server = null;

        start();
        Connection bob = connect("bob", "b0b-secret");
        assertThat(column(bob, "SELECT id FROM prices")).hasSize(5);
        assertThat(column(bob, "SHOW GRANTS")).hasSize(6);
        // the persistent query, started again, is still bob's
        assertThat(column(bob, "SELECT owner FROM sys.queries WHERE query_id = '" + persistent + "'")).containsExactly("bob");
        Connection carol = connect("carol", "car0l-secret");
        assertThat(column(carol, "SHOW QUERIES")).isEmpty();
        assertThat(denied(carol, "STOP QUERY '" + persistent + "'").getMessage()).contains("There is no running query");
        assertThat(column(bob, "STOP QUERY '" + persistent + "'")).containsExactly(persistent);
        Path users = dataDir.resolve("catalog/users.json");
        assertThat(Files.readString(users)).contains("\"grants\"").contains("\"privilege\" : \"SELECT\"");
        if (users.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(users))).isEqualTo("rw-------");
        }

        Connection admin2 = admin();
        execute(admin2, "DROP VIEW cheap", "DROP TABLE prices");
        assertThat(column(admin2, "SHOW GRANTS FOR bob")).hasSize(5);
        execute(admin2, "CREATE TABLE prices (id INT) WITH ('connector' = 'datagen', 'number-of-rows' = '1')");
        assertDenied(bob, "SELECT id FROM prices", "lacks SELECT on table 'prices'");
        execute(admin2, "DROP USER bob");
        assertThat(column(admin2, "SHOW GRANTS")).containsExactly("carol");
    }
}

package io.weir.server.auth;

import io.weir.server.config.Secret;
import io.weir.server.testing.RunningServer;
import io.weir.server.testing.TestCertificates;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Users and authentication end to end, over real connections: Weir's JDBC driver, Avatica's stock driver,
 * raw Avatica JSON requests and HTTP ingest against a server whose admin password was given at start.
 */
@Timeout(120)
class AuthenticationTest {
    private static final String ADMIN_PASSWORD = "adm1n-secret";

    @TempDir
    Path dataDir;
    private RunningServer server;
    private final List<Connection> connections = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws SQLException {
        for (Connection connection : connections) {
            connection.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private RunningServer startWithAdmin() throws Exception {
        server = RunningServer.start(dataDir, builder -> builder.adminPassword(Optional.of(new Secret(ADMIN_PASSWORD))));
        return server;
    }

    private Connection weir(String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        Connection connection = DriverManager.getConnection(server.jdbcUrl(), properties);
        connections.add(connection);
        return connection;
    }

    private Connection stock(String user, String password) throws SQLException {
        Connection connection = DriverManager.getConnection(server.avaticaUrl() + ";authentication=BASIC;avatica_user=" + user
                + ";avatica_password=" + password);
        connections.add(connection);
        return connection;
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

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * What an action failed with. Avatica's stock driver throws its unchecked AvaticaClientRuntimeException
     * from connect and some other calls: it is turned into the SQLException it stands for.
     */
    private static SQLException failure(ThrowingRunnable action) {
        Throwable thrown = catchThrowable(action::run);
        if (thrown instanceof AvaticaClientRuntimeException avatica) {
            return new SQLException(avatica.getMessage(), avatica.getSqlState(), avatica.getErrorCode(), avatica);
        }
        assertThat(thrown).isInstanceOf(SQLException.class);
        return (SQLException) thrown;
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void weirsDriverLogsInWithTheRightPasswordOnly() throws Exception {
        startWithAdmin();
        assertThat(column(weir("admin", ADMIN_PASSWORD), "SHOW USERS")).containsExactly("admin");
        Connection fromUrl = DriverManager.getConnection(server.jdbcUrl() + "?user=admin&password="
                + URLEncoder.encode(ADMIN_PASSWORD, StandardCharsets.UTF_8));
        connections.add(fromUrl);
        assertThat(column(fromUrl, "SHOW USERS")).containsExactly("admin");

        SQLException wrong = failure(() -> weir("admin", "not-it"));
        SQLException unknown = failure(() -> weir("nobody", "not-it"));
        SQLException none = failure(() -> connections.add(DriverManager.getConnection(server.jdbcUrl())));

        assertThat(wrong.getSQLState()).isEqualTo("28P01");
        assertThat(wrong.getErrorCode()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED.vendorCode());
        assertThat(wrong.getMessage()).contains("Password authentication failed for user 'admin'");
        assertThat(unknown.getSQLState()).as("an unknown user cannot be told from a wrong password").isEqualTo("28P01");
        assertThat(unknown.getMessage().replace("nobody", "X")).isEqualTo(wrong.getMessage().replace("admin", "X"));
        assertThat(none.getSQLState()).isEqualTo("28000");
        assertThat(none.getMessage()).contains("needs a user and password").contains("user and password");
    }

    @Test
    void theStockAvaticaDriverLogsInWithHttpBasic() throws Exception {
        startWithAdmin();
        assertThat(column(stock("admin", ADMIN_PASSWORD), "SHOW USERS")).containsExactly("admin");

        SQLException wrong = failure(() -> column(stock("admin", "not-it"), "SHOW USERS"));
        SQLException unknown = failure(() -> column(stock("nobody", "not-it"), "SHOW USERS"));

        assertThat(wrong.getSQLState()).isEqualTo("28P01");
        assertThat(wrong.getMessage()).contains("Password authentication failed for user 'admin'");
        assertThat(unknown.getSQLState()).isEqualTo("28P01");
        assertThat(unknown.getMessage().replace("nobody", "X")).isEqualTo(wrong.getMessage().replace("admin", "X"));
    }

    @Test
    void statementsRunAsTheConnectionsUser() throws Exception {
        startWithAdmin();
        Connection admin = weir("admin", ADMIN_PASSWORD);
        execute(admin, "CREATE USER bob WITH PASSWORD 'b0b-pass'");
        Connection bob = weir("bob", "b0b-pass");

        SQLException denied = failure(() -> execute(bob, "CREATE USER eve WITH PASSWORD 'x'"));
        assertThat(denied.getSQLState()).isEqualTo("42501");
        assertThat(denied.getMessage()).contains("Only admins may create users; user 'bob' is not an admin");

        // a user changes its own password; its open connection stays its own
        execute(bob, "ALTER USER bob PASSWORD 'n3w-pass'");
        assertThat(column(bob, "SHOW USERS")).containsExactly("admin", "bob");
        assertThat(failure(() -> weir("bob", "b0b-pass")).getSQLState()).isEqualTo("28P01");
        assertThat(column(weir("bob", "n3w-pass"), "SHOW USERS")).hasSize(2);

        // dropping a user closes its connections
        execute(admin, "DROP USER bob");
        SQLException dropped = failure(() -> column(bob, "SHOW USERS"));
        assertThat(dropped.getSQLState()).isEqualTo("28P01");
    }

    @Test
    void aConnectionIsItsUsersAlone() throws Exception {
        startWithAdmin();
        execute(weir("admin", ADMIN_PASSWORD), "CREATE USER bob WITH PASSWORD 'b0b-pass'");
        String id = UUID.randomUUID().toString();

        HttpResponse<String> opened = json(basic("admin", ADMIN_PASSWORD), "{\"request\":\"openConnection\",\"connectionId\":\"" + id + "\"}");
        assertThat(opened.statusCode()).isEqualTo(200);
        String createStatement = "{\"request\":\"createStatement\",\"connectionId\":\"" + id + "\"}";

        HttpResponse<String> otherUser = json(basic("bob", "b0b-pass"), createStatement);
        assertThat(otherUser.statusCode()).isEqualTo(500);
        assertThat(otherUser.body()).contains("\"sqlState\":\"28000\"").contains("belongs to another user");
        HttpResponse<String> reopened = json(basic("bob", "b0b-pass"), "{\"request\":\"openConnection\",\"connectionId\":\"" + id + "\"}");
        assertThat(reopened.body()).contains("\"sqlState\":\"28000\"");

        HttpResponse<String> anonymous = json(null, createStatement);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Basic realm=\"Weir\""));
        assertThat(anonymous.body()).contains("\"sqlState\":\"28000\"");

        HttpResponse<String> owner = json(basic("admin", ADMIN_PASSWORD), createStatement);
        assertThat(owner.statusCode()).isEqualTo(200);
        assertThat(owner.body()).contains("createStatement");
    }

    @Test
    void ingestTakesAPasswordOrATokenUntilItIsDropped() throws Exception {
        startWithAdmin();
        Connection admin = weir("admin", ADMIN_PASSWORD);
        execute(admin, "CREATE STREAM readings (sensor STRING, temp DOUBLE) WITH ('connector' = 'http', 'format' = 'json')");
        execute(admin, "CREATE USER device WITH PASSWORD 'd3vice'");
        execute(admin, "GRANT INSERT ON STREAM readings TO device");
        String token;
        try (Statement statement = admin.createStatement(); ResultSet created = statement.executeQuery(
                "CREATE TOKEN sensors FOR USER device")) {
            assertThat(created.next()).isTrue();
            assertThat(created.getString("token_name")).isEqualTo("sensors");
            assertThat(created.getString("user_name")).isEqualTo("device");
            token = created.getString("token");
        }
        assertThat(column(admin, "SHOW TOKENS")).containsExactly("sensors");
        String record = "{\"sensor\": \"a\", \"temp\": 20.5}\n";

        HttpResponse<String> none = ingest(null, record);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
                assertThat(challenge).contains("Basic realm=\"Weir\"").contains("Bearer realm=\"Weir\""));
        assertThat(none.body()).contains("\"error\"").contains("CREATE TOKEN");

        assertThat(ingest(basic("device", "d3vice"), record).statusCode()).isEqualTo(200);
        HttpResponse<String> wrong = ingest(basic("device", "guess"), record);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Password authentication failed for user 'device'");

        assertThat(ingest("Bearer " + token, record).statusCode()).isEqualTo(200);
        execute(admin, "DROP TOKEN sensors");
        HttpResponse<String> revoked = ingest("Bearer " + token, record);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(revoked.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
                assertThat(challenge).contains("error=\"invalid_token\""));
        assertThat(revoked.body()).contains("Token authentication failed");

        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as("/health stays open").isEqualTo(200);
    }

    @Test
    void usersSurviveARestartAndKeepAuthenticationOn() throws Exception {
        startWithAdmin();
        execute(weir("admin", ADMIN_PASSWORD), "CREATE USER bob WITH PASSWORD 'b0b-pass'");
        stop();
        connections.clear();

        server = RunningServer.start(dataDir, builder -> builder); // no admin password this time
        assertThat(column(weir("bob", "b0b-pass"), "SHOW USERS")).containsExactly("admin", "bob");
        assertThat(failure(() -> DriverManager.getConnection(server.jdbcUrl())).getSQLState()).isEqualTo("28000");
    }

    @Test
    void theFirstUserTurnsAuthenticationOnAndItsCreatorGoesOnAsThatUser() throws Exception {
        server = RunningServer.start(dataDir, builder -> builder);
        // no users: anyone may connect; the driver has credentials, which it sends once asked for them
        Connection connection = weir("root", "r00t-pass");
        execute(connection, "CREATE USER root WITH PASSWORD 'r00t-pass' ADMIN");

        assertThat(column(connection, "SHOW USERS")).containsExactly("root");
        assertThat(failure(() -> DriverManager.getConnection(server.jdbcUrl())).getSQLState()).isEqualTo("28000");
    }

    @Test
    void withoutUsersTheServerListensOnLoopbackOnly() throws Exception {
        WeirException refused = catchThrowableOfType(() -> RunningServer.start(dataDir, builder -> builder.bindAddress("0.0.0.0")),
                WeirException.class);
        assertThat(refused.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION_VALUE);
        assertThat(refused.getMessage()).contains("Refusing to listen on 0.0.0.0 without authentication")
                .contains("--admin-password-file").contains("WEIR_ADMIN_PASSWORD").contains("--insecure");

        try (RunningServer insecure = RunningServer.start(dataDir, builder -> builder.bindAddress("0.0.0.0").insecure(true))) {
            try (Connection connection = DriverManager.getConnection(insecure.jdbcUrl())) {
                assertThat(column(connection, "SHOW USERS")).isEmpty();
            }
        }
        try (RunningServer withAdmin = RunningServer.start(dataDir, builder -> builder.bindAddress("0.0.0.0")
                .adminPassword(Optional.of(new Secret(ADMIN_PASSWORD))))) {
            Properties properties = new Properties();
            properties.setProperty("user", "admin");
            properties.setProperty("password", ADMIN_PASSWORD);
            try (Connection connection = DriverManager.getConnection(withAdmin.jdbcUrl(), properties)) {
                assertThat(column(connection, "SHOW USERS")).containsExactly("admin");
            }
        }
    }

    @Test
    void usersLogInOverTls() throws Exception {
        TestCertificates.Issued ca = TestCertificates.authority("Auth Test CA");
        TestCertificates.Issued localhost = TestCertificates.localhost(ca);
        Path cert = localhost.writeCertificate(dataDir.resolve("cert.pem"));
        Path key = localhost.writePrivateKey(dataDir.resolve("key.pem"));
        Path trust = ca.writeCertificate(dataDir.resolve("ca.pem"));
        server = RunningServer.start(dataDir.resolve("data"), builder -> builder.tls(cert, key)
                .adminPassword(Optional.of(new Secret(ADMIN_PASSWORD))));
        String url = "jdbc:weir://localhost:" + server.port() + "?ssl=true&sslTrustCert=" + trust;

        Connection admin = DriverManager.getConnection(url + "&user=admin&password=" + ADMIN_PASSWORD);
        connections.add(admin);
        assertThat(column(admin, "SHOW USERS")).containsExactly("admin");
        assertThat(failure(() -> DriverManager.getConnection(url + "&user=admin&password=wrong")).getSQLState()).isEqualTo("28P01");
        assertThat(failure(() -> DriverManager.getConnection(url)).getSQLState()).isEqualTo("28000");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> json(String authorization, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/json"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> ingest(String authorization, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/ingest/readings"))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

package io.weir.server.pg;

import io.weir.server.config.Secret;
import io.weir.server.config.ServerConfig;
import io.weir.server.testing.RunningServer;
import io.weir.server.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Logging in to the PostgreSQL endpoint with pgjdbc: SCRAM-SHA-256 against Weir's users (the same users
 * and passwords as over JDBC), refusals with SQLSTATE 28P01, statements running as the user who logged in,
 * and TLS with the server's certificate.
 */
class PgAuthenticationTest {
    private static final String ADMIN_PASSWORD = "s3cret-Admin";

    @TempDir
    Path temp;
    private RunningServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Connection connect(String url, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return DriverManager.getConnection(url, properties);
    }

    @Test
    void usersLogInWithScram() throws Exception {
        server = RunningServer.start(temp.resolve("data"), builder -> builder.pgPort(ServerConfig.FREE_PORT)
                .adminPassword(Optional.of(new Secret(ADMIN_PASSWORD))));
        try (Connection admin = connect(server.pgUrl(), "admin", ADMIN_PASSWORD); Statement statement = admin.createStatement()) {
            statement.execute("CREATE USER bob WITH PASSWORD 'b0b-pass'");
            statement.execute("CREATE STREAM granted_to_bob (n BIGINT) WITH ('connector' = 'datagen')");
            statement.execute("CREATE STREAM not_for_bob (n BIGINT) WITH ('connector' = 'datagen')");
            statement.execute("GRANT SELECT ON STREAM granted_to_bob TO bob");
        }
        SQLException wrong = catchThrowableOfType(() -> connect(server.pgUrl(), "admin", "wrong"), SQLException.class);
        assertThat(wrong.getSQLState()).isEqualTo("28P01");
        SQLException unknown = catchThrowableOfType(() -> connect(server.pgUrl(), "nobody", "x"), SQLException.class);
        assertThat(unknown.getSQLState()).isEqualTo("28P01");
        try (Connection bob = connect(server.pgUrl(), "bob", "b0b-pass"); Statement statement = bob.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT current_user")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("bob");
            }
            // psql's \dt and pgjdbc's getTables read pg_catalog and information_schema: bob sees what he may select
            try (ResultSet tables = statement.executeQuery("SELECT relname FROM pg_catalog.pg_class WHERE relname LIKE '%bob%'")) {
                assertThat(tables.next()).isTrue();
                assertThat(tables.getString(1)).isEqualTo("granted_to_bob");
                assertThat(tables.next()).isFalse();
            }
            try (ResultSet tables = bob.getMetaData().getTables(null, null, "%bob%", null)) {
                assertThat(tables.next()).isTrue();
                assertThat(tables.getString("TABLE_NAME")).isEqualTo("granted_to_bob");
                assertThat(tables.next()).isFalse();
            }
            try (ResultSet tables = statement.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_name LIKE '%bob%'")) {
                assertThat(tables.next()).isTrue();
                assertThat(tables.getString(1)).isEqualTo("granted_to_bob");
                assertThat(tables.next()).isFalse();
            }
            // bob is no admin: the executor's checks apply to PostgreSQL clients too
            SQLException denied = catchThrowableOfType(() -> statement.execute("CREATE USER eve WITH PASSWORD 'x'"), SQLException.class);
            assertThat(denied.getSQLState()).startsWith("42");
        }
    }

    @Test
    void clientsUseTlsWithTheServersCertificate() throws Exception {
        TestCertificates.Issued ca = TestCertificates.authority("PG Test CA");
        TestCertificates.Issued localhost = TestCertificates.localhost(ca);
        Path cert = localhost.writeCertificate(temp.resolve("cert.pem"));
        Path key = localhost.writePrivateKey(temp.resolve("key.pem"));
        Path trust = ca.writeCertificate(temp.resolve("ca.pem"));
        server = RunningServer.start(temp.resolve("data"), builder -> builder.pgPort(ServerConfig.FREE_PORT).tls(cert, key)
                .adminPassword(Optional.of(new Secret(ADMIN_PASSWORD))));
        String url = "jdbc:postgresql://localhost:" + server.pgPort() + "/weir?sslmode=verify-full&sslrootcert=" + trust;
        try (Connection admin = connect(url, "admin", ADMIN_PASSWORD); Statement statement = admin.createStatement();
             ResultSet rows = statement.executeQuery("SELECT 1")) {
            assertThat(rows.next()).isTrue();
        }
        SQLException plain = catchThrowableOfType(() -> connect("jdbc:postgresql://localhost:" + server.pgPort()
                + "/weir?sslmode=disable", "admin", ADMIN_PASSWORD), SQLException.class);
        assertThat(plain.getSQLState()).isEqualTo("28000");
    }
}

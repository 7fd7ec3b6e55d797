package io.weir.server.tls;

import io.weir.server.testing.RunningServer;
import io.weir.server.testing.TestCertificates;
import io.weir.server.testing.TestCertificates.Issued;
import io.weir.connector.jdbc.TestPostgres;
import io.weir.spi.connector.memory.InMemoryData;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The jdbc connector's driver options ({@code 'properties.sslmode'}, {@code 'properties.sslrootcert'})
 * reach PostgreSQL's driver: against a real PostgreSQL serving TLS with a certificate the test made,
 * the connector's sessions are encrypted and the server's certificate and name are verified.
 */
@Timeout(120)
class PostgresSslTest {
    private static final Issued CA = TestCertificates.authority("Postgres Test CA");

    @TempDir
    static Path files;
    private static EmbeddedPostgres postgres;
    private static Path trustedCa;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startPostgresWithTls() throws Exception {
        Issued certificate = TestCertificates.localhost(CA);
        Path cert = certificate.writeCertificate(files.resolve("server.crt"));
        Path key = certificate.writePrivateKey(files.resolve("server.key"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------")); // PostgreSQL insists
        trustedCa = CA.writeCertificate(files.resolve("root.crt"));
        postgres = EmbeddedPostgres.builder()
                .setServerConfig("fsync", "off")
                .setServerConfig("ssl", "on")
                .setServerConfig("ssl_cert_file", cert.toString())
                .setServerConfig("ssl_key_file", key.toString())
                .start();
        try (Connection connection = admin(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE rates (currency TEXT PRIMARY KEY, rate NUMERIC(10, 4))");
            statement.execute("INSERT INTO rates VALUES ('EUR', 1.0850), ('GBP', 1.2675)");
            statement.execute("CREATE TABLE audit (id BIGINT, action TEXT)");
        }
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void sslmodeVerifyFullReadsAndWritesOverTls() throws Exception {
        InMemoryData.register("postgres_ssl_actions", List.of(), false);
        try (RunningServer server = RunningServer.start(dataDir);
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE rates (currency VARCHAR, rate DECIMAL(10, 4), PRIMARY KEY (currency)) WITH ("
                    + options("rates", "verify-full", trustedCa) + ")");
            List<String> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery("SELECT * FROM rates ORDER BY currency")) {
                while (result.next()) {
                    rows.add(result.getString(1) + "=" + result.getBigDecimal(2));
                }
            }
            assertThat(rows).containsExactly("EUR=1.0850", "GBP=1.2675");

            statement.execute("CREATE STREAM actions (id BIGINT, action VARCHAR) WITH ('connector' = 'memory', "
                    + "'data' = 'postgres_ssl_actions')");
            statement.execute("CREATE STREAM audit (id BIGINT, action VARCHAR) WITH (" + options("audit", "verify-full", trustedCa)
                    + ", 'delivery.guarantee' = 'at-least-once')");
            statement.execute("INSERT INTO audit SELECT STREAM id, action FROM actions");
            InMemoryData.append("postgres_ssl_actions", List.<Object[]>of(new Object[] {1L, "login"}));

            await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT COUNT(*) FROM audit") == 1);
            // the sink's session, as PostgreSQL sees it: encrypted
            try (Connection admin = admin(); Statement query = admin.createStatement();
                 ResultSet ssl = query.executeQuery("SELECT s.ssl, s.version FROM pg_stat_ssl s JOIN pg_stat_activity a "
                         + "USING (pid) WHERE a.application_name = 'weir-sink-audit'")) {
                assertThat(ssl.next()).isTrue();
                assertThat(ssl.getBoolean(1)).isTrue();
                assertThat(ssl.getString(2)).startsWith("TLSv1.");
            }
        }
    }

    @Test
    void aRootCertificateThatDidNotIssueTheServersIsRefused() throws Exception {
        Path otherCa = TestCertificates.authority("Another CA").writeCertificate(files.resolve("other-root.crt"));
        try (RunningServer server = RunningServer.start(dataDir);
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("CREATE TABLE rates (currency VARCHAR, rate DECIMAL(10, 4), "
                    + "PRIMARY KEY (currency)) WITH (" + options("rates", "verify-full", otherCa) + ")"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("cannot connect to PostgreSQL")
                    .hasMessageContaining("SSL error");
        }
    }

    @Test
    void sslmodeRequireAgainstAServerWithoutTlsIsRefused() throws Exception {
        TestPostgres plain = TestPostgres.get();
        try (RunningServer server = RunningServer.start(dataDir);
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("CREATE TABLE t (id BIGINT, PRIMARY KEY (id)) WITH ("
                    + plain.withClause("no_such_table") + ", 'properties.sslmode' = 'require')"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("The server does not support SSL");
        }
    }

    private static String options(String table, String sslmode, Path rootCertificate) {
        return "'connector' = 'jdbc', 'url' = 'jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres', "
                + "'table-name' = '" + table + "', 'username' = 'postgres', "
                + "'properties.sslmode' = '" + sslmode + "', 'properties.sslrootcert' = '" + rootCertificate + "'";
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?sslmode=disable",
                "postgres", "");
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = admin(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}

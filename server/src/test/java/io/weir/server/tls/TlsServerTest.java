package io.weir.server.tls;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufAllocator;
import io.weir.server.testing.RunningServer;
import io.weir.server.testing.TestCertificates;
import io.weir.server.testing.TestCertificates.Issued;
import io.weir.spi.WeirException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * HTTPS on the server's port, end to end as users connect: Weir's JDBC driver, the stock Avatica
 * driver, an HTTP client posting to {@code /ingest}, and clients that get it wrong (untrusted
 * certificate, another host name, plain HTTP against the TLS port and the reverse). Certificates are
 * made by the test for localhost and 127.0.0.1.
 */
@Timeout(120)
class TlsServerTest {
    private static final Issued CA = TestCertificates.authority("Weir Test CA");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void weirDriverRunsQueriesOverTlsAndIngestArrivesOverHttps() throws Exception {
        RunningServer server = start(TestCertificates.localhost(CA));
        Path trust = CA.writeCertificate(dir.resolve("ca.pem"));
        Connection connection = connect("jdbc:weir://localhost:" + server.port() + "?ssl=true&sslTrustCert=" + trust);
        Statement statement = connection.createStatement();
        statement.execute("CREATE STREAM readings (sensor VARCHAR, temp DOUBLE) "
                + "WITH ('connector' = 'http', 'format' = 'json', 'scan.startup.mode' = 'earliest')");
        ResultSet rows = statement.executeQuery("SELECT STREAM sensor, temp FROM readings");

        HttpClient https = HttpClient.newBuilder().sslContext(TlsClients.trusting(CA.certificate()))
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> posted = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port()
                        + "/ingest/readings")).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sensor\": \"a\", \"temp\": 1.5}\n{\"sensor\": \"b\", \"temp\": 2}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(posted.body()).get("accepted").asInt()).isEqualTo(2);
        List<String> read = new ArrayList<>();
        while (read.size() < 2 && rows.next()) {
            read.add(rows.getString(1) + "=" + rows.getDouble(2));
        }
        assertThat(read).containsExactly("a=1.5", "b=2.0");
        // The certificate names 127.0.0.1 too; the server's own URL says ssl=true.
        assertThat(server.jdbcUrl()).isEqualTo("jdbc:weir://127.0.0.1:" + server.port() + "?ssl=true");
        try (ResultSet streams = connect(server.jdbcUrl() + "&sslTrustCert=" + trust).createStatement()
                .executeQuery("SHOW STREAMS")) {
            assertThat(streams.next()).isTrue();
            assertThat(streams.getString("name")).isEqualToIgnoringCase("readings");
        }
    }

    @Test
    void aCertificateTheClientDoesNotTrustIsRefused() throws Exception {
        RunningServer server = start(TestCertificates.localhost(TestCertificates.authority("Someone Else's CA")));
        Path trust = CA.writeCertificate(dir.resolve("ca.pem"));

        assertThatThrownBy(() -> connect("jdbc:weir://localhost:" + server.port() + "?ssl=true&sslTrustCert=" + trust))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08001"))
                .hasMessageStartingWith("Cannot connect to the Weir server at https://localhost:" + server.port() + "/: ")
                .hasMessageEndingWith("The server's certificate is not trusted: give its certificate, or its CA's, as "
                        + "sslTrustCert=<PEM file>, or add it to the JVM's truststore");
        // without sslTrustCert the JVM's truststore decides, and the JDK's CAs do not know the test CA either
        assertThatThrownBy(() -> connect("jdbc:weir://localhost:" + server.port() + "?ssl=true"))
                .hasMessageContaining("The server's certificate is not trusted");
        assertThat(server.openConnections()).isZero();
    }

    @Test
    void aCertificateForAnotherHostIsRefused() throws Exception {
        RunningServer server = start(TestCertificates.server(CA, "db.example", "DNS:db.example"));
        Path trust = CA.writeCertificate(dir.resolve("ca.pem"));

        assertThatThrownBy(() -> connect("jdbc:weir://localhost:" + server.port() + "?ssl=true&sslTrustCert=" + trust))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("doesn't match any of the subject alternative names: [db.example]")
                .hasMessageEndingWith("The server's certificate is not for the host in the URL: connect with a host name or "
                        + "address the certificate names (its subject alternative names)");
        // ... unless the user turns verification off through Avatica's option, knowing what that means
        connect("jdbc:weir://localhost:" + server.port() + "?ssl=true&hostname_verification=NONE&sslTrustCert=" + trust)
                .createStatement().execute("SHOW STREAMS");
    }

    @Test
    void withoutSslTrustCertTheJvmTruststoreIsUsed() throws Exception {
        RunningServer server = start(TestCertificates.localhost(CA));
        Path truststore = TestCertificates.truststore(dir.resolve("truststore.p12"), "changeit", CA.certificate());
        Map<String, String> saved = new java.util.HashMap<>();
        for (String key : List.of("javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword", "javax.net.ssl.trustStoreType")) {
            saved.put(key, System.getProperty(key));
        }
        try {
            System.setProperty("javax.net.ssl.trustStore", truststore.toString());
            System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
            System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");

            try (ResultSet streams = connect("jdbc:weir://localhost:" + server.port() + "?ssl=true").createStatement()
                    .executeQuery("SHOW STREAMS")) {
                assertThat(streams.next()).isFalse();
            }
        } finally {
            saved.forEach((key, value) -> {
                if (value == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, value);
                }
            });
        }
    }

    @Test
    void theStockAvaticaDriverConnectsOverHttpsWithItsTruststore() throws Exception {
        RunningServer server = start(TestCertificates.localhost(CA));
        Path truststore = TestCertificates.truststore(dir.resolve("truststore.p12"), "changeit", CA.certificate());

        Connection connection = connect("jdbc:avatica:remote:url=https://localhost:" + server.port()
                + ";serialization=PROTOBUF;truststore=" + truststore + ";truststore_password=changeit");
        Statement statement = connection.createStatement();
        statement.execute("CREATE STREAM t (x INT) WITH ('connector' = 'http', 'format' = 'json')");
        try (ResultSet streams = statement.executeQuery("SHOW STREAMS")) {
            assertThat(streams.next()).isTrue();
            assertThat(streams.getString(1)).isEqualToIgnoringCase("t");
        }
        // Weir's driver takes Avatica's truststore options too
        try (ResultSet streams = connect("jdbc:weir://localhost:" + server.port() + "?ssl=true&truststore=" + truststore
                + "&truststore_password=changeit").createStatement().executeQuery("SHOW STREAMS")) {
            assertThat(streams.next()).isTrue();
        }
    }

    @Test
    void plainHttpAgainstTheTlsPortFailsCleanly() throws Exception {
        RunningServer server = start(TestCertificates.localhost(CA));
        Path trust = CA.writeCertificate(dir.resolve("ca.pem"));

        // Weir's driver without ssl=true: a prompt 08001 saying what to add, not a hang
        assertThatThrownBy(() -> connect("jdbc:weir://localhost:" + server.port()))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08001"))
                .hasMessageContaining("HTTP/400")
                .hasMessageEndingWith("If the server serves HTTPS (it was started with --tls-cert and --tls-key), add ssl=true "
                        + "to the URL");
        // the stock driver too fails at once
        assertThatThrownBy(() -> connect("jdbc:avatica:remote:url=http://localhost:" + server.port() + ";serialization=PROTOBUF"))
                .hasStackTraceContaining("HTTP/400");
        // any HTTP client gets a plain answer saying why; nothing is served over plain HTTP
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(400);
        assertThat(health.body()).isEqualTo("This port serves HTTPS only: connect with https:// (Weir's JDBC driver: add "
                + "ssl=true to the URL).\n");
        HttpResponse<String> ingest = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/ingest/x")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[" + "{\"a\": 1},".repeat(50_000) + "{\"a\": 1}]")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ingest.statusCode()).as("a large body does not turn the answer into a reset").isEqualTo(400);
        // and TLS clients are served as before
        connect("jdbc:weir://localhost:" + server.port() + "?ssl=true&sslTrustCert=" + trust).createStatement().execute("SHOW STREAMS");
    }

    @Test
    void tlsAgainstAPlainPortFailsSayingSo() throws Exception {
        RunningServer server = RunningServer.start(dir.resolve("data"));
        closeables.add(server);
        Path trust = CA.writeCertificate(dir.resolve("ca.pem"));

        assertThatThrownBy(() -> connect("jdbc:weir://localhost:" + server.port() + "?ssl=true&sslTrustCert=" + trust))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08001"))
                .hasMessageEndingWith("The server does not serve TLS on this port: remove ssl=true, or start the server with "
                        + "--tls-cert and --tls-key");
    }

    @Test
    void onlyTls12And13AreOffered() throws Exception {
        RunningServer server = start(TestCertificates.localhost(CA));
        SSLContext client = TlsClients.trusting(CA.certificate());

        assertThat(server.tls().orElseThrow().context().newEngine(ByteBufAllocator.DEFAULT).getEnabledProtocols())
                .containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        try (SSLSocket tls12 = TlsClients.handshake(client, server.port(), "TLSv1.2");
             SSLSocket tls13 = TlsClients.handshake(client, server.port(), "TLSv1.3")) {
            assertThat(tls12.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(tls13.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void newConnectionsGetTheCertificateAndKeyTheFilesHoldNow() throws Exception {
        Issued first = TestCertificates.localhost(CA);
        RunningServer server = start(first);
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Path trust = CA.writeCertificate(dir.resolve("ca.pem"));
        SSLContext client = TlsClients.trusting(CA.certificate());
        Connection before = connect("jdbc:weir://localhost:" + server.port() + "?ssl=true&sslTrustCert=" + trust);
        assertThat(TlsClients.servedSerial(client, server.port())).isEqualTo(first.serial());

        Issued second = TestCertificates.localhost(CA);
        second.writeCertificate(cert);
        second.writePrivateKey(key);

        await().atMost(Duration.ofSeconds(30)).until(() -> TlsClients.servedSerial(client, server.port()).equals(second.serial()));
        assertThat(server.tls().orElseThrow().certificate()).isEqualTo(second.certificate());
        before.createStatement().execute("SHOW STREAMS");
        connect("jdbc:weir://localhost:" + server.port() + "?ssl=true&sslTrustCert=" + trust).createStatement().execute("SHOW STREAMS");

        // A certificate whose key is not there yet is not served: the pair in use stays until both fit.
        Issued third = TestCertificates.localhost(CA);
        third.writeCertificate(cert);
        assertThat(TlsClients.servedSerial(client, server.port())).isEqualTo(second.serial());
        third.writePrivateKey(key);
        await().atMost(Duration.ofSeconds(30)).until(() -> TlsClients.servedSerial(client, server.port()).equals(third.serial()));
    }

    @Test
    void aServerWhoseCertificateCannotBeUsedDoesNotStartAndNamesTheFile() throws IOException {
        Issued issued = TestCertificates.localhost(CA);
        Path cert = issued.writeCertificate(dir.resolve("cert.pem"));
        Path otherKey = TestCertificates.localhost(CA).writePrivateKey(dir.resolve("other-key.pem"));
        Path missing = dir.resolve("missing.pem");

        assertThatThrownBy(() -> RunningServer.start(dir.resolve("data"), b -> b.tls(cert, missing)))
                .isInstanceOf(WeirException.class)
                .hasMessage("Cannot use " + missing + " (server.tls-key): the file does not exist");
        assertThatThrownBy(() -> RunningServer.start(dir.resolve("data"), b -> b.tls(cert, otherKey)))
                .hasMessageStartingWith("The private key in " + otherKey + " (server.tls-key) does not belong to the certificate in "
                        + cert);
    }

    private RunningServer start(Issued certificate) throws IOException {
        Path cert = certificate.writeCertificate(dir.resolve("cert.pem"));
        Path key = certificate.writePrivateKey(dir.resolve("key.pem"));
        RunningServer server = RunningServer.start(dir.resolve("data"), builder -> builder.tls(cert, key));
        closeables.add(server);
        return server;
    }

    private Connection connect(String url) throws SQLException {
        Connection connection = DriverManager.getConnection(url, new Properties());
        closeables.add(connection);
        return connection;
    }
}

package io.weir.server.launcher;

import io.weir.server.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WeirMainTest {
    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> environment, String... args) {
        return WeirMain.run(args, environment, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void badSettingExitsWith2AndOneLine() {
        int exit = run(Map.of("WEIR_PORT", "99999"));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().trim()).isEqualTo("weir: Invalid value '99999' for server.port (from environment "
                + "variable WEIR_PORT): expected an integer from 0 to 65535");
    }

    @Test
    void unknownConfigKeyExitsWith2() throws IOException {
        Path file = Files.writeString(dir.resolve("weir.properties"), "server.prot=1\n");

        int exit = run(Map.of(), "--config", file.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("weir: Unknown setting 'server.prot' in config file ");
        assertThat(err.toString().lines().count()).isEqualTo(1);
    }

    @Test
    void portInUseExitsWith1AndSaysWhatToDo() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int exit = run(Map.of(), "--port", Integer.toString(taken.getLocalPort()),
                    "--data-dir", dir.resolve("data").toString());

            assertThat(exit).isEqualTo(1);
            assertThat(err.toString().lines().count()).isEqualTo(1);
            assertThat(err.toString()).startsWith("weir: Cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ")
                    .contains("choose another port with --port or WEIR_PORT");
        }
    }

    @Test
    void aTlsCertificateWithoutKeyExitsWith2() {
        int exit = run(Map.of("WEIR_TLS_CERT", dir.resolve("cert.pem").toString()), "--port", "0");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().trim()).isEqualTo("weir: server.tls-cert and server.tls-key go together: set server.tls-key "
                + "(--tls-key) as well to serve HTTPS, or neither to serve plain HTTP");
    }

    @Test
    void aTlsFileThatCannotBeUsedExitsWith2NamingIt() throws IOException {
        TestCertificates.Issued issued = TestCertificates.localhost(TestCertificates.authority("CA"));
        Path cert = issued.writeCertificate(dir.resolve("cert.pem"));
        Path key = Files.writeString(dir.resolve("key.pem"), "not a key\n");

        int exit = run(Map.of(), "--port", "0", "--data-dir", dir.resolve("data").toString(), "--tls-cert", cert.toString(),
                "--tls-key", key.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().trim()).isEqualTo("weir: Cannot use " + key + " (server.tls-key): it holds no PEM private key "
                + "(a block such as -----BEGIN PRIVATE KEY-----)");
        assertThat(dir.resolve("data")).as("checked before the data directory is touched").doesNotExist();
    }

    @Test
    void uncreatableDataDirExitsWith2() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "");

        int exit = run(Map.of(), "--port", "0", "--data-dir", file.resolve("data").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("weir: Cannot create the data directory " + file.resolve("data")
                + " (server.data-dir): ");
    }

    @Test
    void listeningBeyondLoopbackWithoutUsersExitsWith2AndSaysHowToTurnAuthenticationOn() {
        int exit = run(Map.of(), "--bind", "0.0.0.0", "--port", "0", "--data-dir", dir.resolve("data").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines().count()).isEqualTo(1);
        assertThat(err.toString()).startsWith("weir: Refusing to listen on 0.0.0.0 without authentication")
                .contains("--admin-password-file FILE or WEIR_ADMIN_PASSWORD").contains("--insecure");
    }

    @Test
    void aMissingAdminPasswordFileExitsWith2() {
        Path missing = dir.resolve("no-such-file");

        int exit = run(Map.of(), "--admin-password-file", missing.toString(), "--port", "0",
                "--data-dir", dir.resolve("data").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("weir: The admin password file " + missing
                + " (auth.admin-password-file) does not exist or is not a file");
    }
}

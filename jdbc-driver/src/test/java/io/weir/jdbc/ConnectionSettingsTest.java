package io.weir.jdbc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.sql.SQLException;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionSettingsTest {
    @Test
    void defaultsToProtobufAtTheServerRoot() throws SQLException {
        ConnectionSettings settings = ConnectionSettings.of(WeirUrl.parse("jdbc:weir://h:9"), null);

        assertThat(settings.serialization()).isEqualTo(WeirUrl.Serialization.PROTOBUF);
        assertThat(settings.avaticaProperties())
                .containsEntry("url", "http://h:9/")
                .containsEntry("serialization", "PROTOBUF");
        assertThat(settings.userProperties()).isEmpty();
    }

    @Test
    void jsonGoesToTheJsonPath() throws SQLException {
        ConnectionSettings settings = ConnectionSettings.of(WeirUrl.parse("jdbc:weir://h:9/?serialization=json"), null);

        assertThat(settings.avaticaProperties())
                .containsEntry("url", "http://h:9/json")
                .containsEntry("serialization", "JSON")
                .containsEntry("fetch_size", "1000");
    }

    @Test
    void urlPropertiesOverrideConnectPropertiesAndOthersPassThrough() throws SQLException {
        Properties defaults = new Properties();
        defaults.setProperty("fetch_size", "7");
        Properties info = new Properties(defaults);
        info.setProperty("user", "from-info");
        info.setProperty("password", "secret");

        ConnectionSettings settings = ConnectionSettings.of(
                WeirUrl.parse("jdbc:weir://h/?user=from-url&http_response_timeout=1000"), info);

        assertThat(settings.userProperties())
                .containsEntry("user", "from-url")
                .containsEntry("password", "secret")
                .containsEntry("fetch_size", "7")
                .containsEntry("http_response_timeout", "1000")
                .doesNotContainKey("url");
        assertThat(settings.avaticaProperties())
                .containsEntry("fetch_size", "7")
                .containsEntry("user", "from-url")
                .containsEntry("http_response_timeout", "1000")
                .containsEntry("url", "http://h:8765/");
        assertThat(info.getProperty("user")).as("caller's properties untouched").isEqualTo("from-info");
    }

    @Test
    void userAndPasswordBecomeHttpBasicCredentials() throws SQLException {
        ConnectionSettings settings = ConnectionSettings.of(WeirUrl.parse("jdbc:weir://h/?USER=bob&Password=s3cret"), null);
        assertThat(settings.avaticaProperties()).containsEntry("authentication", "BASIC")
                .containsEntry("avatica_user", "bob").containsEntry("avatica_password", "s3cret");

        Properties noPassword = new Properties();
        noPassword.setProperty("user", "bob");
        assertThat(ConnectionSettings.of(WeirUrl.parse("jdbc:weir://h"), noPassword).avaticaProperties())
                .containsEntry("avatica_user", "bob").containsEntry("avatica_password", "");

        // sqlline passes an empty user when none was given
        Properties empty = new Properties();
        empty.setProperty("user", "");
        empty.setProperty("password", "");
        assertThat(ConnectionSettings.of(WeirUrl.parse("jdbc:weir://h"), empty).avaticaProperties())
                .doesNotContainKeys("authentication", "avatica_user", "avatica_password");

        // Avatica's own settings win
        Properties own = new Properties();
        own.setProperty("user", "bob");
        own.setProperty("authentication", "DIGEST");
        assertThat(ConnectionSettings.of(WeirUrl.parse("jdbc:weir://h"), own).avaticaProperties())
                .containsEntry("authentication", "DIGEST").doesNotContainKey("avatica_user");
    }

    @Test
    void theAvaticaUrlCannotBeSetByHand() {
        Properties info = new Properties();
        info.setProperty("URL", "http://elsewhere");

        assertThatThrownBy(() -> ConnectionSettings.of(WeirUrl.parse("jdbc:weir://h"), info))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Property 'URL' cannot be set");
        assertThatThrownBy(() -> ConnectionSettings.of(WeirUrl.parse("jdbc:weir://h/?url=x"), null))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Property 'url' cannot be set");
    }

    @Test
    void aMisspeltPropertyIsRejectedWithTheNameMeant() {
        assertThatThrownBy(() -> ConnectionSettings.of(WeirUrl.parse("jdbc:weir://h/?fetchsize=10&FetchSize=3"), null))
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith("Unknown connection properties 'FetchSize' (did you mean 'fetch_size'?),"
                        + " 'fetchsize' (did you mean 'fetch_size'?). Weir's driver takes serialization, user, password,"
                        + " http_connection_timeout, http_response_timeout, fetch_size, unknown_properties, ssl, sslTrustCert;"
                        + " and Avatica's"
                        + " client settings ")
                .hasMessageContaining("avatica_user, avatica_password")
                .hasMessageEndingWith("Correct the name, or set unknown_properties=warn to connect anyway")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
    }

    @Test
    void aNameLikeNoKnownOneGetsNoSuggestion() {
        Properties info = new Properties();
        info.setProperty("colour", "blue");

        assertThatThrownBy(() -> ConnectionSettings.of(WeirUrl.parse("jdbc:weir://h"), info))
                .hasMessageStartingWith("Unknown connection property 'colour'. Weir's driver takes ");
    }

    @Test
    void avaticaClientSettingsAreKnownInAnyCase() throws SQLException {
        Properties info = new Properties();
        info.setProperty("avatica_user", "alice");
        info.setProperty("TRUSTSTORE", "/tmp/trust.jks");
        info.setProperty("timeZone", "UTC");

        ConnectionSettings settings = ConnectionSettings.of(WeirUrl.parse("jdbc:weir://h/?Fetch_Size=5"), info);

        assertThat(settings.warnings()).isEmpty();
        assertThat(settings.avaticaProperties()).containsEntry("avatica_user", "alice").containsEntry("TRUSTSTORE", "/tmp/trust.jks")
                .containsEntry("Fetch_Size", "5");
    }

    @Test
    void withUnknownPropertiesWarnTheyAreReportedAndPassedOn() throws SQLException {
        ConnectionSettings settings = ConnectionSettings.of(
                WeirUrl.parse("jdbc:weir://h/?fetchsize=10&unknown_properties=WARN"), null);

        assertThat(settings.warnings()).singleElement().asString()
                .startsWith("Unknown connection property 'fetchsize' (did you mean 'fetch_size'?). Weir's driver takes ")
                .endsWith("They have no effect in Weir's driver (unknown_properties=warn)");
        assertThat(settings.avaticaProperties()).containsEntry("fetchsize", "10");
    }

    @Test
    void unknownPropertiesTakesRejectOrWarn() {
        assertThatThrownBy(() -> ConnectionSettings.of(WeirUrl.parse("jdbc:weir://h/?unknown_properties=ignore"), null))
                .isInstanceOf(SQLException.class)
                .hasMessage("Unknown value 'ignore' of unknown_properties: use reject (the default) or warn");
    }

    @Test
    void sslTrueConnectsOverHttps() throws SQLException {
        ConnectionSettings settings = ConnectionSettings.of(WeirUrl.parse("jdbc:weir://db.example:9/?SSL=True"), null);

        assertThat(settings.tls().enabled()).isTrue();
        assertThat(settings.tls().trustCertificates()).isEmpty();
        assertThat(settings.avaticaProperties()).containsEntry("url", "https://db.example:9/");
        assertThat(ConnectionSettings.of(WeirUrl.parse("jdbc:weir://h:9/?ssl=false&serialization=json"), null).httpUrl())
                .isEqualTo("http://h:9/json");
    }

    @Test
    void sslTakesTrueOrFalse() {
        assertThatThrownBy(() -> ConnectionSettings.of(WeirUrl.parse("jdbc:weir://h/?ssl=yes"), null))
                .isInstanceOf(SQLException.class)
                .hasMessage("Unknown value 'yes' of ssl: use true (TLS) or false (the default)")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
    }

    @Test
    void sslTrustCertNeedsSslAndNoTruststore(@TempDir Path dir) throws IOException {
        Path pem = Files.writeString(dir.resolve("ca.pem"), "not used");

        assertThatThrownBy(() -> ConnectionSettings.of(WeirUrl.parse("jdbc:weir://h/?sslTrustCert=" + pem), null))
                .isInstanceOf(SQLException.class)
                .hasMessage("sslTrustCert names the certificates to trust over TLS: add ssl=true (the server must be started"
                        + " with --tls-cert and --tls-key)");
        Properties info = new Properties();
        info.setProperty("truststore", dir.resolve("trust.p12").toString());
        assertThatThrownBy(() -> ConnectionSettings.of(WeirUrl.parse("jdbc:weir://h/?ssl=true&sslTrustCert=" + pem), info))
                .isInstanceOf(SQLException.class)
                .hasMessage("sslTrustCert and truststore both say which certificates to trust: keep one of them");
    }

    @Test
    void anSslTrustCertThatHoldsNoCertificateFailsNamingTheFile(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing.pem");
        Path notPem = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");

        assertThatThrownBy(() -> ConnectionSettings.of(WeirUrl.parse("jdbc:weir://h/?ssl=true&sslTrustCert=" + missing), null))
                .isInstanceOf(SQLException.class)
                .hasMessage("Cannot use sslTrustCert file " + missing + ": the file does not exist")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
        assertThatThrownBy(() -> ConnectionSettings.of(WeirUrl.parse("jdbc:weir://h/?ssl=true&sslTrustCert=" + notPem), null))
                .hasMessageStartingWith("Cannot use sslTrustCert file " + notPem + ": it holds no readable certificate");
        assertThatThrownBy(() -> ConnectionSettings.of(WeirUrl.parse("jdbc:weir://h/?ssl=true&sslTrustCert=" + empty), null))
                .hasMessage("Cannot use sslTrustCert file " + empty + ": it holds no certificate (a block starting with "
                        + "-----BEGIN CERTIFICATE-----)");
    }

    @Test
    void unknownSerializationIsRejected() {
        assertThatThrownBy(() -> ConnectionSettings.of(WeirUrl.parse("jdbc:weir://h/?serialization=xml"), null))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Unknown serialization 'xml'");
    }
}

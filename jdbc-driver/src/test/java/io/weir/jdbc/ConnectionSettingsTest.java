package io.weir.jdbc;

import org.junit.jupiter.api.Test;

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
                .containsEntry("serialization", "JSON");
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
                .containsEntry("user", "from-url")
                .containsEntry("http_response_timeout", "1000")
                .containsEntry("url", "http://h:8765/");
        assertThat(info.getProperty("user")).as("caller's properties untouched").isEqualTo("from-info");
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
    void unknownSerializationIsRejected() {
        assertThatThrownBy(() -> ConnectionSettings.of(WeirUrl.parse("jdbc:weir://h/?serialization=xml"), null))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Unknown serialization 'xml'");
    }
}

package io.weir.jdbc;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class WeirDriverTest {
    private final WeirDriver driver = new WeirDriver();

    @Test
    void registersThroughTheServiceFileAndDriverManager() throws SQLException {
        assertThat(ServiceLoader.load(java.sql.Driver.class).stream().map(ServiceLoader.Provider::type))
                .contains(WeirDriver.class);
        assertThat(DriverManager.getDriver("jdbc:weir://localhost")).isInstanceOf(WeirDriver.class);
    }

    @Test
    void acceptsOnlyWeirUrls() {
        assertThat(driver.acceptsURL("jdbc:weir://localhost:8765")).isTrue();
        assertThat(driver.acceptsURL("jdbc:avatica:remote:url=http://localhost:8765")).isFalse();
        assertThat(driver.acceptsURL(null)).isFalse();
    }

    @Test
    void connectReturnsNullForOtherUrls() throws SQLException {
        assertThat(driver.connect("jdbc:avatica:remote:url=http://localhost:8765", new Properties())).isNull();
    }

    @Test
    void versionIsTheProjectVersion() {
        String projectVersion = System.getProperty("weir.jdbc.version");
        assertThat(projectVersion).as("set by the surefire configuration").isNotBlank();

        assertThat(driver.getDriverVersion().versionString).isEqualTo(projectVersion);
        assertThat(driver.getDriverVersion().name).isEqualTo("Weir JDBC Driver");
        assertThat(driver.getDriverVersion().productName).isEqualTo("Weir");
        String[] numbers = projectVersion.replaceAll("-.*", "").split("\\.");
        assertThat(driver.getMajorVersion()).isEqualTo(Integer.parseInt(numbers[0]));
        assertThat(driver.getMinorVersion()).isEqualTo(Integer.parseInt(numbers[1]));
        assertThat(driver.jdbcCompliant()).isFalse();
    }

    @Test
    void propertyInfoDescribesSupportedPropertiesWithCurrentValues() throws SQLException {
        Properties info = new Properties();
        info.setProperty("user", "alice");

        Map<String, DriverPropertyInfo> infos = Arrays.stream(
                        driver.getPropertyInfo("jdbc:weir://h/?serialization=json", info))
                .collect(Collectors.toMap(i -> i.name, Function.identity()));

        assertThat(infos).containsOnlyKeys("serialization", "user", "password", "http_connection_timeout",
                "http_response_timeout", "fetch_size", "unknown_properties", "ssl", "sslTrustCert");
        assertThat(infos.get("ssl").value).isEqualTo("false");
        assertThat(infos.get("ssl").choices).containsExactly("true", "false");
        assertThat(infos.get("unknown_properties").value).isEqualTo("reject");
        assertThat(infos.get("unknown_properties").choices).containsExactly("reject", "warn");
        assertThat(infos.get("serialization").value).isEqualTo("json");
        assertThat(infos.get("serialization").choices).containsExactly("protobuf", "json");
        assertThat(infos.get("user").value).isEqualTo("alice");
        assertThat(infos.get("password").value).isNull();
        assertThat(infos.get("http_response_timeout").value).isEqualTo("180000");
        assertThat(infos.values()).allSatisfy(i -> {
            assertThat(i.description).isNotBlank();
            assertThat(i.required).isFalse();
        });
        assertThat(driver.getPropertyInfo("jdbc:other://h", info)).isEmpty();
        // a misspelt property does not keep a tool from listing the properties
        assertThat(driver.getPropertyInfo("jdbc:weir://h/?fetchsize=3", info)).hasSize(infos.size());
    }

    @Test
    void malformedUrlFailsWithTheReason() {
        assertThatThrownBy(() -> driver.connect("jdbc:weir://h:notaport", new Properties()))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("port 'notaport' is not a number");
    }

    @Test
    void unreachableServerFailsPromptlyWithSqlState08001() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:weir://127.0.0.1:" + closedPort;

        SQLException failure = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try {
                driver.connect(url, new Properties());
            } catch (SQLException e) {
                return e;
            }
            throw new AssertionError("connected to a closed port");
        });

        assertThat(failure.getSQLState()).isEqualTo("08001");
        assertThat(failure.getMessage()).startsWith(
                "Cannot connect to the Weir server at http://127.0.0.1:" + closedPort + "/: ");
        assertThat(failure.getMessage()).contains("Check that the server is running");
    }
}

package io.weir.jdbc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.SQLException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WeirUrlTest {
    @ParameterizedTest
    @CsvSource({
            "jdbc:weir://localhost, localhost, 8765",
            "jdbc:weir://localhost/, localhost, 8765",
            "jdbc:weir://127.0.0.1:9000, 127.0.0.1, 9000",
            "jdbc:weir://db.example.com:1/, db.example.com, 1",
            "jdbc:weir://[::1], ::1, 8765",
            "jdbc:weir://[::1]:65535/, ::1, 65535",
            "jdbc:weir://h?, h, 8765",
    })
    void parsesHostAndPort(String url, String host, int port) throws SQLException {
        WeirUrl parsed = WeirUrl.parse(url);

        assertThat(parsed.host()).isEqualTo(host);
        assertThat(parsed.port()).isEqualTo(port);
        assertThat(parsed.properties()).isEmpty();
    }

    @Test
    void parsesPropertiesInOrderAndDecodesThem() throws SQLException {
        WeirUrl parsed = WeirUrl.parse(
                "jdbc:weir://h:1234/?serialization=json&http_response_timeout=5000&user=a%20b&password=p%26q%3Dr&");

        assertThat(parsed.properties()).containsExactly(
                Map.entry("serialization", "json"),
                Map.entry("http_response_timeout", "5000"),
                Map.entry("user", "a b"),
                Map.entry("password", "p&q=r"));
    }

    @Test
    void propertiesWithoutSlashBeforeQuestionMark() throws SQLException {
        assertThat(WeirUrl.parse("jdbc:weir://h?user=x").properties()).containsExactly(Map.entry("user", "x"));
    }

    @Test
    void emptyValueIsAllowed() throws SQLException {
        assertThat(WeirUrl.parse("jdbc:weir://h/?password=").properties()).containsExactly(Map.entry("password", ""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "jdbc:weir:localhost | expected // after jdbc:weir:",
            "jdbc:weir:// | the host is missing",
            "jdbc:weir://:8765 | the host is missing",
            "jdbc:weir://h:0 | port 0 is not between 1 and 65535",
            "jdbc:weir://h:65536 | port 65536 is not between 1 and 65535",
            "jdbc:weir://h:http | port 'http' is not a number",
            "jdbc:weir://h: | port '' is not a number",
            "jdbc:weir://h:-1 | port '-1' is not a number",
            "jdbc:weir://h/db | unexpected path '/db'",
            "jdbc:weir://[::1 | missing ] after IPv6 address",
            "jdbc:weir://[::1]x | expected :port after ]",
            "jdbc:weir://h/?user | expected property=value, got 'user'",
            "jdbc:weir://h/?=x | expected property=value, got '=x'",
            "jdbc:weir://h/?a=1&a=2 | property 'a' is given twice",
            "jdbc:weir://h/?a=%zz | bad %-escape in '%zz'",
            "jdbc:postgresql://h/db | it does not start with jdbc:weir:",
    })
    void rejectsMalformedUrlsSayingWhatIsWrong(String url, String problem) {
        assertThatThrownBy(() -> WeirUrl.parse(url))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Invalid Weir JDBC URL '" + url + "'")
                .hasMessageContaining(problem)
                .hasMessageContaining("Expected jdbc:weir://host[:port][/][?property=value&...]")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:weir://h", "jdbc:weir:", "jdbc:weir:nonsense"})
    void acceptsEveryUrlWithThePrefix(String url) {
        assertThat(WeirUrl.accepts(url)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:avatica:remote:url=http://h:8765", "JDBC:WEIR://h", "jdbc:weirx://h", ""})
    void acceptsNoOtherUrl(String url) {
        assertThat(WeirUrl.accepts(url)).isFalse();
        assertThat(WeirUrl.accepts(null)).isFalse();
    }

    @Test
    void httpUrlDependsOnSerialization() throws SQLException {
        assertThat(WeirUrl.parse("jdbc:weir://h:1").httpUrl(WeirUrl.Serialization.PROTOBUF)).isEqualTo("http://h:1/");
        assertThat(WeirUrl.parse("jdbc:weir://h:1").httpUrl(WeirUrl.Serialization.JSON)).isEqualTo("http://h:1/json");
        assertThat(WeirUrl.parse("jdbc:weir://[::1]:2").httpUrl(WeirUrl.Serialization.PROTOBUF))
                .isEqualTo("http://[::1]:2/");
        assertThat(WeirUrl.parse("jdbc:weir://h:1").httpUrl(WeirUrl.Serialization.JSON, true)).isEqualTo("https://h:1/json");
    }

    @Test
    void serializationIsCaseInsensitiveAndValidated() throws SQLException {
        assertThat(WeirUrl.Serialization.of("JSON")).isEqualTo(WeirUrl.Serialization.JSON);
        assertThat(WeirUrl.Serialization.of(" protobuf ")).isEqualTo(WeirUrl.Serialization.PROTOBUF);
        assertThatThrownBy(() -> WeirUrl.Serialization.of("xml"))
                .isInstanceOf(SQLException.class)
                .hasMessage("Unknown serialization 'xml': use protobuf (the default) or json");
    }
}

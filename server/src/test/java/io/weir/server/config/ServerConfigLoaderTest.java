package io.weir.server.config;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerConfigLoaderTest {
    /** For every setting, a value that is not its default. */
    private static final Map<ServerOption<?>, String> SAMPLES = Map.ofEntries(
            Map.entry(ServerOptions.BIND, "0.0.0.0"),
            Map.entry(ServerOptions.PORT, "9000"),
            Map.entry(ServerOptions.PG_PORT, "6543"),
            Map.entry(ServerOptions.DATA_DIR, "/var/lib/weir"),
            Map.entry(ServerOptions.TLS_CERT, "/etc/weir/cert.pem"),
            Map.entry(ServerOptions.TLS_KEY, "/etc/weir/key.pem"),
            Map.entry(ServerOptions.IO_THREADS, "3"),
            Map.entry(ServerOptions.REQUEST_THREADS, "7"),
            Map.entry(ServerOptions.MAX_REQUEST_BYTES, "2MiB"),
            Map.entry(ServerOptions.SHUTDOWN_TIMEOUT, "2s"),
            Map.entry(ServerOptions.SESSION_IDLE_TIMEOUT, "1h"),
            Map.entry(ServerOptions.BATCH_INTERVAL, "250ms"),
            Map.entry(ServerOptions.CHECKPOINT_INTERVAL, "2s"),
            Map.entry(ServerOptions.ALLOWED_LATENESS, "30s"),
            Map.entry(ServerOptions.PARALLELISM, "3"),
            Map.entry(ServerOptions.STATE_MAX_MEMORY, "3GiB"),
            Map.entry(ServerOptions.MAX_FETCH_WAIT, "3s"),
            Map.entry(ServerOptions.STATEMENT_TIMEOUT, "30s"),
            Map.entry(ServerOptions.ADMIN_PASSWORD_FILE, "/etc/weir/admin-password"),
            Map.entry(ServerOptions.INSECURE, "true"),
            Map.entry(ServerOptions.FILE_ROOTS, "/srv/weir-files,/tmp/weir-in"),
            Map.entry(ServerOptions.MAX_HEADER_BYTES, "32KiB"),
            Map.entry(ServerOptions.MAX_STATEMENT_LENGTH, "65536"),
            Map.entry(ServerOptions.MAX_CONNECTIONS_PER_USER, "20"),
            Map.entry(ServerOptions.MAX_PUSH_QUERIES_PER_USER, "10"),
            Map.entry(ServerOptions.MAX_PERSISTENT_QUERIES_PER_USER, "5"),
            Map.entry(ServerOptions.ALLOWED_HOSTS, "weir.example,.corp.example"));
    /** Settings that must be given together: each is loaded with its partner's sample. */
    private static final Map<ServerOption<?>, ServerOption<?>> PARTNERS = Map.of(
            ServerOptions.TLS_CERT, ServerOptions.TLS_KEY, ServerOptions.TLS_KEY, ServerOptions.TLS_CERT);

    @TempDir
    Path dir;

    @Test
    void defaultsWhenNothingIsGiven() {
        assertThat(ServerConfigLoader.load(Map.of(), null, Map.of())).isEqualTo(ServerConfig.defaults());
    }

    @Test
    void flagsBeatEnvironmentBeatsFileBeatsDefault() throws IOException {
        Path file = write("server.port=1001\nserver.bind=10.0.0.1\nquery.batch-interval=3s\n");
        Map<String, String> env = Map.of("WEIR_PORT", "1002", "WEIR_BIND", "10.0.0.2");
        Map<ServerOption<?>, String> flags = Map.of(ServerOptions.PORT, "1003");

        ServerConfig config = ServerConfigLoader.load(flags, file, env);

        assertThat(config.port()).as("flag over environment").isEqualTo(1003);
        assertThat(config.bindAddress()).as("environment over file").isEqualTo("10.0.0.2");
        assertThat(config.batchInterval()).as("file over default").isEqualTo(Duration.ofSeconds(3));
        assertThat(config.requestThreads()).as("default").isEqualTo(64);
        assertThat(ServerConfigLoader.load(Map.of(), file, env).port()).isEqualTo(1002);
        assertThat(ServerConfigLoader.load(Map.of(), file, Map.of()).port()).isEqualTo(1001);
    }

    @Test
    void aCommandsOwnDefaultComesLast() throws IOException {
        Map<ServerOption<?>, String> demo = Map.of(ServerOptions.DATA_DIR, "demo-data");
        assertThat(ServerConfigLoader.load(Map.of(), null, Map.of(), demo).dataDir())
                .isEqualTo(Path.of("demo-data").toAbsolutePath().normalize());
        assertThat(ServerConfigLoader.load(Map.of(ServerOptions.DATA_DIR, "/tmp/d"), null, Map.of(), demo).dataDir())
                .isEqualTo(Path.of("/tmp/d"));
        assertThat(ServerConfigLoader.load(Map.of(), null, Map.of("WEIR_DATA_DIR", "/tmp/e"), demo).dataDir())
                .isEqualTo(Path.of("/tmp/e"));
        assertThat(ServerConfigLoader.load(Map.of(), write("server.data-dir=/tmp/f\n"), Map.of(), demo).dataDir())
                .isEqualTo(Path.of("/tmp/f"));
    }

    @Test
    void everySettingCanComeFromEverySource() throws IOException {
        assertThat(SAMPLES.keySet()).containsExactlyInAnyOrderElementsOf(ServerOptions.all());
        for (ServerOption<?> option : ServerOptions.all()) {
            String text = SAMPLES.get(option);
            Object expected = option.parse(text, "test");
            assertThat((Object) option.defaultValue()).as(option.key() + " sample differs from default").isNotEqualTo(expected);

            Map<ServerOption<?>, String> partner = PARTNERS.containsKey(option)
                    ? Map.of(PARTNERS.get(option), SAMPLES.get(PARTNERS.get(option))) : Map.of();
            Map<ServerOption<?>, String> flags = new HashMap<>(partner);
            flags.put(option, text);
            ServerConfig fromFlag = ServerConfigLoader.load(flags, null, Map.of());
            ServerConfig fromEnv = ServerConfigLoader.load(partner, null, Map.of(option.envVariable(), text));
            ServerConfig fromFile = ServerConfigLoader.load(partner, write(option.key() + "=" + text), Map.of());

            assertThat((Object) fromFlag.value(option)).as(option.flag()).isEqualTo(expected);
            assertThat((Object) fromEnv.value(option)).as(option.envVariable()).isEqualTo(expected);
            assertThat((Object) fromFile.value(option)).as(option.key()).isEqualTo(expected);
        }
    }

    @Test
    void theAdminPasswordComesFromItsEnvironmentVariableAndIsNeverPrinted() {
        ServerConfig config = ServerConfigLoader.load(Map.of(), null, Map.of("WEIR_ADMIN_PASSWORD", "s3cret"));

        assertThat(config.adminPassword()).hasValueSatisfying(secret -> assertThat(secret.value()).isEqualTo("s3cret"));
        assertThat(config.toString()).doesNotContain("s3cret");
        assertThat(ServerConfigLoader.load(Map.of(), null, Map.of("WEIR_ADMIN_PASSWORD", "")).adminPassword()).isEmpty();
    }

    @Test
    void configFileCanBeNamedByEnvironmentVariableButTheFlagWins() throws IOException {
        Path fromEnv = write("server.port=2001");
        Path fromFlag = write("server.port=2002");

        assertThat(ServerConfigLoader.load(Map.of(), null, Map.of("WEIR_CONFIG", fromEnv.toString())).port())
                .isEqualTo(2001);
        assertThat(ServerConfigLoader.load(Map.of(), fromFlag, Map.of("WEIR_CONFIG", fromEnv.toString())).port())
                .isEqualTo(2002);
    }

    @Test
    void emptyEnvironmentVariableCountsAsUnset() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("WEIR_PORT", "");
        env.put("WEIR_CONFIG", " ");

        assertThat(ServerConfigLoader.load(Map.of(), write("server.port=3001"), env).port()).isEqualTo(3001);
        assertThat(ServerConfigLoader.load(Map.of(), null, env).port()).isEqualTo(8765);
    }

    @Test
    void unknownKeyInTheFileIsAnErrorNamingIt() throws IOException {
        Path file = write("server.port=1\nserver.prot=2\n");

        assertThatThrownBy(() -> ServerConfigLoader.load(Map.of(), file, Map.of()))
                .isInstanceOfSatisfying(WeirException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_OPTION))
                .hasMessageStartingWith("Unknown setting 'server.prot' in config file " + file)
                .hasMessageContaining("Known settings: server.bind, server.port, server.pg-port, server.data-dir");
    }

    @Test
    void badValuesNameTheSettingAndTheSource() throws IOException {
        Path file = write("server.request-threads=0\n");
        Map<ServerOption<?>, String> flags = new LinkedHashMap<>();
        flags.put(ServerOptions.MAX_FETCH_WAIT, "forever");

        assertThatThrownBy(() -> ServerConfigLoader.load(Map.of(), file, Map.of()))
                .isInstanceOfSatisfying(WeirException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION_VALUE))
                .hasMessage("Invalid value '0' for server.request-threads (from config file " + file
                        + "): expected an integer from 1 to 10000");
        assertThatThrownBy(() -> ServerConfigLoader.load(Map.of(), null, Map.of("WEIR_PORT", "http")))
                .hasMessage("Invalid value 'http' for server.port (from environment variable WEIR_PORT): "
                        + "expected an integer from 0 to 65535");
        assertThatThrownBy(() -> ServerConfigLoader.load(flags, null, Map.of()))
                .hasMessage("Invalid value 'forever' for query.max-fetch-wait (from --max-fetch-wait): "
                        + "expected a duration from 0s to 2m such as 500ms, 30s, 5m, 1h or PT30S");
    }

    @Test
    void missingConfigFileIsAnError() {
        Path missing = dir.resolve("missing.properties");

        assertThatThrownBy(() -> ServerConfigLoader.load(Map.of(), missing, Map.of()))
                .isInstanceOf(WeirException.class)
                .hasMessage("Config file " + missing + " (from --config) does not exist or is not a file");
        assertThatThrownBy(() -> ServerConfigLoader.load(Map.of(), null, Map.of("WEIR_CONFIG", missing.toString())))
                .hasMessage("Config file " + missing + " (from environment variable WEIR_CONFIG) does not exist or "
                        + "is not a file");
    }

    @Test
    void relativeDataDirIsResolvedAgainstTheWorkingDirectory() {
        ServerConfig config = ServerConfigLoader.load(Map.of(ServerOptions.DATA_DIR, "state/../weir-data"), null,
                Map.of());

        assertThat(config.dataDir()).isEqualTo(Path.of("").toAbsolutePath().resolve("weir-data"));
    }

    @Test
    void builderChecksValuesToo() {
        assertThatThrownBy(() -> ServerConfig.builder().port(70000).build())
                .isInstanceOf(WeirException.class)
                .hasMessage("Invalid value '70000' for server.port: expected an integer from 0 to 65535");
        assertThat(ServerConfig.builder().port(0).build().toBuilder().build().port()).isZero();
    }

    private Path write(String content) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "weir", ".properties"), content);
    }
}

package io.weir.server.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ServerOptionsTest {
    /** The documented settings: key, flag, environment variable, default. Changing one is a user-visible change. */
    private static final List<List<String>> RECORDED = List.of(
            List.of("server.bind", "--bind", "WEIR_BIND", "127.0.0.1"),
            List.of("server.port", "--port", "WEIR_PORT", "8765"),
            List.of("server.pg-port", "--pg-port", "WEIR_PG_PORT", "5433"),
            List.of("server.data-dir", "--data-dir", "WEIR_DATA_DIR", "data"),
            List.of("server.tls-cert", "--tls-cert", "WEIR_TLS_CERT", ""),
            List.of("server.tls-key", "--tls-key", "WEIR_TLS_KEY", ""),
            List.of("server.io-threads", "--io-threads", "WEIR_IO_THREADS", "0"),
            List.of("server.request-threads", "--request-threads", "WEIR_REQUEST_THREADS", "64"),
            List.of("server.max-request-bytes", "--max-request-bytes", "WEIR_MAX_REQUEST_BYTES", "64MiB"),
            List.of("server.shutdown-timeout", "--shutdown-timeout", "WEIR_SHUTDOWN_TIMEOUT", "30s"),
            List.of("server.session-idle-timeout", "--session-idle-timeout", "WEIR_SESSION_IDLE_TIMEOUT", "10m"),
            List.of("query.batch-interval", "--batch-interval", "WEIR_BATCH_INTERVAL", "1s"),
            List.of("query.checkpoint-interval", "--checkpoint-interval", "WEIR_CHECKPOINT_INTERVAL", "10s"),
            List.of("query.allowed-lateness", "--allowed-lateness", "WEIR_ALLOWED_LATENESS", "0s"),
            List.of("query.parallelism", "--parallelism", "WEIR_PARALLELISM", "0"),
            List.of("state.max-memory", "--state-max-memory", "WEIR_STATE_MAX_MEMORY", "60%"),
            List.of("query.max-fetch-wait", "--max-fetch-wait", "WEIR_MAX_FETCH_WAIT", "5s"),
            List.of("statement.timeout", "--statement-timeout", "WEIR_STATEMENT_TIMEOUT", "5m"),
            List.of("auth.admin-password-file", "--admin-password-file", "WEIR_ADMIN_PASSWORD_FILE", ""),
            List.of("server.insecure", "--insecure", "WEIR_INSECURE", "false"),
            List.of("server.file-roots", "--file-roots", "WEIR_FILE_ROOTS", ""),
            List.of("server.max-header-bytes", "--max-header-bytes", "WEIR_MAX_HEADER_BYTES", "16KiB"),
            List.of("server.max-statement-length", "--max-statement-length", "WEIR_MAX_STATEMENT_LENGTH", "1048576"),
            List.of("limits.connections-per-user", "--max-connections-per-user", "WEIR_MAX_CONNECTIONS_PER_USER", "200"),
            List.of("limits.push-queries-per-user", "--max-push-queries-per-user", "WEIR_MAX_PUSH_QUERIES_PER_USER", "100"),
            List.of("limits.persistent-queries-per-user", "--max-persistent-queries-per-user", "WEIR_MAX_PERSISTENT_QUERIES_PER_USER", "100"),
            List.of("server.allowed-hosts", "--allowed-hosts", "WEIR_ALLOWED_HOSTS", ""));

    @Test
    void settingsAndDefaultsAreAsRecorded() {
        assertThat(ServerOptions.all().stream()
                .map(option -> List.of(option.key(), option.flag(), option.envVariable(), option.defaultText())))
                .containsExactlyElementsOf(RECORDED);
    }

    @Test
    void defaultConfigHoldsTheDefaults() {
        ServerConfig defaults = ServerConfig.defaults();

        assertThat(defaults.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(defaults.port()).isEqualTo(8765);
        assertThat(defaults.pgPort()).isEqualTo(5433);
        assertThat(defaults.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(defaults.tlsCert()).isEmpty();
        assertThat(defaults.tlsKey()).isEmpty();
        assertThat(defaults.tls()).isFalse();
        assertThat(defaults.ioThreads()).isZero();
        assertThat(defaults.requestThreads()).isEqualTo(64);
        assertThat(defaults.maxRequestBytes()).isEqualTo(64 * 1024 * 1024);
        assertThat(defaults.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(defaults.batchInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.allowedLateness()).isZero();
        assertThat(defaults.stateMaxMemory()).isEqualTo(Runtime.getRuntime().maxMemory() / 100 * 60);
        assertThat(defaults.maxFetchWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.statementTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(defaults.parallelism()).isZero();
        assertThat(defaults.effectiveParallelism()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(defaults.adminPasswordFile()).isEmpty();
        assertThat(defaults.insecure()).isFalse();
        assertThat(defaults.adminPassword()).isEmpty();
        for (ServerOption<?> option : ServerOptions.all()) {
            assertThat((Object) defaults.value(option)).as(option.key()).isEqualTo(option.defaultValue());
        }
    }

    @Test
    void namesAreUniqueAndDescribed() {
        assertThat(unique(ServerOptions.all().stream().map(ServerOption::key).toList())).isTrue();
        assertThat(unique(ServerOptions.all().stream().map(ServerOption::flag).toList())).isTrue();
        assertThat(unique(ServerOptions.all().stream().map(ServerOption::envVariable).toList())).isTrue();
        assertThat(ServerOptions.all()).allSatisfy(option -> {
            assertThat(option.description()).endsWith(".");
            assertThat(option.envVariable()).startsWith("WEIR_");
        });
    }

    @Test
    void markdownTableListsEverySetting() {
        String table = ServerOptions.markdownTable();

        assertThat(table).startsWith("| Key | Flag | Environment variable | Default | Description |\n");
        assertThat(table.lines().count()).isEqualTo(2 + ServerOptions.all().size());
        assertThat(table).contains("| `server.port` | `--port` | `WEIR_PORT` | `8765` | TCP port for JDBC clients");
        assertThat(table).contains("| `server.tls-cert` | `--tls-cert` | `WEIR_TLS_CERT` |  | PEM file");
    }

    @Test
    void byKeyFindsSettings() {
        assertThat(ServerOptions.byKey("server.port")).containsSame(ServerOptions.PORT);
        assertThat(ServerOptions.byKey("server.nope")).isEmpty();
    }

    private static boolean unique(List<String> names) {
        Set<String> set = names.stream().collect(Collectors.toSet());
        return set.size() == names.size();
    }
}

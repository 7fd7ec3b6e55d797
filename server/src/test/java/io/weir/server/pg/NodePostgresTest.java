package io.weir.server.pg;

import com.fasterxml.jackson.databind.JsonNode;
import io.weir.server.config.ServerConfig;
import io.weir.server.testing.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * node-postgres ({@code pg} from the npm registry, version pinned in {@code src/test/node-postgres}), run by the
 * machine's Node.js, as an implementation of the protocol independent of pgjdbc and psql: simple and extended
 * queries, parameters, a named statement, the types it parses (intervals too), errors, the catalog and a cursor over a
 * continuous query. The package is installed with {@code npm ci} under {@code target/} on first use;
 * {@code .ci/run} installs Node.js where it is missing.
 */
class NodePostgresTest {
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path temp;
    private static RunningServer server;
    private static Path client;

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> node = onPath("node");
        Optional<Path> npm = onPath("npm");
        assumeTrue(node.isPresent() && npm.isPresent(), "Node.js and npm are not installed (Debian: apt-get install nodejs npm);"
                + " .ci/run installs them");
        client = install(npm.get());
        server = RunningServer.start(temp.resolve("data"), builder -> builder.pgPort(ServerConfig.FREE_PORT)
                .batchInterval(Duration.ofMillis(50)).parallelism(1));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Optional<Path> onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(directory -> Path.of(directory, program)).filter(Files::isExecutable).findFirst();
    }

    /** The client script in a directory with its pinned packages installed (once per build directory). */
    private static Path install(Path npm) throws Exception {
        Path source = Path.of("src/test/node-postgres");
        Path directory = Files.createDirectories(Path.of("target/node-postgres"));
        for (String file : List.of("package.json", "package-lock.json", "client.js")) {
            Files.copy(source.resolve(file), directory.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(directory.resolve("node_modules/pg"))) {
            Process install = new ProcessBuilder(npm.toString(), "ci", "--no-audit", "--no-fund")
                    .directory(directory.toFile()).redirectErrorStream(true).start();
            String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(install.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as(output).isTrue();
            assertThat(install.exitValue()).as("npm ci: " + output).isZero();
        }
        return directory.resolve("client.js");
    }

    @Test
    void nodePostgresRunsQueriesStatementsAndACursor() throws Exception {
        Map<String, JsonNode> checks = ClientChecks.run(List.of("node", client.toString(), Integer.toString(server.pgPort())));
        assertThat(checks.get("simple").toString()).isEqualTo("[{\"num\":1,\"word\":\"two\"}]");
        assertThat(checks.get("multiple").toString()).isEqualTo("[[{\"a\":1}],[{\"b\":2}]]");
        assertThat(checks.get("parameters").toString()).isEqualTo("[{\"x\":2,\"y\":\"b\"}]");
        assertThat(checks.get("named").toString()).isEqualTo("[[{\"y\":\"a\"}],[{\"y\":\"b\"}]]");
        JsonNode types = checks.get("types");
        assertThat(types.get("ts").asBoolean()).isTrue();
        assertThat(types.get("dt").asBoolean()).isTrue();
        assertThat(types.get("d").asText()).isEqualTo("12.50"); // numeric stays text in node-postgres, as from PostgreSQL
        assertThat(types.get("b").asBoolean()).isTrue();
        assertThat(types.get("f").asDouble()).isEqualTo(2.5);
        assertThat(types.get("n").asText()).isEqualTo("7"); // int8 too
        assertThat(types.get("oids").toString()).isEqualTo("[1114,1700,16,701,20,1082]");
        JsonNode intervals = checks.get("intervals");
        assertThat(intervals.get("oid").asInt()).isEqualTo(1186);
        assertThat(intervals.get("m").asText()).isEqualTo("P0Y0M0DT1H30M0S");
        assertThat(intervals.get("hours").asInt()).isEqualTo(1);
        assertThat(intervals.get("minutes").asInt()).isEqualTo(30);
        assertThat(intervals.get("d").asText()).isEqualTo("P0Y0M1DT2H0M0.5S");
        assertThat(intervals.get("ym").asText()).isEqualTo("P1Y2M0DT0H0M0S");
        assertThat(intervals.get("neg").asText()).isEqualTo("P0Y0M0DT0H0M-5S");
        assertThat(intervals.get("text").asText()).isEqualTo("P0Y0M1DT2H0M0S");
        assertThat(intervals.get("binary").asText()).isEqualTo("P0Y0M0DT1H30M0S");
        assertThat(checks.get("error").get("code").asText()).isEqualTo("42P01");
        assertThat(checks.get("error").get("position").asInt()).isPositive();
        assertThat(checks.get("extended error").get("code").asText()).isEqualTo("42P01");
        assertThat(checks.get("after error").toString()).isEqualTo("[{\"answer\":42}]");
        assertThat(checks.get("tables").toString()).contains("\"node_ticks\"");
        // FETCH returns the rows ready once the first one is, at most 5
        assertThat(checks.get("cursor").asInt()).isBetween(1, 5);
    }
}

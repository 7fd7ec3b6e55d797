package io.weir.distribution;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * weir-VERSION.tar.gz as an operator gets it: unpacked with tar, run with a PATH that has Java and the
 * shell's tools but no Maven, from another working directory. bin/weir --version, the server started
 * with the shipped conf/weir.conf, bin/weir-sql running a statement against it, and SIGTERM stopping it
 * gracefully.
 */
class DistributionTest {
    @TempDir
    static Path unpacked;
    @TempDir
    static Path tools;
    private static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("weir.distribution"));
        assertThat(archive).exists();
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", unpacked.toString()).inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        try (var entries = Files.list(unpacked)) {
            home = entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        // a PATH with what the scripts use and java, but no mvn: nothing may be built
        for (String tool : List.of("bash", "env", "dirname", "cat", "find", "sort", "tail", "awk", "stty", "uname", "sed", "grep")) {
            Path found = which(tool);
            if (found != null) {
                Files.createSymbolicLink(tools.resolve(tool), found);
            }
        }
        Files.createSymbolicLink(tools.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    private static Path which(String tool) {
        for (String dir : System.getenv("PATH").split(":")) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static ProcessBuilder run(Path workingDirectory, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(key -> key.startsWith("WEIR_") || key.equals("JAVA_HOME") || key.startsWith("MAVEN"));
        environment.put("PATH", tools.toString());
        environment.put("JAVA_OPTS", "-Xmx256m");
        return builder;
    }

    private static String output(Process process) throws Exception {
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return text;
    }

    @Test
    void theArchiveHoldsScriptsJarsConfigurationAndDocs() throws IOException {
        assertThat(home.resolve("bin/weir")).isExecutable();
        assertThat(home.resolve("bin/weir-sql")).isExecutable();
        assertThat(home.resolve("conf/weir.conf")).exists();
        assertThat(home.resolve("conf/weir.service")).content().contains("ExecStart=/opt/weir/bin/weir");
        assertThat(home.resolve("docs/quickstart.md")).exists();
        try (var jars = Files.list(home.resolve("lib/server"))) {
            assertThat(jars.map(jar -> jar.getFileName().toString())).anyMatch(name -> name.startsWith("weir-server-"));
        }
        try (var jars = Files.list(home.resolve("lib/shell"))) {
            assertThat(jars.map(jar -> jar.getFileName().toString()))
                    .anyMatch(name -> name.startsWith("weir-jdbc-")).anyMatch(name -> name.startsWith("sqlline-"));
        }
    }

    @Test
    void versionPrintsWithoutMaven() throws Exception {
        Process version = run(unpacked, home.resolve("bin/weir").toString(), "--version").start();
        String text = output(version);
        assertThat(version.exitValue()).as(text).isZero();
        assertThat(text).contains("Weir").doesNotContain("build");
    }

    @Test
    void theServerRunsAnswersTheShellAndStopsOnSigterm() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path work = Files.createDirectories(unpacked.resolve("work"));
        Path log = work.resolve("server.log");
        Process server = run(work, home.resolve("bin/weir").toString(), "--port", Integer.toString(port), "--pg-port", "0")
                .redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofMinutes(2)).until(() -> Files.readString(log).contains("listening on"));
            assertThat(Files.readString(log)).contains("conf/weir.conf").doesNotContain("ERROR");

            Process shell = run(work, home.resolve("bin/weir-sql").toString(), "-u", "jdbc:weir://127.0.0.1:" + port,
                    "-e", "SELECT 40 + 2 AS answer;").start();
            String text = output(shell);
            assertThat(shell.exitValue()).as(text).isZero();
            assertThat(text).contains("answer").contains("42");
        } finally {
            server.destroy(); // SIGTERM
            assertThat(server.waitFor(90, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(server.exitValue()).as(Files.readString(log)).isIn(0, 143);
        assertThat(work.resolve("data/catalog")).isDirectory(); // the data directory where the server was started
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        assertThat(String.join("\n", lines)).containsIgnoringCase("stopp");
    }
}

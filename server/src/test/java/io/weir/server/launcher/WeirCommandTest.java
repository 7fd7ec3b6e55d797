package io.weir.server.launcher;

import io.weir.server.config.ServerConfig;
import io.weir.server.config.ServerOption;
import io.weir.server.config.ServerOptions;
import io.weir.server.meta.ServerVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class WeirCommandTest {
    @TempDir
    Path dir;
    private final AtomicReference<ServerConfig> ran = new AtomicReference<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(Map<String, String> environment, String... args) {
        CommandLine commandLine = WeirCommand.commandLine(config -> {
            ran.set(config);
            return 0;
        }, environment);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void flagsOverrideEnvironmentAndConfigFile() throws IOException {
        Path file = Files.writeString(dir.resolve("weir.properties"), "server.port=1001\nserver.request-threads=9\n");

        int exit = execute(Map.of("WEIR_PORT", "1002", "WEIR_BIND", "0.0.0.0"),
                "--port", "1003", "--config", file.toString(), "--max-fetch-wait=2s");

        assertThat(exit).isZero();
        assertThat(ran.get().port()).isEqualTo(1003);
        assertThat(ran.get().bindAddress()).isEqualTo("0.0.0.0");
        assertThat(ran.get().requestThreads()).isEqualTo(9);
        assertThat(ran.get().maxFetchWait()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void insecureAloneMeansTrue() {
        assertThat(execute(Map.of(), "--insecure", "--port", "1004")).isZero();
        assertThat(ran.get().insecure()).isTrue();
        assertThat(ran.get().port()).isEqualTo(1004);
        assertThat(execute(Map.of(), "--insecure=false")).isZero();
        assertThat(ran.get().insecure()).isFalse();
    }

    @Test
    void everySettingHasAFlag() {
        CommandLine.Model.CommandSpec spec = WeirCommand.commandLine(config -> 0, Map.of()).getCommandSpec();

        for (ServerOption<?> option : ServerOptions.all()) {
            assertThat(spec.findOption(option.flag())).as(option.flag()).isNotNull();
        }
    }

    @Test
    void helpListsEveryFlagWithEnvironmentAndDefault() {
        int exit = execute(Map.of(), "--help");

        assertThat(exit).isZero();
        assertThat(ran.get()).as("--help does not start the server").isNull();
        // Lines are wrapped, at times inside a key (after "server."): undo the wrapping.
        String help = out.toString().replaceAll("\\n\\s+", "");
        assertThat(help).contains("Usage: weir", "--config=FILE", "WEIR_CONFIG", "-h, --help", "-V, --version");
        for (ServerOption<?> option : ServerOptions.all()) {
            assertThat(help).contains(option.flag(), option.envVariable(), option.key());
        }
        assertThat(help).contains("--port=N").contains("Default: 8765");
        assertThat(help).contains("--state-max-memory=SIZE|PERCENT", "Default: 60%.");
    }

    @Test
    void helpRendersWithoutPicocliWarnings() {
        // picocli formats descriptions with String.format and, when one fails (a bare % as in "60%"), prints
        // "[picocli WARN] Could not format ..." to System.err, above the help
        java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
        java.io.PrintStream previous = System.err;
        System.setErr(new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(execute(Map.of(), "--help")).isZero();
        } finally {
            System.setErr(previous);
        }

        assertThat(stderr.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("picocli");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void versionIsTheServerVersion() {
        int exit = execute(Map.of(), "--version");

        assertThat(exit).isZero();
        assertThat(out.toString().trim()).isEqualTo("Weir " + ServerVersion.VERSION);
        assertThat(ServerVersion.VERSION).doesNotContain("${").doesNotContain("unknown");
    }

    @Test
    void unknownFlagIsAUsageError() {
        int exit = execute(Map.of(), "--prot", "1");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("Unknown options: '--prot', '1'").contains("Usage: weir");
        assertThat(ran.get()).isNull();
    }
}

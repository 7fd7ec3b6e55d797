package io.weir.server.pg;

import io.weir.server.config.ServerConfig;
import io.weir.server.testing.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real {@code psql} (PostgreSQL's client; Debian's postgresql-client, which CI installs) against the
 * PostgreSQL endpoint: statements, its catalog commands, errors in a script that goes on, a cursor fetched
 * with a timeout, and {@code COPY (SELECT STREAM ...) TO STDOUT} printing rows as they come.
 */
class PsqlTest {
    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    static Path temp;
    private static RunningServer server;
    private static Path psql;

    @BeforeAll
    static void start() throws Exception {
        psql = onPath("psql").orElse(null);
        assumeTrue(psql != null, "psql is not installed (Debian: apt-get install postgresql-client); .ci/run installs it");
        server = RunningServer.start(temp.resolve("data"), builder -> builder.pgPort(ServerConfig.FREE_PORT)
                .batchInterval(Duration.ofMillis(50)).parallelism(1));
        Result created = psql("-c", "CREATE STREAM clicks (user_id BIGINT, url VARCHAR(100)) WITH ('connector' = 'datagen',"
                + " 'rows-per-second' = '50')", "-c", "CREATE VIEW urls AS SELECT url FROM clicks");
        assertThat(created.exit()).as(created.output()).isZero();
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

    private record Result(int exit, String output) {
    }

    private static ProcessBuilder command(String... arguments) {
        List<String> command = new ArrayList<>(List.of(psql.toString(), "-X", "-h", "127.0.0.1", "-p",
                Integer.toString(server.pgPort()), "-U", "tester", "-d", "weir"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGCONNECT_TIMEOUT", "10");
        builder.environment().remove("PGPASSWORD");
        return builder;
    }

    private static Result psql(String... arguments) throws Exception {
        Process process = command(arguments).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(LONG.toSeconds(), TimeUnit.SECONDS)).as(output).isTrue();
        return new Result(process.exitValue(), output);
    }

    @Test
    void runsStatementsAndCatalogCommands() throws Exception {
        Result result = psql("-c", "SELECT 1 AS answer", "-c", "\\dt", "-c", "\\dv", "-c", "\\d clicks", "-c", "\\l", "-c", "\\dn",
                "-c", "\\dt+", "-c", "\\df", "-c", "\\du", "-c", "\\dT", "-c", "\\d+ clicks",
                "-c", "\\l+", "-c", "\\df+");
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("answer", "(1 row)")
                .containsPattern("weir\\s+\\|\\s+clicks\\s+\\|\\s+table")
                .containsPattern("weir\\s+\\|\\s+urls\\s+\\|\\s+view")
                .containsPattern("user_id\\s+\\|\\s+bigint")
                .containsPattern("url\\s+\\|\\s+character varying\\(100\\)")
                .contains("UTF8", "List of functions", "List of roles", "List of data types", "Table \"weir.clicks\"")
                .containsPattern("user_id\\s+\\|\\s+bigint\\s+\\|.*\\|\\s+plain")
                .containsPattern("weir\\s+\\|.*\\|\\s+pg_default\\s+\\|")
                .doesNotContain("ERROR");
    }

    @Test
    void aScriptGoesOnAfterAnError() throws Exception {
        Path script = temp.resolve("script.sql");
        Files.writeString(script, "SELECT 1 AS before;\nSELEC 2;\nSELECT 3 AS after;\n");
        Result result = psql("-f", script.toString());
        assertThat(result.output()).contains("before", "after", "ERROR:", "LINE 1: SELEC 2");
    }

    @Test
    void fetchesFromACursorWithATimeout() throws Exception {
        Result result = psql("-c", "DECLARE c CURSOR FOR SELECT STREAM user_id, url FROM clicks; FETCH 3 FROM c WITH (timeout = '10s');"
                + " CLOSE c;");
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("user_id", "url").containsPattern("\\(\\d rows?\\)");
        await().atMost(LONG).until(() -> server.context().queries().size() == 0);
    }

    @Test
    void copyOfAContinuousQueryPrintsRowsAsTheyCome() throws Exception {
        Process process = command("-c", "COPY (SELECT STREAM user_id, url FROM clicks) TO STDOUT").start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> read = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String line = lines.readLine();
                assertThat(line).as("line %d after %s", i, read).isNotNull();
                read.add(line);
            }
            assertThat(read).allMatch(line -> line.matches("-?\\d+\\t.*"));
        } finally {
            process.destroy();
            process.waitFor(LONG.toSeconds(), TimeUnit.SECONDS);
        }
        // psql is gone: its query stops
        await().atMost(LONG).until(() -> server.context().queries().size() == 0);
    }

    @Test
    void copyOfABoundedQueryEnds() throws IOException, InterruptedException, Exception {
        Result result = psql("-c", "COPY (SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t(x, y)) TO STDOUT WITH (FORMAT csv, HEADER)");
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output().lines().toList()).containsExactly("x,y", "1,a", "2,b");
    }
}

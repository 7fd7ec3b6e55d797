package io.weir.shell;

import io.weir.server.config.ServerConfig;
import io.weir.server.launcher.WeirServer;
import io.weir.server.meta.WeirMeta;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/weir-sql's Java side as a user meets it: the shell in its own JVM (with the flags the script
 * passes), a real server on a free port, Weir's JDBC driver, scripts run with --run.
 */
@Timeout(120)
class WeirSqlShellTest {
    private static final String LONG = "x".repeat(150);

    @TempDir
    static Path dataDir;
    @TempDir
    Path work;
    private static WeirMeta meta;
    private static WeirServer server;

    @BeforeAll
    static void startServer() throws Exception {
        ServerConfig config = ServerConfig.builder().bindAddress("127.0.0.1").port(0).pgPort(0).dataDir(dataDir).build();
        meta = new WeirMeta(config);
        server = WeirServer.start(config, meta);
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM clicks (id BIGINT, url VARCHAR) WITH ('connector' = 'datagen', 'rows-per-second' = '1')");
        }
    }

    @AfterAll
    static void stopServer() {
        server.close();
        meta.close();
    }

    private record Run(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    @Test
    void aFailedStatementInAScriptIsOneLineWithItsSqlState() throws Exception {
        Run run = runScript("SELECT * FROM nosuch;\nSHOW STREAMS;\n");

        assertThat(run.errLines()).contains("Error 42S02: At line 1, column 15: Stream or table 'nosuch' does not exist."
                + " SHOW STREAMS and SHOW TABLES list what is registered");
        assertThat(run.err()).doesNotContain("\tat ", "Exception", "Remote driver error");
        // sqlline stops a script at its first failure, with exit status 2
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).doesNotContain("clicks");
    }

    @Test
    void verboseAddsTheClientsStackTraceNotTheServers() throws Exception {
        Run run = runScript("SELECT * FROM nosuch;\n", "--verbose");

        assertThat(run.errLines()).contains("Error 42S02: At line 1, column 15: Stream or table 'nosuch' does not exist."
                + " SHOW STREAMS and SHOW TABLES list what is registered");
        // the server sends no stack traces: its internals stay in its log
        assertThat(run.err()).contains("\tat ", "AvaticaSqlException").doesNotContain("io.weir.server.meta.WeirMeta");
    }

    @Test
    void withForceTheScriptGoesOnAfterEachFailure() throws Exception {
        Run run = runScript("SELECT * FROM nosuch;\nSELECT nope FROM clicks;\nSHOW STREAMS;\n", "--force=true");

        assertThat(run.errLines()).filteredOn(line -> line.startsWith("Error ")).hasSize(2)
                .last().asString().startsWith("Error 42S22: ");
        assertThat(run.out()).contains("| clicks ");
    }

    @Test
    void aWarningIsOneLine() throws Exception {
        Run run = runScript("CREATE MATERIALIZED VIEW click_log AS SELECT id, url FROM clicks WHERE id > 0;\n");

        assertThat(run.exitCode()).isZero();
        assertThat(run.errLines()).contains("Warning 01000: Materialized view 'click_log' keeps every row of its stream and"
                + " grows without bound; give it a retention to bound it: CREATE OR REPLACE MATERIALIZED VIEW click_log"
                + " WITH ('retention' = '24 hours') AS ...");
        assertThat(run.err()).doesNotContain("\tat ", "SQLWarning");
    }

    @Test
    void rowsCutAtTheOutputWidthSaySo() throws Exception {
        Run cut = runScript("SELECT '" + LONG + "' AS long_text;\n", "--maxWidth=100");

        assertThat(cut.exitCode()).isZero();
        List<String> rows = cut.out().lines().filter(line -> line.startsWith("| ")).toList();
        assertThat(rows).hasSize(2).allSatisfy(line -> assertThat(line).hasSize(100).endsWith("\u2026 |"));
        assertThat(cut.errLines()).contains("Rows wider than 96 characters were cut (they end in \u2026). To see them whole:"
                + " !set maxWidth 400 (or start with --maxWidth=N), or !outputformat vertical");

        Run whole = runScript("SELECT '" + LONG + "' AS long_text;\n", "--maxWidth=400");

        assertThat(whole.out()).contains("| " + LONG + " |").doesNotContain("\u2026");
        assertThat(whole.err()).doesNotContain("were cut");
    }

    @Test
    void anUnreachableServerIsOneLine() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Path script = Files.writeString(work.resolve("script.sql"), "SHOW STREAMS;\n");

        Run run = run("jdbc:weir://127.0.0.1:" + closedPort, "--run=" + script);

        assertThat(run.errLines()).anySatisfy(line -> assertThat(line)
                .startsWith("Error 08001: Cannot connect to the Weir server at http://127.0.0.1:" + closedPort + "/: "));
        assertThat(run.err()).doesNotContain("\tat ");
        assertThat(run.exitCode()).isEqualTo(2);
    }

    @Test
    void helpDescribesWeirsOptionsThenSqllines() throws Exception {
        Run run = run(server.jdbcUrl(), "--help");

        assertThat(run.out()).contains("Usage: bin/weir-sql [-u URL] [-f FILE | --run=FILE]", "--verbose", "--maxWidth=N",
                "Usage: java sqlline.SqlLine");
        assertThat(run.out().indexOf("Usage: bin/weir-sql")).isLessThan(run.out().indexOf("Usage: java sqlline.SqlLine"));
    }

    private Run runScript(String sql, String... options) throws IOException, InterruptedException {
        Path script = Files.writeString(work.resolve("script.sql"), sql);
        List<String> args = new ArrayList<>(List.of("--run=" + script));
        args.addAll(List.of(options));
        return run(server.jdbcUrl(), args.toArray(String[]::new));
    }

    /** Runs the shell as bin/weir-sql does without a terminal, on this test's class path. */
    private Run run(String url, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.jline.terminal.dumb=true", "-cp", System.getProperty("java.class.path"), WeirSql.class.getName(),
                "-d", "io.weir.jdbc.WeirDriver", "-u", url, "-n", "", "-p", "", "--incremental=true",
                "--isolation=TRANSACTION_NONE", "--maxWidth=200"));
        command.addAll(List.of(options));
        File out = work.resolve("out.txt").toFile();
        File err = work.resolve("err.txt").toFile();
        Process process = new ProcessBuilder(command).redirectOutput(out).redirectError(err)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("shell finished").isTrue();
        return new Run(process.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                Files.readString(err.toPath(), StandardCharsets.UTF_8));
    }
}

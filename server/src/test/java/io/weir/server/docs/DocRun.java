package io.weir.server.docs;

import io.weir.server.testing.ResultRows;
import io.weir.connector.jdbc.TestPostgres;
import io.weir.connector.kinesis.Kinesalite;
import io.weir.connector.kinesis.TestStreams;
import io.weir.server.demo.Demo;
import io.weir.server.config.Secret;
import io.weir.server.demo.EmbeddedKafka;
import io.weir.server.testing.RunningServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the blocks of one page in order against a real server, as a reader would paste them: see
 * {@link DocsExamplesTest} for the markers and substitutions.
 */
final class DocRun implements AutoCloseable {
    /** How long a continuous query with nothing expected of it is read (or until its first row). */
    static final Duration STREAM_GLANCE = Duration.ofMillis(1500);
    /** How long a continuous query may take to deliver the rows its expectations need. */
    static final Duration STREAM_WAIT = Duration.ofSeconds(60);
    private static final Duration SHELL_TIMEOUT = Duration.ofSeconds(60);
    private static final String SERVER_ADDRESS = "(?:127\\.0\\.0\\.1|localhost):8765";
    private static final String KAFKA_ADDRESS = "(?:127\\.0\\.0\\.1|localhost):9092";
    /** The PostgreSQL endpoint's default port, in psql's -p, URLs and connection strings. */
    private static final Pattern PG_PORT = Pattern.compile("(?<=[:= ])5433\\b");
    /** Absolute example paths under /tmp and /data, moved into the page's temporary directory. */
    private static final Pattern EXAMPLE_PATH = Pattern.compile("(?<=^|[\\s'\"=@(>])/(tmp|data)(?=/)", Pattern.MULTILINE);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([a-z.]+)(?::([A-Za-z0-9_-]+))?}");
    private static final Pattern REPLACE = Pattern.compile("(?s)(.+?)\\s+with\\s+(.+)");
    private static final Pattern TLS_CERT = Pattern.compile("--tls-cert[ =](\\S+)");
    /** The directories a server block lets connectors read and write files under. */
    private static final Pattern FILE_ROOTS = Pattern.compile("--file-roots[ =](\\S+)");
    /** Where the pages keep the files their examples read and write: the quickstart starts its server with them as file roots. */
    private static final String EXAMPLE_FILE_ROOT = "/tmp/weir-demo";
    private static final Pattern TLS_KEY = Pattern.compile("--tls-key[ =](\\S+)");
    /** The admin password a server block gives ({@code WEIR_ADMIN_PASSWORD='...' bin/weir}). */
    private static final Pattern ADMIN_PASSWORD = Pattern.compile("WEIR_ADMIN_PASSWORD=(?:'([^']*)'|\"([^\"]*)\"|(\\S+))");
    private static final Pattern WEIR_URL = Pattern.compile("jdbc:weir://[^\\s\"']+");

    private final DocPage page;
    private final Path temp;
    private final Path root;
    private final Supplier<EmbeddedKafka> kafka;
    private final Supplier<Demo> sharedDemo;
    private final DocCounts counts;
    private final Map<String, Integer> ports = new HashMap<>();
    private RunningServer server;
    private Demo demo;
    private Path dataDir;
    /** The files of a server started with --tls-cert and --tls-key (the server stand-in's flags), or null. */
    private Path[] tls;
    /** The admin password of a server started with one (the server stand-in's WEIR_ADMIN_PASSWORD); empty without. */
    private Optional<String> adminPassword = Optional.empty();
    /** The file roots of the server a block started ({@code --file-roots}), else the examples' directory (as the quickstart's server). */
    private List<Path> fileRoots;
    /** The URL the harness connects with: the server's, or the one a client stand-in named. */
    private String clientUrl;
    private Connection connection;
    private WebhookReceiver webhook;
    private int dataDirs;

    DocRun(DocPage page, Path temp, Path root, Supplier<EmbeddedKafka> kafka, Supplier<Demo> demo, DocCounts counts) {
        this.page = page;
        this.temp = temp;
        this.root = root;
        this.kafka = kafka;
        this.sharedDemo = demo;
        this.counts = counts;
    }

    void run() throws Exception {
        Files.createDirectories(temp.resolve("tmp"));
        Files.createDirectories(temp.resolve("data"));
        Files.createDirectories(temp.resolve("work"));
        startServer();
        for (DocPage.Step step : page.steps()) {
            String where = page.file().getFileName() + ":" + step.line();
            if (step instanceof DocPage.Setup setup) {
                setup(setup, where);
            } else {
                block((DocPage.Block) step, where);
            }
        }
    }

    private void setup(DocPage.Setup setup, String where) throws Exception {
        switch (setup.kind()) {
            case "sql" -> sql(substitute(setup.body(), List.of()), DocExpectations.NONE, where);
            case "shell" -> shell(substitute(setup.body(), List.of()), DocExpectations.NONE, where);
            case "server" -> startServer();
            case "file" -> {
                // relative to where the shell blocks run
                Path file = temp.resolve("work").resolve(substitute(setup.argument(), List.of()));
                Files.createDirectories(file.getParent());
                Files.writeString(file, setup.body(), StandardCharsets.UTF_8);
            }
            case "kafka" -> {
                EmbeddedKafka broker = broker();
                for (String topic : setup.argument().split("\\s+")) {
                    String[] nameAndPartitions = topic.split(":");
                    broker.createTopic(nameAndPartitions[0], nameAndPartitions.length > 1 ? Integer.parseInt(nameAndPartitions[1]) : 1);
                }
            }
            case "kinesis" -> {
                try (TestStreams streams = new TestStreams(Kinesalite.shared().endpoint())) {
                    for (String stream : setup.argument().split("\\s+")) {
                        String[] nameAndShards = stream.split(":");
                        streams.createNamed(nameAndShards[0], nameAndShards.length > 1 ? Integer.parseInt(nameAndShards[1]) : 1);
                    }
                }
            }
            case "postgres" -> {
                List<String> statements = SqlScript.split(substitute(setup.body(), List.of())).stream()
                        .map(SqlScript.Statement::sql).toList();
                TestPostgres.get().execute(statements.toArray(String[]::new));
            }
            default -> throw new AssertionError(where + ": unknown setup kind '" + setup.kind() + "'");
        }
    }

    private void block(DocPage.Block block, String where) throws Exception {
        List<DocPage.Marker> skips = block.markers("skip");
        if (!skips.isEmpty()) {
            assertThat(skips.get(0).argument()).as(where + ": a skip says why").isNotBlank();
            counts.skipped(page, block, skips.get(0).argument());
            return;
        }
        if (block.has("synopsis")) {
            assertThat(block.text()).as(where + ": a synopsis shows grammar ([optional], a | b or ...)")
                    .containsAnyOf("[", " | ", "...");
            counts.synopsis(page);
            return;
        }
        String language = block.language();
        if (DocPage.SHOWN.contains(language)) {
            counts.shown(page);
            return;
        }
        assertThat(DocPage.RUNNABLE).as(where + ": the block's language (```sql, ```bash, ```java, ```json, ```text)")
                .contains(language);
        if (block.has("server") || block.has("demo") || block.has("client")) {
            standIn(block, where);
            counts.standIn(page, block);
            return;
        }
        if (block.has("restart")) {
            restartServer();
        }
        List<DocPage.Marker> expects = block.markers("expect");
        // expectations may name example paths and addresses too
        DocExpectations expectations = expects.isEmpty() ? DocExpectations.NONE
                : DocExpectations.parse(substitute(expects.get(0).content(), List.of()));
        String text = substitute(block.text(), block.markers("replace"));
        switch (language) {
            case "sql" -> sql(text, expectations, where);
            case "bash", "shell" -> shell(text, expectations, where);
            case "java" -> java(text, expectations, where);
            default -> throw new AssertionError(where + ": cannot run ```" + language);
        }
        counts.ran(page);
    }

    /**
     * A block that starts the server, the demo or the SQL shell: the test starts the same in this JVM
     * (the server on a free port over a new data directory) and connects to it, after checking that
     * the script the block names exists.
     */
    private void standIn(DocPage.Block block, String where) throws Exception {
        String script = block.has("client") ? "bin/weir-sql" : "bin/weir";
        assertThat(block.text()).as(where + ": the block runs " + script).contains(script);
        assertThat(root.resolve(script)).as(where + ": " + script).isExecutable();
        String text = substitute(block.text(), List.of());
        if (block.has("server")) {
            // bin/weir --tls-cert FILE --tls-key FILE: a server serving HTTPS with those files
            Matcher cert = TLS_CERT.matcher(text);
            Matcher key = TLS_KEY.matcher(text);
            // WEIR_ADMIN_PASSWORD='...' bin/weir: a server with that admin password, which the page logs in as
            Matcher password = ADMIN_PASSWORD.matcher(text);
            Matcher roots = FILE_ROOTS.matcher(text);
            fileRoots = roots.find() ? Arrays.stream(roots.group(1).split(",")).map(Path::of).toList() : null;
            startServer(cert.find() && key.find() ? new Path[] {Path.of(cert.group(1)), Path.of(key.group(1))} : null,
                    password.find() ? Optional.of(firstGroup(password)) : Optional.empty());
        } else if (block.has("demo")) {
            startDemo();
        } else {
            // bin/weir-sql -u URL: that URL (e.g. with ssl=true and the certificate to trust) if it names the
            // server (an example may also show other hosts)
            Matcher url = WEIR_URL.matcher(text);
            while (url.find()) {
                if (url.group().startsWith("jdbc:weir://127.0.0.1:" + port())) {
                    clientUrl = url.group();
                }
            }
            connect();
        }
    }

    private static String firstGroup(Matcher matcher) {
        for (int i = 1; i <= matcher.groupCount(); i++) {
            if (matcher.group(i) != null) {
                return matcher.group(i);
            }
        }
        throw new IllegalStateException("no group matched");
    }

    private void startServer() throws IOException, SQLException {
        fileRoots = null;
        startServer(null, Optional.empty());
    }

    /**
     * @param tlsFiles certificate and key, or null for plain HTTP
     * @param admin    the admin password to start with, or empty for a server without users
     */
    private void startServer(Path[] tlsFiles, Optional<String> admin) throws IOException, SQLException {
        closeServers();
        dataDir = temp.resolve("server-data-" + ++dataDirs);
        tls = tlsFiles;
        adminPassword = admin;
        server = startServerOn(dataDir);
        clientUrl = serverUrl();
        connect();
    }

    /**
     * The URL of the server just started: with TLS, trusting the page's own (self-signed) certificate; with an
     * admin password, logging in as admin.
     */
    private String serverUrl() {
        List<String> properties = new ArrayList<>();
        if (tls != null) {
            properties.add("ssl=true&sslTrustCert=" + tls[0]);
        }
        adminPassword.ifPresent(password -> properties.add("user=admin&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8)));
        return "jdbc:weir://127.0.0.1:" + server.port() + (properties.isEmpty() ? "" : "?" + String.join("&", properties));
    }

    private RunningServer startServerOn(Path data) throws IOException {
        List<Path> roots = fileRoots != null ? fileRoots : List.of(Path.of(examplePaths(EXAMPLE_FILE_ROOT)));
        return RunningServer.start(data, builder -> {
            builder.fileRoots(roots);
            builder.pgPort(io.weir.server.config.ServerConfig.FREE_PORT);
            if (tls != null) {
                builder.tls(tls[0], tls[1]);
            }
            return builder.adminPassword(adminPassword.map(Secret::new));
        });
    }

    private void restartServer() throws IOException, SQLException {
        assertThat(server).as("a restart needs a running server (not the demo)").isNotNull();
        closeConnection();
        server.close();
        server = startServerOn(dataDir);
        clientUrl = serverUrl();
        connect();
    }

    /** The demo (its broker takes seconds to start) is shared by the pages that start it. */
    private void startDemo() throws SQLException {
        closeServers();
        demo = sharedDemo.get();
        dataDir = null;
        tls = null;
        adminPassword = Optional.empty();
        clientUrl = "jdbc:weir://127.0.0.1:" + demo.server().port();
        connect();
    }

    private int port() {
        return demo != null ? demo.server().port() : server.port();
    }

    private void connect() throws SQLException {
        closeConnection();
        connection = DriverManager.getConnection(clientUrl);
    }

    private EmbeddedKafka broker() {
        return kafka.get();
    }

    /** Block-level replacements, then ${variables}, then the addresses and paths every page uses. */
    String substitute(String text, List<DocPage.Marker> replacements) throws IOException {
        String result = text;
        for (DocPage.Marker replace : replacements) {
            Matcher matcher = REPLACE.matcher(replace.argument());
            assertThat(matcher.matches()).as("replace marker 'TEXT with VALUE': " + replace.argument()).isTrue();
            assertThat(result).as("the text a replace marker names").contains(matcher.group(1));
            result = result.replace(matcher.group(1), matcher.group(2));
        }
        Matcher variables = VARIABLE.matcher(result);
        StringBuilder expanded = new StringBuilder();
        while (variables.find()) {
            variables.appendReplacement(expanded, Matcher.quoteReplacement(variable(variables.group(1), variables.group(2))));
        }
        variables.appendTail(expanded);
        result = expanded.toString().replaceAll(SERVER_ADDRESS, "127.0.0.1:" + port());
        if (server != null && demo == null) {
            result = PG_PORT.matcher(result).replaceAll(String.valueOf(server.pgPort()));
        }
        if (Pattern.compile(KAFKA_ADDRESS).matcher(result).find()) {
            result = result.replaceAll(KAFKA_ADDRESS, broker().bootstrapServers());
        }
        return examplePaths(result);
    }

    /** The example paths {@code /tmp/...} and {@code /data/...} of {@code text} moved into the page's temporary directory. */
    private String examplePaths(String text) {
        return EXAMPLE_PATH.matcher(text).replaceAll(Matcher.quoteReplacement(temp.toString()) + "/$1");
    }

    private String variable(String name, String argument) throws IOException {
        return switch (name) {
            case "postgres.url" -> TestPostgres.get().url();
            case "webhook.url" -> {
                if (webhook == null) {
                    webhook = WebhookReceiver.start();
                }
                yield webhook.url();
            }
            case "kafka" -> broker().bootstrapServers();
            case "kinesis" -> {
                try {
                    yield Kinesalite.shared().endpoint();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot start kinesalite", e);
                }
            }
            case "port" -> {
                Integer port = ports.get(argument);
                if (port == null) {
                    try (ServerSocket socket = new ServerSocket(0)) {
                        port = socket.getLocalPort();
                    }
                    ports.put(argument, port);
                }
                yield String.valueOf(port);
            }
            default -> throw new AssertionError("unknown variable ${" + name + "}");
        };
    }

    private void sql(String text, DocExpectations expectations, String where) throws Exception {
        List<SqlScript.Statement> statements = SqlScript.split(text);
        assertThat(statements).as(where + ": SQL statements").isNotEmpty();
        for (int n : expectations.byStatement().keySet()) {
            assertThat(n).as(where + ": an expectation names statement " + n + " of " + statements.size())
                    .isBetween(1, statements.size());
        }
        for (int i = 0; i < statements.size(); i++) {
            SqlScript.Statement statement = statements.get(i);
            statement(statement, i + 1, expectations, where + " (block line " + statement.line() + ")");
        }
    }

    private void statement(SqlScript.Statement statement, int n, DocExpectations expectations, String where)
            throws Exception {
        List<DocExpectations.Expectation> expected = expectations.of(n);
        DocExpectations.Error error = expected.stream().filter(DocExpectations.Error.class::isInstance)
                .map(DocExpectations.Error.class::cast).findFirst().orElse(null);
        String sql = statement.sql();
        try (Statement jdbc = connection.createStatement()) {
            List<String> columns = List.of();
            List<List<String>> rows = List.of();
            if (statement.continuous()) {
                ResultSet resultSet = jdbc.executeQuery(sql);
                columns = columns(resultSet);
                rows = readContinuous(jdbc, resultSet, expectations, n, where, sql);
            } else if (jdbc.execute(sql)) {
                try (ResultSet resultSet = jdbc.getResultSet()) {
                    columns = columns(resultSet);
                    rows = readAll(resultSet);
                }
            }
            assertThat(error).as(where + ": expected error " + (error == null ? "" : error.sqlState())
                    + ", but the statement succeeded: " + sql).isNull();
            for (DocExpectations.Expectation expectation : expected) {
                if (expectation instanceof DocExpectations.Columns names) {
                    assertThat(columns).as(where + ": columns of " + sql).isEqualTo(names.names());
                }
            }
            assertThat(expectations.metBy(n, rows)).as(where + ": " + expected + " of " + sql + "\ngave " + rows).isTrue();
        } catch (SQLException e) {
            if (error == null) {
                throw new AssertionError(where + ": " + sql + "\nfailed: " + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")", e);
            }
            assertThat(e.getSQLState()).as(where + ": SQLSTATE of " + e.getMessage()).isEqualTo(error.sqlState());
            assertThat(e.getMessage()).as(where + ": message").contains(error.messageContains());
        }
    }

    private static List<String> columns(ResultSet resultSet) throws SQLException {
        ResultSetMetaData metaData = resultSet.getMetaData();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= metaData.getColumnCount(); i++) {
            names.add(metaData.getColumnLabel(i));
        }
        return names;
    }

    private static List<List<String>> readAll(ResultSet resultSet) throws SQLException {
        return ResultRows.readAll(resultSet, resultSet.getMetaData().getColumnCount());
    }

    /**
     * Reads a continuous query on another thread until its expectations are met, it ends, or the time
     * bound passes ({@link #STREAM_GLANCE} with nothing expected, then its first row suffices; else
     * {@link #STREAM_WAIT}); closing the statement then stops it. A failure before the close fails.
     */
    private List<List<String>> readContinuous(Statement jdbc, ResultSet resultSet, DocExpectations expectations, int n,
                                              String where, String sql) throws SQLException, InterruptedException {
        int columns = resultSet.getMetaData().getColumnCount();
        List<List<String>> rows = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<SQLException> failure = new AtomicReference<>();
        AtomicBoolean ended = new AtomicBoolean();
        AtomicBoolean closing = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try {
                while (resultSet.next()) {
                    rows.add(ResultRows.row(resultSet, columns));
                }
                ended.set(true);
            } catch (SQLException e) {
                if (!closing.get()) {
                    failure.set(e);
                }
            }
        }, "docs-reader");
        reader.setDaemon(true);
        reader.start();
        int needed = expectations.rowsNeeded(n);
        long deadline = System.nanoTime() + (needed == 0 ? STREAM_GLANCE : STREAM_WAIT).toNanos();
        while (System.nanoTime() < deadline && failure.get() == null && !ended.get()) {
            List<List<String>> sofar;
            synchronized (rows) {
                sofar = List.copyOf(rows);
            }
            if (needed == 0 ? !sofar.isEmpty() : sofar.size() >= needed && expectations.metBy(n, sofar)) {
                break;
            }
            Thread.sleep(20);
        }
        closing.set(true);
        List<List<String>> delivered;
        synchronized (rows) {
            delivered = List.copyOf(rows);
        }
        jdbc.close();
        reader.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(reader.isAlive()).as(where + ": closing the statement ends the read of " + sql).isFalse();
        if (failure.get() != null) {
            throw failure.get();
        }
        return delivered;
    }

    private void shell(String text, DocExpectations expectations, String where) throws Exception {
        Path output = Files.createTempFile(temp, "shell", ".out");
        Process process = new ProcessBuilder("bash", "-e", "-o", "pipefail", "-c", text)
                .directory(temp.resolve("work").toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        boolean done = process.waitFor(SHELL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            process.destroyForcibly();
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(done).as(where + ": shell block ends within " + SHELL_TIMEOUT + "; printed:\n" + printed).isTrue();
        assertThat(process.exitValue()).as(where + ": exit status of\n" + text + "\nprinted:\n" + printed).isZero();
        checkOutput(printed, expectations, where);
    }

    private void java(String text, DocExpectations expectations, String where) throws Exception {
        String printed = JavaSnippet.run(text, Files.createTempDirectory(temp, "java"));
        checkOutput(printed, expectations, where);
    }

    private static void checkOutput(String printed, DocExpectations expectations, String where) {
        for (DocExpectations.Expectation expectation : expectations.of(1)) {
            assertThat(expectation).as(where + ": shell and Java blocks take 'contains' expectations")
                    .isInstanceOf(DocExpectations.Contains.class);
            assertThat(printed).as(where + ": output").contains(((DocExpectations.Contains) expectation).text());
        }
    }

    private void closeConnection() throws SQLException {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    private void closeServers() throws SQLException {
        closeConnection();
        if (server != null) {
            server.close();
            server = null;
        }
        demo = null;
    }

    @Override
    public void close() throws SQLException {
        try {
            closeServers();
        } finally {
            if (webhook != null) {
                webhook.close();
            }
        }
    }
}

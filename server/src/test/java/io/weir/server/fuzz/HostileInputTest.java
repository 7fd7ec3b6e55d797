package io.weir.server.fuzz;

import io.weir.server.scenario.Scenario;
import org.apache.calcite.avatica.remote.JsonService;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;
import io.weir.server.testing.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input against a real server: statements made by mutating every statement of the scenario
 * scripts ({@link StatementMutator}: tokens dropped, swapped, repeated, huge literals, deep nesting,
 * odd Unicode) sent over JDBC, then random and truncated bodies posted to the Avatica protobuf and JSON
 * endpoints and to {@code /ingest}. Every answer must be a result or an error with an SQLSTATE that is
 * not an internal error (XX000) or a broken connection, or an HTTP 2xx/4xx; no answer may carry a Java
 * stack trace; no statement may run for more than {@value #STATEMENT_SECONDS} s; and afterwards the
 * server serves a normal client.
 *
 * <p>{@code mvn verify} runs {@value #DEFAULT_STATEMENTS} statements and {@value #DEFAULT_BODIES} bodies
 * of seed {@value #DEFAULT_SEED}. A larger run: {@code -Dweir.fuzz.statements=50000 -Dweir.fuzz.bodies=20000
 * -Dweir.fuzz.seed=<any>} (see the README's Development section). Each finding names the seed and the statement's number.
 */
@Timeout(1800)
class HostileInputTest {
    private static final Logger LOG = LoggerFactory.getLogger(HostileInputTest.class);
    static final int DEFAULT_STATEMENTS = 2500;
    static final int DEFAULT_BODIES = 600;
    static final long DEFAULT_SEED = 20261207L;
    private static final int STATEMENT_SECONDS = 30;
    private static final String REMOTE_ERROR = "Remote driver error: ";
    /** A frame of a Java stack trace, or an exception's class name, in text meant for a user. */
    private static final Pattern STACK_TRACE = Pattern.compile(
            "(?m)(^\\s*at [\\w$.]+\\([\\w$.]*(:\\d+)?\\))|\\b(java|javax|org\\.apache|io\\.weir|io\\.netty|com\\.fasterxml)\\.[\\w.$]*(Exception|Error)\\b");
    /** A file connector's or sink's path option, which must stay inside the fuzz run's folder. */
    private static final Pattern PATH_OPTION = Pattern.compile("'path'\\s*=\\s*'([^']*)'");

    @TempDir
    static Path temp;
    private static RunningServer server;
    private static final List<String> corpus = new ArrayList<>();
    private static Path files;

    @BeforeAll
    static void start() throws IOException, URISyntaxException {
        files = temp.resolve("files");
        Files.createDirectories(files);
        Path folder = Path.of(HostileInputTest.class.getResource("/scenarios").toURI());
        try (Stream<Path> scripts = Files.list(folder)) {
            for (Path script : scripts.filter(p -> p.toString().endsWith(".sql")).sorted().toList()) {
                Scenario scenario = Scenario.parse(script);
                Path dir = files.resolve(scenario.name());
                for (Map.Entry<String, String> file : scenario.files().entrySet()) {
                    Path target = dir.resolve(file.getKey());
                    Files.createDirectories(target.getParent());
                    Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
                }
                for (Scenario.Step step : scenario.steps()) {
                    if (step instanceof Scenario.Statement statement) {
                        corpus.add(statement.sql().replace("${dir}", dir.toString()));
                    }
                }
            }
        }
        // short fetch waits: a mutated push query is closed right after its first answer anyway
        server = RunningServer.start(temp.resolve("data"), builder -> builder.maxFetchWait(Duration.ofMillis(200)));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void mutatedStatementsAndGarbageBodiesGetClearErrorsAndTheServerGoesOn() throws Exception {
        long seed = Long.getLong("weir.fuzz.seed", DEFAULT_SEED);
        int statements = Integer.getInteger("weir.fuzz.statements", DEFAULT_STATEMENTS);
        int bodies = Integer.getInteger("weir.fuzz.bodies", DEFAULT_BODIES);
        List<String> findings = new ArrayList<>();
        ExecutorService client = Executors.newSingleThreadExecutor();
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl())) {
            // the scenarios' own statements first, so that mutations meet streams, tables and views that exist
            for (String sql : corpus) {
                run(client, connection, sql, "corpus", findings);
            }
            stopBackgroundQueries(connection);
            Random random = new Random(seed);
            StatementMutator mutator = new StatementMutator(random);
            int skipped = 0;
            for (int i = 0; i < statements; i++) {
                String sql = mutator.mutate(corpus.get(random.nextInt(corpus.size())));
                if (!pathsStayInside(sql)) {
                    skipped++; // a file sink must not write outside the test's folder
                    continue;
                }
                run(client, connection, sql, "seed " + seed + " statement " + i, findings);
                if (i % 100 == 99) {
                    stopBackgroundQueries(connection);
                }
            }
            stopBackgroundQueries(connection);
            LOG.info("Sent {} mutated statements (seed {}), skipped {} with paths outside the test's folder; {} findings",
                    statements - skipped, seed, skipped, findings.size());
        } finally {
            client.shutdownNow();
        }
        new GarbageBodies(server.port(), new Random(seed), findings).send(bodies);

        assertThat(findings).as("findings (seed %d)", seed).isEmpty();
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT 1 + 1 AS two")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(2);
        }
    }

    /** Runs one statement (its first frame only) on the client thread, bounded in time, and records what is wrong with its answer. */
    private static void run(ExecutorService client, Connection connection, String sql, String where, List<String> findings)
            throws Exception {
        Future<Void> answer = client.submit(() -> {
            try (Statement statement = connection.createStatement()) {
                if (statement.execute(sql)) {
                    try (ResultSet rows = statement.getResultSet()) {
                        rows.getMetaData().getColumnCount();
                    }
                }
            } catch (SQLException e) {
                check(e, sql, where, findings);
            } catch (RuntimeException e) {
                findings.add(where + ": unchecked " + e + " for " + shorten(sql));
            }
            return null;
        });
        try {
            answer.get(STATEMENT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new AssertionError(where + ": no answer within " + STATEMENT_SECONDS + " s to " + shorten(sql));
        }
    }

    private static void check(SQLException e, String sql, String where, List<String> findings) {
        String state = e.getSQLState();
        String message = String.valueOf(e.getMessage());
        // Avatica's client repeats the statement before the server's message
        int remote = message.indexOf(REMOTE_ERROR);
        String serverMessage = remote < 0 ? message : message.substring(remote + REMOTE_ERROR.length());
        if (state == null || state.length() != 5 || state.startsWith("XX") || state.startsWith("08") || state.equals("00000")) {
            findings.add(where + ": SQLSTATE " + state + " \"" + shorten(serverMessage) + "\" for " + shorten(sql));
        } else if (STACK_TRACE.matcher(message).find()) {
            findings.add(where + ": a stack trace in \"" + shorten(serverMessage) + "\" for " + shorten(sql));
        }
    }

    private static boolean pathsStayInside(String sql) {
        Matcher path = PATH_OPTION.matcher(sql);
        while (path.find()) {
            if (!path.group(1).startsWith(files.toString() + "/") || path.group(1).contains("..")) {
                return false;
            }
        }
        return !sql.toUpperCase(java.util.Locale.ROOT).contains("'PATH'") || PATH_OPTION.matcher(sql).find();
    }

    /** Stops what mutated statements left running on the server: persistent queries and views. */
    private static void stopBackgroundQueries(Connection connection) throws SQLException {
        List<String> ids = new ArrayList<>();
        List<String> views = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SHOW QUERIES")) {
                while (rows.next()) {
                    if (!"continuous".equalsIgnoreCase(rows.getString("kind"))) {
                        ids.add(rows.getString("query_id"));
                    }
                }
            }
            try (ResultSet rows = statement.executeQuery("SHOW MATERIALIZED VIEWS")) {
                while (rows.next()) {
                    views.add(rows.getString(1));
                }
            }
            for (String view : views) {
                execute(statement, "DROP MATERIALIZED VIEW \"" + view.replace("\"", "\"\"") + "\"");
            }
            for (String id : ids) {
                execute(statement, "STOP QUERY '" + id.replace("'", "''") + "'");
            }
        }
    }

    private static void execute(Statement statement, String sql) {
        try {
            statement.execute(sql);
        } catch (SQLException e) {
            LOG.debug("Clean-up statement failed: {}", e.getMessage());
        }
    }

    static String shorten(String text) {
        String flat = text.replace('\n', ' ');
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "... (" + flat.length() + " chars)";
    }

    /** Random and truncated bodies posted to the Avatica endpoints and to {@code /ingest}. */
    private record GarbageBodies(int port, Random random, List<String> findings) {
        private static final String OPEN_CONNECTION = "{\"request\":\"openConnection\",\"connectionId\":\"fuzz\"}";
        private static final String PREPARE = "{\"request\":\"prepareAndExecute\",\"connectionId\":\"fuzz\",\"statementId\":1,"
                + "\"sql\":\"SELECT 1 AS one\",\"maxRowsInFirstFrame\":-1,\"maxRowCount\":-1}";

        void send(int count) throws IOException, InterruptedException, SQLException {
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE STREAM fuzz_ingest (sensor VARCHAR, temp DOUBLE, ts TIMESTAMP(3)) "
                        + "WITH ('connector' = 'http', 'format' = 'json')");
            }
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (int i = 0; i < count; i++) {
                String path = switch (random.nextInt(4)) {
                    case 0 -> "/";
                    case 1 -> "/json";
                    case 2 -> "/ingest/fuzz_ingest";
                    default -> "/ingest/" + (random.nextBoolean() ? "nosuch" : "fuzz_ingest%00..%2F");
                };
                String type = switch (random.nextInt(5)) {
                    case 0 -> "application/octet-stream";
                    case 1 -> "application/json";
                    case 2 -> "application/x-ndjson";
                    case 3 -> "text/plain; charset=utf-8";
                    default -> "multipart/form-data; boundary=x";
                };
                byte[] body = body();
                HttpResponse<byte[]> response;
                try {
                    response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(STATEMENT_SECONDS)).header("Content-Type", type)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
                } catch (IOException e) {
                    findings.add("body " + i + " to " + path + ": " + e);
                    continue;
                }
                int status = response.statusCode();
                String text = new String(response.body(), StandardCharsets.UTF_8);
                // Avatica answers an error with HTTP 500 and an ErrorResponse (its clients read no other status)
                boolean avaticaError = status == 500 && !path.startsWith("/ingest") && avaticaSqlState(path, response.body()) != null;
                if (!avaticaError && (status >= 500 || status < 200 || status >= 300 && status < 400)) {
                    findings.add("body " + i + " to " + path + " (" + type + ", " + body.length + " bytes): HTTP " + status
                            + " " + shorten(text));
                } else if (avaticaError && avaticaSqlState(path, response.body()).startsWith("XX")) {
                    findings.add("body " + i + " to " + path + ": internal error " + shorten(text));
                } else if (STACK_TRACE.matcher(text).find()) {
                    findings.add("body " + i + " to " + path + ": a stack trace in " + shorten(text));
                }
            }
        }

        /** The SQLSTATE of an Avatica error response, or null when the body is not one. */
        private static String avaticaSqlState(String path, byte[] body) {
            try {
                Service.Response response = path.equals("/json")
                        ? JsonService.MAPPER.readValue(body, Service.Response.class)
                        : new ProtobufTranslationImpl().parseResponse(body);
                return response instanceof Service.ErrorResponse error ? error.sqlState : null;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        private byte[] body() {
            return switch (random.nextInt(6)) {
                case 0 -> {
                    byte[] bytes = new byte[random.nextInt(2048)];
                    random.nextBytes(bytes);
                    yield bytes;
                }
                case 1 -> truncate(OPEN_CONNECTION);
                case 2 -> truncate(PREPARE);
                case 3 -> mutateBytes(PREPARE.getBytes(StandardCharsets.UTF_8));
                case 4 -> ("{\"sensor\":\"" + "\u65e5".repeat(random.nextInt(100)) + "\",\"temp\":" + random.nextGaussian()
                        + ",\"ts\":\"2024-01-01 00:00:0" + random.nextInt(10) + "\"}\n").repeat(1 + random.nextInt(5))
                        .getBytes(StandardCharsets.UTF_8);
                default -> mutateBytes(("{\"sensor\":\"a\",\"temp\":1.5,\"ts\":\"2024-01-01 00:00:00\"}\n"
                        + "{\"sensor\":\"b\",\"temp\":2.5}\n").getBytes(StandardCharsets.UTF_8));
            };
        }

        private byte[] truncate(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
        }

        private byte[] mutateBytes(byte[] bytes) {
            byte[] copy = bytes.clone();
            for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
                copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
            }
            return copy;
        }
    }
}

package io.weir.server.scenario;

import io.weir.server.testing.FunctionJars;
import io.weir.server.testing.ResultRows;
import io.weir.server.testing.RunningServer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
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
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs every SQL scenario in {@code src/test/resources/scenarios} against a real server over JDBC,
 * through Weir's driver, with queries run as one task and as two (the results must be the same). Each
 * scenario gets a fresh server and data directory.
 */
class ScenarioTest {
    /** How long "rows eventually" retries. */
    private static final java.time.Duration EVENTUALLY = java.time.Duration.ofSeconds(20);
    @TempDir
    Path temp;

    @TestFactory
    Stream<DynamicTest> scenarios() throws IOException, URISyntaxException {
        Path folder = Path.of(ScenarioTest.class.getResource("/scenarios").toURI());
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            // -Dweir.scenario=name runs the scenarios whose file name starts with it (while working on one)
            String only = System.getProperty("weir.scenario", "");
            files = list.filter(p -> p.toString().endsWith(".sql") && p.getFileName().toString().startsWith(only)).sorted(Comparator.comparing(Path::toString)).toList();
        }
        assertThat(files).as("scenario files").isNotEmpty();
        return Stream.of(1, 2).flatMap(parallelism -> files.stream().map(file -> DynamicTest.dynamicTest(
                file.getFileName() + " at parallelism " + parallelism, file.toUri(), () -> run(file, parallelism))));
    }

    private void run(Path file, int parallelism) throws Exception {
        Scenario scenario = Scenario.parse(file);
        Path dir = temp.resolve(scenario.name() + "-p" + parallelism);
        Path files = dir.resolve("files");
        Files.createDirectories(files);
        for (Map.Entry<String, String> entry : scenario.files().entrySet()) {
            Path target = files.resolve(entry.getKey());
            Files.createDirectories(target.getParent());
            if (FunctionJars.isJar(entry.getKey())) {
                FunctionJars.build(target, entry.getValue());
                continue;
            }
            Files.writeString(target, entry.getValue(), StandardCharsets.UTF_8);
        }
        Path dataDir = dir.resolve("data");
        RunningServer server = RunningServer.start(dataDir, parallelism);
        Connection connection = connect(server);
        try {
            for (Scenario.Step step : scenario.steps()) {
                if (step instanceof Scenario.Restart) {
                    connection.close();
                    server.close();
                    server = RunningServer.start(dataDir, parallelism);
                    connection = connect(server);
                    continue;
                }
                if (step instanceof Scenario.AddFile add) {
                    Path target = files.resolve(add.name());
                    Files.createDirectories(target.getParent());
                    if (FunctionJars.isJar(add.name())) {
                        FunctionJars.build(target, add.content());
                        continue;
                    }
                    // written aside and renamed, as a producer should, so a watching reader never sees half of it
                    Path partial = target.resolveSibling("." + target.getFileName() + ".tmp");
                    Files.writeString(partial, add.content(), StandardCharsets.UTF_8);
                    Files.move(partial, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    continue;
                }
                if (step instanceof Scenario.DeleteFile delete) {
                    Files.delete(files.resolve(delete.name()));
                    continue;
                }
                Scenario.Statement statement = (Scenario.Statement) step;
                String sql = statement.sql().replace("${dir}", files.toString());
                String where = scenario.name() + ".sql:" + statement.line();
                check(connection, sql, statement.parameters(), withDir(statement.expectation(), files.toString()), where);
            }
        } finally {
            connection.close();
            server.close();
        }
    }

    /** Expected rows may mention ${dir} too (e.g. a file path in DESCRIBE). */
    private static Scenario.Expectation withDir(Scenario.Expectation expectation, String dir) {
        if (expectation instanceof Scenario.Rows rows) {
            List<List<String>> replaced = rows.rows().stream()
                    .map(row -> row.stream().map(cell -> cell.replace("${dir}", dir)).toList())
                    .toList();
            return new Scenario.Rows(rows.header(), replaced, rows.ordered(), rows.within(), rows.eventually());
        }
        return expectation;
    }

    private static Connection connect(RunningServer server) throws SQLException {
        return DriverManager.getConnection("jdbc:weir://127.0.0.1:" + server.port());
    }


    /**
     * The rows a continuous query delivers within {@code within}: a second thread reads while this one
     * waits, then closing the statement stops the query and ends the read. A failure before the
     * deadline fails the step; what the close causes in the reading thread after it does not.
     */
    private static List<List<String>> readFor(Statement statement, ResultSet resultSet, int columns, Duration within,
                                              String where) throws SQLException, InterruptedException {
        List<List<String>> rows = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                while (resultSet.next()) {
                    rows.add(ResultRows.row(resultSet, columns));
                }
            } catch (SQLException | RuntimeException e) {
                failure.set(e);
            }
        }, "scenario-reader");
        reader.setDaemon(true);
        reader.start();
        reader.join(within.toMillis());
        boolean endedByItself = !reader.isAlive();
        List<List<String>> delivered;
        synchronized (rows) {
            delivered = List.copyOf(rows);
        }
        statement.close();
        reader.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(reader.isAlive()).as(where + ": closing the statement ends the read").isFalse();
        if (endedByItself && failure.get() instanceof SQLException e) {
            throw e;
        }
        if (endedByItself && failure.get() instanceof RuntimeException e) {
            throw e;
        }
        return delivered;
    }

    /**
     * {@code actual} with the cells an expected row leaves open ({@code *}, for values such as generated
     * query ids) replaced by {@code *}: the expected row at the same place, or (unordered) the first
     * expected row the actual one matches.
     */
    static List<List<String>> withWildcards(List<List<String>> actual, List<List<String>> expected, boolean ordered) {
        List<List<String>> result = new ArrayList<>();
        List<List<String>> unmatched = new ArrayList<>(expected);
        for (int i = 0; i < actual.size(); i++) {
            List<String> row = actual.get(i);
            List<String> pattern = null;
            if (ordered) {
                pattern = i < expected.size() ? expected.get(i) : null;
            } else {
                for (List<String> candidate : unmatched) {
                    if (matches(candidate, row)) {
                        pattern = candidate;
                        unmatched.remove(candidate);
                        break;
                    }
                }
            }
            if (pattern == null || pattern.size() != row.size()) {
                result.add(row);
                continue;
            }
            List<String> replaced = new ArrayList<>(row);
            for (int column = 0; column < row.size(); column++) {
                if (pattern.get(column).equals("*")) {
                    replaced.set(column, "*");
                }
            }
            result.add(replaced);
        }
        return result;
    }

    private static boolean matches(List<String> pattern, List<String> row) {
        if (pattern.size() != row.size()) {
            return false;
        }
        for (int column = 0; column < row.size(); column++) {
            if (!pattern.get(column).equals("*") && !pattern.get(column).equals(row.get(column))) {
                return false;
            }
        }
        return true;
    }

    private static void check(Connection connection, String sql, List<String> parameters, Scenario.Expectation expectation,
                              String where) throws InterruptedException {
        if (expectation instanceof Scenario.Rows rows && rows.eventually()) {
            long deadline = System.nanoTime() + EVENTUALLY.toNanos();
            while (true) {
                try {
                    checkOnce(connection, sql, parameters, expectation, where);
                    return;
                } catch (AssertionError e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(50);
                }
            }
        }
        checkOnce(connection, sql, parameters, expectation, where);
    }

    private static void checkOnce(Connection connection, String sql, List<String> parameters, Scenario.Expectation expectation,
                                  String where) throws InterruptedException {
        try (Statement statement = parameters == null ? connection.createStatement() : connection.prepareStatement(sql)) {
            boolean hasRows;
            if (statement instanceof java.sql.PreparedStatement prepared) {
                for (int i = 0; i < parameters.size(); i++) {
                    if (parameters.get(i) == null) {
                        prepared.setNull(i + 1, prepared.getParameterMetaData().getParameterType(i + 1));
                    } else {
                        prepared.setString(i + 1, parameters.get(i));
                    }
                }
                hasRows = prepared.execute();
            } else {
                hasRows = statement.execute(sql);
            }
            if (expectation instanceof Scenario.Error error) {
                if (hasRows) { // a query may fail as its rows are read (a continuous query's failure reaches its client so)
                    try (ResultSet resultSet = statement.getResultSet()) {
                        ResultRows.readAll(resultSet, resultSet.getMetaData().getColumnCount());
                    }
                }
                fail(where + ": expected error " + error.sqlState() + " but the statement succeeded: " + sql);
            }
            if (expectation instanceof Scenario.Ok) {
                if (hasRows) {
                    statement.getResultSet().close();
                }
                return;
            }
            Scenario.Rows rows = (Scenario.Rows) expectation;
            assertThat(hasRows).as(where + ": returns rows").isTrue();
            try (ResultSet resultSet = statement.getResultSet()) {
                ResultSetMetaData metaData = resultSet.getMetaData();
                List<String> header = new ArrayList<>();
                for (int i = 1; i <= metaData.getColumnCount(); i++) {
                    header.add(metaData.getColumnLabel(i));
                }
                assertThat(header).as(where + ": columns").isEqualTo(rows.header());
                List<List<String>> actual = rows.within().isPresent()
                        ? readFor(statement, resultSet, header.size(), rows.within().get(), where)
                        : ResultRows.readAll(resultSet, header.size());
                actual = withWildcards(actual, rows.rows(), rows.ordered());
                if (rows.ordered()) {
                    assertThat(actual).as(where + ": rows of " + sql).isEqualTo(rows.rows());
                } else {
                    assertThat(actual).as(where + ": rows of " + sql).containsExactlyInAnyOrderElementsOf(rows.rows());
                }
            }
        } catch (SQLException e) {
            if (expectation instanceof Scenario.Error error) {
                assertThat(e.getSQLState()).as(where + ": SQLSTATE of " + e.getMessage()).isEqualTo(error.sqlState());
                assertThat(e.getMessage()).as(where + ": message").contains(error.messageContains());
                return;
            }
            throw new AssertionError(where + ": " + sql + " failed: " + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }
}

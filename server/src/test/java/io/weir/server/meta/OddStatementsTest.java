package io.weir.server.meta;

import io.weir.server.testing.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Empty statements, and statements past what the server plans (numbers too large, nesting hundreds deep,
 * thousands of terms),
 * get a clear error of class 42, 22 or 54 over a real JDBC connection, never an internal error, and the
 * server goes on serving.
 */
@Timeout(120)
class OddStatementsTest {
    @TempDir
    static Path dataDir;
    private static RunningServer server;

    @BeforeAll
    static void start() throws IOException {
        server = RunningServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> statements() {
        return Stream.of(
                Arguments.of("", "42000", "Expected a statement"),
                Arguments.of("  ;  ", "42000", "Expected a statement"),
                Arguments.of("-- only a comment", "42000", "Expected a statement"),
                Arguments.of("SELECT 1 AS a LIMIT 99999999999999999999", "22003", "out of range"),
                Arguments.of("SELECT 99999999999999999999 AS big", "42000", "out of range"),
                // found by HostileInputTest
                Arguments.of("SELECT 1 AS a LIMIT 1e999", "42000", "LIMIT takes a whole number of rows"),
                Arguments.of("SELECT 1 AS a LIMIT 1.5", "42000", "LIMIT takes a whole number of rows"),
                Arguments.of("SELECT 1 AS a OFFSET 2e3 ROWS", "42000", "OFFSET takes a whole number of rows"),
                Arguments.of("SELECT window_start FROM TABLE(TUMBLE(TABLE nosuch, DESCRIPTOR(), INTERVAL '1' SECOND))", "42000",
                        "DESCRIPTOR() names the time column"),
                Arguments.of("SELECT CAST('maybe' AS BOOLEAN) AS b", "22018", "Invalid character for cast"),
                Arguments.of("SELECT x FROM (VALUES ('1'), ('maybe')) AS t (x) WHERE CAST(x AS BOOLEAN)", "22018",
                        "Invalid character for cast"),
                Arguments.of("SELECT CAST('abc' AS INTEGER) AS i", "22018", "Cannot cast text to a number"),
                Arguments.of("SELECT x FROM (VALUES ('1'), ('abc')) AS t (x) WHERE CAST(x AS INTEGER) > 0", "22018",
                        "Cannot cast text to a number"),
                Arguments.of("SELECT " + "NOT ".repeat(1000) + "TRUE AS b", "54000", "nested too deeply"),
                Arguments.of("SELECT " + "(SELECT ".repeat(500) + "1" + ")".repeat(500) + " AS d", "54000", "nested too deeply"),
                Arguments.of("SELECT x FROM (VALUES (1), (2)) AS t (x) WHERE "
                        + IntStream.range(0, 1000).mapToObj(i -> "x = " + i).collect(Collectors.joining(" OR ")), "54000", null),
                Arguments.of("SELECT " + IntStream.range(0, 10_000).mapToObj(i -> "0 AS c" + i).collect(Collectors.joining(", ")),
                        "54000", "at most 1664 columns"),
                Arguments.of("SELECT " + "1+".repeat(50_000) + "1 AS s", "54000", null),
                Arguments.of("SELECT " + IntStream.range(0, 12_000).mapToObj(i -> "ABS(" + i + ")").collect(Collectors.joining(", ", "COALESCE(", ")"))
                        + " AS g", "54000", "more than 20000 terms"),
                Arguments.of("SELECT x FROM (VALUES (1), (2)) AS t (x) WHERE x IN ("
                        + IntStream.range(0, 10_000).mapToObj(Integer::toString).collect(Collectors.joining(",")) + ")", "54000", null));
    }

    @ParameterizedTest
    @MethodSource("statements")
    void anOddStatementIsAClearErrorAndTheServerGoesOn(String sql, String sqlState, String message) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            SQLException error = catchThrowableOfType(SQLException.class, () -> statement.executeQuery(sql).close());

            assertThat((Object) error).as(sql.substring(0, Math.min(80, sql.length()))).isNotNull();
            assertThat(error.getSQLState()).as(error.getMessage()).isEqualTo(sqlState);
            if (message != null) {
                assertThat(error.getMessage()).contains(message);
            }
            try (ResultSet rows = statement.executeQuery("SELECT 1 + 1 AS two")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(2);
            }
        }
    }
}

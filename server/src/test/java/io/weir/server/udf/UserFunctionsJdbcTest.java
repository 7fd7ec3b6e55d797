package io.weir.server.udf;

import io.weir.server.config.Secret;
import io.weir.server.testing.FunctionJars;
import io.weir.server.testing.RunningServer;
import io.weir.spi.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * User-defined functions over real JDBC connections to a running server, with a real jar compiled in the
 * test: JDBC {@code DatabaseMetaData.getFunctions} (Weir's driver reads {@code sys.functions}), the CREATE privilege CREATE FUNCTION needs, and that a
 * function that throws fails only its own query while another client's continuous query goes on.
 */
@Timeout(120)
class UserFunctionsJdbcTest {
    private static final String TWICE = """
            package acme;

            public class Twice {
                public long eval(long x) {
                    return 2 * x;
                }

                public String eval(String s) {
                    return s + s;
                }
            }
            """;
    private static final String BOOM = """
            package acme;

            public class Boom {
                public static long eval(long x) {
                    throw new IllegalArgumentException("no " + x);
                }
            }
            """;

    @TempDir
    Path temp;
    private RunningServer server;
    private final List<Connection> connections = new ArrayList<>();

    @AfterEach
    void stop() throws SQLException {
        for (Connection connection : connections) {
            connection.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private Connection connect(Properties properties) throws SQLException {
        Connection connection = DriverManager.getConnection(server.jdbcUrl(), properties);
        connections.add(connection);
        return connection;
    }

    private Path jar(String name, String source) throws Exception {
        Path files = Files.createDirectories(temp.resolve("files"));
        return FunctionJars.build(files.resolve(name), source);
    }

    private static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static List<String> rows(ResultSet rows, String... columns) throws SQLException {
        List<String> result = new ArrayList<>();
        try (rows) {
            while (rows.next()) {
                List<String> row = new ArrayList<>();
                for (String column : columns) {
                    row.add(rows.getString(column));
                }
                result.add(String.join(" | ", row));
            }
        }
        return result;
    }

    @Test
    void getFunctionsListsBuiltInAndUserDefinedFunctions() throws Exception {
        server = RunningServer.start(temp.resolve("data"));
        Connection connection = connect(new Properties());
        execute(connection, "CREATE FUNCTION twice AS 'acme.Twice' USING JAR 'file:" + jar("twice.jar", TWICE) + "'");

        assertThat(rows(connection.getMetaData().getFunctions(null, null, "TWI%"),
                "FUNCTION_SCHEM", "FUNCTION_NAME", "FUNCTION_TYPE", "SPECIFIC_NAME"))
                .containsExactly("weir | twice | 1 | twice(BIGINT) -> BIGINT", "weir | twice | 1 | twice(VARCHAR) -> VARCHAR");
        assertThat(rows(connection.getMetaData().getFunctions(null, null, "UPPER"), "FUNCTION_SCHEM", "FUNCTION_NAME",
                "REMARKS")).containsExactly("null | UPPER | built-in");
        assertThat(rows(connection.getMetaData().getFunctions(null, "weir", "%"), "FUNCTION_NAME")).containsExactly("twice", "twice");
        assertThat(rows(connection.getMetaData().getFunctions(null, null, "%"), "FUNCTION_NAME"))
                .contains("ABS", "PROCTIME", "twice").hasSizeGreaterThan(100);
    }

    @Test
    void createAndDropFunctionNeedTheCreatePrivilege() throws Exception {
        server = RunningServer.start(temp.resolve("data"), builder -> builder.adminPassword(Optional.of(new Secret("adm1n-secret"))));
        Properties adminLogin = new Properties();
        adminLogin.setProperty("user", "admin");
        adminLogin.setProperty("password", "adm1n-secret");
        Connection admin = connect(adminLogin);
        execute(admin, "CREATE USER bob WITH PASSWORD 'b0b-secret'");
        Properties bobLogin = new Properties();
        bobLogin.setProperty("user", "bob");
        bobLogin.setProperty("password", "b0b-secret");
        Connection bob = connect(bobLogin);
        String create = "CREATE FUNCTION twice AS 'acme.Twice' USING JAR 'file:" + jar("twice.jar", TWICE) + "'";

        SQLException denied = catchThrowableOfType(SQLException.class, () -> execute(bob, create));
        assertThat(denied.getSQLState()).isEqualTo("42501");
        assertThat(denied.getMessage()).contains("user 'bob' lacks CREATE; an admin can run GRANT CREATE TO bob");

        execute(admin, "GRANT CREATE TO bob");
        execute(bob, create);
        try (Statement statement = bob.createStatement(); ResultSet result = statement.executeQuery(
                "SELECT twice(4) AS eight FROM (VALUES (1)) AS t(x)")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getLong(1)).isEqualTo(8);
        }
        execute(admin, "REVOKE CREATE FROM bob");
        SQLException dropDenied = catchThrowableOfType(SQLException.class, () -> execute(bob, "DROP FUNCTION twice"));
        assertThat(dropDenied.getSQLState()).isEqualTo("42501");
        execute(admin, "DROP FUNCTION twice");
    }

    @Test
    void aFunctionThatThrowsFailsItsQueryOnly() throws Exception {
        server = RunningServer.start(temp.resolve("data"));
        Connection pushing = connect(new Properties());
        Connection failing = connect(new Properties());
        execute(pushing, "CREATE STREAM ticks (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '200')",
                "CREATE FUNCTION boom AS 'acme.Boom' USING JAR 'file:" + jar("boom.jar", BOOM) + "'");
        try (Statement push = pushing.createStatement(); ResultSet ticks = push.executeQuery("SELECT STREAM id FROM ticks")) {
            assertThat(ticks.next()).isTrue();

            SQLException failed = catchThrowableOfType(SQLException.class, () -> {
                try (Statement statement = failing.createStatement(); ResultSet result = statement.executeQuery(
                        "SELECT STREAM id, boom(id) AS b FROM ticks")) {
                    while (result.next()) {
                        // the first row's call fails the query
                    }
                }
            });
            assertThat(failed.getSQLState()).isEqualTo("38000");
            assertThat(failed.getErrorCode()).isEqualTo(ErrorCode.FUNCTION_FAILED.vendorCode());
            assertThat(failed.getMessage()).contains("Function boom(BIGINT) -> BIGINT failed on the row with arguments (",
                    "java.lang.IllegalArgumentException: no ");

            for (int i = 0; i < 50; i++) {
                assertThat(ticks.next()).isTrue(); // the other client's query goes on
            }
            try (Statement statement = failing.createStatement(); ResultSet one = statement.executeQuery(
                    "SELECT COUNT(*) FROM (VALUES (1)) AS t(x)")) {
                assertThat(one.next()).isTrue(); // and the failed query's session too
            }
        }
    }
}

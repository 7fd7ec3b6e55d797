package io.weir.server.jdbc;

import io.weir.server.config.ServerConfig;
import io.weir.server.testing.RunningServer;
import io.weir.spi.ErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Parameters ({@code ?}) in DDL option values, prepared and executed over a real server with Weir's JDBC
 * driver, the stock Avatica driver (protobuf and JSON) and the PostgreSQL driver: the value is bound as the
 * option's text, and the stored DDL holds it.
 */
@Timeout(120)
class DdlParametersTest {
    @TempDir
    static Path temp;
    private static RunningServer server;

    @BeforeAll
    static void start() throws Exception {
        server = RunningServer.start(temp.resolve("data"), builder -> builder.pgPort(ServerConfig.FREE_PORT).parallelism(1));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static List<String> urls() {
        return List.of(server.jdbcUrl(),
                "jdbc:avatica:remote:url=http://127.0.0.1:" + server.port() + ";serialization=PROTOBUF",
                "jdbc:avatica:remote:url=http://127.0.0.1:" + server.port() + "/json;serialization=JSON",
                server.pgUrl());
    }

    private static Connection connect(String url) throws SQLException {
        return url.startsWith("jdbc:postgresql") ? DriverManager.getConnection(url, "tester", "") : DriverManager.getConnection(url);
    }

    @Test
    void optionValuesAreBoundAsText() throws Exception {
        int n = 0;
        for (String url : urls()) {
            n++;
            Path file = temp.resolve("people-" + n + ".json");
            Files.writeString(file, "{\"name\": \"ann\", \"age\": 31}\n{\"name\": \"bob\", \"age\": 42}\n");
            String stream = "people_" + n;
            try (Connection connection = connect(url)) {
                try (PreparedStatement create = connection.prepareStatement("CREATE STREAM " + stream
                        + " (name VARCHAR, age INT) WITH ('connector' = ?, 'path' = ?, 'format' = 'json', 'json.fail-on-missing-field' = ?)")) {
                    assertThat(create.getParameterMetaData().getParameterCount()).as(url).isEqualTo(3);
                    create.setString(1, "file");
                    create.setString(2, file.toString());
                    create.setBoolean(3, false); // any scalar is taken as its text
                    create.execute();
                }
                try (Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT name, age FROM " + stream + " ORDER BY name")) {
                    List<String> read = new ArrayList<>();
                    while (rows.next()) {
                        read.add(rows.getString(1) + " " + rows.getInt(2));
                    }
                    assertThat(read).as(url).containsExactly("ann 31", "bob 42");
                }
                String ddl = server.context().catalog().get(stream).orElseThrow().ddl();
                assertThat(ddl).as(url).contains("'path' = '" + file + "'").containsIgnoringCase("'json.fail-on-missing-field' = 'false'");
            }
        }
    }

    @Test
    void aQuoteInAValueStaysText() throws Exception {
        for (String url : urls()) {
            String stream = "quoted_" + Math.abs(url.hashCode());
            try (Connection connection = connect(url);
                 PreparedStatement create = connection.prepareStatement("CREATE STREAM " + stream
                         + " (n BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = ?)")) {
                create.setString(1, "1', 'evil' = 'x");
                assertThatThrownBy(create::execute).as(url).isInstanceOf(SQLException.class)
                        .hasMessageContaining("Invalid value '1', 'evil' = 'x' for option 'rows-per-second'");
                assertThat(server.context().catalog().get(stream)).as(url).isEmpty();
            }
        }
    }

    @Test
    void wrongCountsTypesAndNullsAreTheParameterErrors() throws Exception {
        for (String url : urls()) {
            try (Connection connection = connect(url);
                 PreparedStatement create = connection.prepareStatement(
                         "CREATE STREAM never (n BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = ?)")) {
                create.setNull(1, java.sql.Types.VARCHAR);
                assertThatThrownBy(create::execute).as(url).isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("22023");
                    assertThat(e.getMessage()).contains("cannot be NULL");
                });
                if (!url.startsWith("jdbc:postgresql")) {
                    // the PostgreSQL driver sends bytes as bytea text
                    create.setBytes(1, new byte[] {1, 2});
                    assertThatThrownBy(create::execute).as(url).isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getSQLState()).isEqualTo("07006"));
                }
            }
            if (!url.startsWith("jdbc:postgresql")) {
                try (Connection connection = connect(url); Statement statement = connection.createStatement()) {
                    assertThatThrownBy(() -> statement.execute(
                            "CREATE STREAM never (n BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = ?)"))
                            .as(url).isInstanceOfSatisfying(SQLException.class, e -> {
                                assertThat(e.getSQLState()).isEqualTo("07001");
                                assertThat(e.getErrorCode()).isEqualTo(ErrorCode.PARAMETER_COUNT_MISMATCH.vendorCode());
                            });
                }
            }
            assertThat(server.context().catalog().get("never")).as(url).isEmpty();
        }
    }

    @Test
    void aMaterializedViewTakesParametersInItsOptionsAndItsQuery() throws Exception {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl())) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE STREAM ticks_v (n BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '50')");
            }
            try (PreparedStatement create = connection.prepareStatement(
                    "CREATE MATERIALIZED VIEW big_ticks WITH ('retention' = ?) AS SELECT n FROM ticks_v WHERE n >= ?")) {
                create.setString(1, "1 h");
                create.setLong(2, 0);
                create.execute();
            }
            assertThat(server.context().catalog().get("big_ticks").orElseThrow().options())
                    .containsEntry("retention", "1 h");
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP MATERIALIZED VIEW big_ticks");
            }
        }
    }
}

package io.weir.server.jdbc;

import io.weir.server.testing.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Prepared statements with {@code ?} parameters through Weir's JDBC driver (the Avatica protocol). */
class PreparedStatementParametersTest {
    @TempDir
    static Path temp;
    private static RunningServer server;

    @BeforeAll
    static void start() throws Exception {
        server = RunningServer.start(temp.resolve("data"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void parametersAreBoundWithTheirInferredTypes() throws Exception {
        String sql = "SELECT x, y FROM (VALUES (1, 'one'), (2, 'two'), (3, 'three')) AS t(x, y) WHERE x >= ? AND y <> ?";
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             PreparedStatement statement = connection.prepareStatement(sql)) {
            assertThat(statement.getParameterMetaData().getParameterType(1)).isEqualTo(Types.INTEGER);
            for (int run = 0; run < 3; run++) {
                statement.setInt(1, 2);
                statement.setString(2, "three");
                try (ResultSet rows = statement.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getInt(1)).isEqualTo(2);
                    assertThat(rows.next()).isFalse();
                }
            }
        }
    }

    @Test
    void aValueThatIsNotOfTheParametersTypeIsAnError() throws Exception {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             PreparedStatement statement = connection.prepareStatement("SELECT x FROM (VALUES (1)) AS t(x) WHERE x = ?")) {
            statement.setString(1, "one");
            SQLException wrong = catchThrowableOfType(statement::executeQuery, SQLException.class);
            assertThat(wrong.getSQLState()).isEqualTo("22018");
            statement.setString(1, "1");
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).isTrue();
            }
        }
    }
}

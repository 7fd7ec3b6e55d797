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
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Period;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Interval results and parameters over the Avatica protocol, through Weir's driver and the stock Avatica
 * driver: columns of type OTHER named INTERVAL_DAY_TO_SECOND / INTERVAL_YEAR_TO_MONTH, read as Calcite's own
 * driver reads them (getString {@code +1 02:00:00.000}, getLong milliseconds, getInt months).
 */
class JdbcIntervalTest {
    private static final String QUERY = "SELECT INTERVAL '90' MINUTE AS m, TIMESTAMP '2024-01-02 12:00:00.25'"
            + " - TIMESTAMP '2024-01-01 10:00:00' AS d, -INTERVAL '5' SECOND AS neg, INTERVAL '1-2' YEAR TO MONTH AS ym,"
            + " CAST(NULL AS TIMESTAMP) - TIMESTAMP '2024-01-01 00:00:00' AS n";

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

    private static List<String> urls() {
        return List.of(server.jdbcUrl(), "jdbc:avatica:remote:url=http://127.0.0.1:" + server.port() + ";serialization=PROTOBUF");
    }

    @Test
    void intervalResultsAsCalcitesDriverReadsThem() throws Exception {
        for (String url : urls()) {
            try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(QUERY)) {
                ResultSetMetaData metadata = rows.getMetaData();
                assertThat(metadata.getColumnType(1)).as(url).isEqualTo(Types.OTHER);
                assertThat(metadata.getColumnTypeName(1)).as(url).isEqualTo("INTERVAL_DAY_TO_SECOND");
                assertThat(metadata.getColumnTypeName(4)).as(url).isEqualTo("INTERVAL_YEAR_TO_MONTH");
                assertThat(metadata.getColumnClassName(1)).as(url).isEqualTo(Long.class.getName());
                assertThat(rows.next()).isTrue();
                assertThat(List.of(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4))).as(url)
                        .containsExactly("+0 01:30:00.000", "+1 02:00:00.250", "-0 00:00:05.000", "+1-02");
                assertThat(rows.getLong(1)).isEqualTo(5_400_000L);
                assertThat(rows.getObject(2)).isEqualTo(93_600_250L);
                assertThat(rows.getInt(4)).isEqualTo(14);
                assertThat(rows.getString(5)).isNull();
                assertThat(rows.getObject(5)).isNull();
            }
        }
    }

    @Test
    void intervalParametersAsTextNumbersOrJavaTime() throws Exception {
        String sql = "SELECT TIMESTAMP '2024-01-01 10:00:00' - CAST(? AS INTERVAL DAY TO SECOND) AS t,"
                + " id FROM (VALUES (1, INTERVAL '30' SECOND), (2, INTERVAL '2' HOUR)) AS v (id, d) WHERE d < ?";
        for (String url : urls()) {
            try (Connection connection = DriverManager.getConnection(url); PreparedStatement statement = connection.prepareStatement(sql)) {
                assertThat(statement.getParameterMetaData().getParameterType(1)).isEqualTo(Types.OTHER);
                statement.setString(1, "PT1H30M0.5S");
                statement.setString(2, "1 hour");
                assertThat(rows(statement)).as(url).containsExactly("2024-01-01 08:29:59.5 1");
                statement.setLong(1, 60_000L); // milliseconds
                statement.setString(2, "P1D");
                assertThat(rows(statement)).as(url).containsExactly("2024-01-01 09:59:00.0 1", "2024-01-01 09:59:00.0 2");
                statement.setString(1, "5 minutez");
                SQLException bad = catchThrowableOfType(() -> rows(statement), SQLException.class);
                assertThat(bad.getSQLState()).isEqualTo("22018");
                assertThat(bad.getMessage()).contains("invalid interval '5 minutez'");
            }
        }
        // Weir's driver takes java.time values for them
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             PreparedStatement statement = connection.prepareStatement(sql + " AND ? < INTERVAL '2' YEAR")) {
            statement.setObject(1, Duration.ofMinutes(90));
            statement.setObject(2, Duration.ofHours(3), Types.OTHER);
            statement.setObject(3, Period.ofMonths(14));
            assertThat(rows(statement)).containsExactly("2024-01-01 08:30:00.0 1", "2024-01-01 08:30:00.0 2");
        }
    }

    private static List<String> rows(PreparedStatement statement) throws SQLException {
        List<String> rows = new java.util.ArrayList<>();
        try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                rows.add(result.getTimestamp(1) + " " + result.getInt(2));
            }
        }
        return rows;
    }
}

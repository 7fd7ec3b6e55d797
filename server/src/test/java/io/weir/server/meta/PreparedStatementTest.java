package io.weir.server.meta;

import io.weir.spi.ErrorCode;
import io.weir.spi.connector.memory.InMemoryData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Prepared statements with {@code ?} parameters through a real server, with Weir's driver and the
 * stock Avatica driver (protobuf and JSON): types inferred when prepared, values bound when executed,
 * for plain queries, continuous queries, INSERT INTO and views.
 */
@Timeout(120)
class PreparedStatementTest {
    private static final long T0 = Timestamp.valueOf("2026-01-01 00:00:00").toLocalDateTime()
            .toInstant(java.time.ZoneOffset.UTC).toEpochMilli();

    @TempDir
    Path dataDir;
    private EngineServer server;
    private String data;

    @BeforeEach
    void start() throws IOException, SQLException {
        server = EngineServer.start(dataDir, "20 ms");
        data = "ps_orders_" + System.nanoTime();
        InMemoryData.register(data, List.of(
                new Object[] {1L, "ann", new BigDecimal("5.00"), T0 + 1_000, true},
                new Object[] {2L, "bob", new BigDecimal("7.50"), T0 + 2_000, false},
                new Object[] {3L, "ann", new BigDecimal("12.25"), T0 + 11_000, true},
                new Object[] {4L, "cid", null, T0 + 12_000, null}), true);
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM orders (id BIGINT, customer VARCHAR(10), amount DECIMAL(10, 2), ts TIMESTAMP(3),"
                    + " paid BOOLEAN) WITH ('connector' = 'memory', 'data' = '" + data + "')");
        }
    }

    @AfterEach
    void stop() {
        server.close();
        InMemoryData.unregister(data);
    }

    private List<String> urls() {
        return List.of(server.jdbcUrl(),
                "jdbc:avatica:remote:url=http://127.0.0.1:" + server.port() + ";serialization=PROTOBUF",
                "jdbc:avatica:remote:url=http://127.0.0.1:" + server.port() + "/json;serialization=JSON");
    }

    private static List<Long> ids(PreparedStatement statement) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        }
        return ids;
    }

    @Test
    void plainQueryReportsInferredTypesAndRunsAgainWithNewValues() throws Exception {
        for (String url : urls()) {
            try (Connection connection = DriverManager.getConnection(url);
                 PreparedStatement statement = connection.prepareStatement(
                         "SELECT id FROM orders WHERE customer = ? AND amount > ? AND ts >= ? AND paid = ? ORDER BY id")) {
                ParameterMetaData parameters = statement.getParameterMetaData();
                assertThat(parameters.getParameterCount()).as(url).isEqualTo(4);
                assertThat(parameters.getParameterType(1)).isEqualTo(Types.VARCHAR);
                assertThat(parameters.getParameterType(2)).isEqualTo(Types.DECIMAL);
                assertThat(parameters.getPrecision(2)).isEqualTo(10);
                assertThat(parameters.getScale(2)).isEqualTo(2);
                assertThat(parameters.getParameterType(3)).isEqualTo(Types.TIMESTAMP);
                assertThat(parameters.getParameterType(4)).isEqualTo(Types.BOOLEAN);
                assertThat(parameters.getParameterClassName(2)).isEqualTo(BigDecimal.class.getName());
                assertThat(statement.getMetaData().getColumnType(1)).isEqualTo(Types.BIGINT);

                statement.setString(1, "ann");
                statement.setBigDecimal(2, new BigDecimal("1"));
                statement.setTimestamp(3, Timestamp.valueOf("2026-01-01 00:00:00"));
                statement.setBoolean(4, true);
                assertThat(ids(statement)).as(url).containsExactly(1L, 3L);

                // again with other values: the same prepared statement, its plan kept
                statement.setBigDecimal(2, new BigDecimal("5.001"));
                assertThat(ids(statement)).as(url).containsExactly(3L);
                statement.setString(1, "bob");
                statement.setInt(2, 0);
                statement.setTimestamp(3, Timestamp.valueOf("2026-01-01 00:00:02"));
                statement.setBoolean(4, false);
                assertThat(ids(statement)).as(url).containsExactly(2L);
                // NULL never compares equal
                statement.setNull(1, Types.VARCHAR);
                assertThat(ids(statement)).as(url).isEmpty();
            }
        }
    }

    @Test
    void limitAndTextValuesOfOtherTypes() throws Exception {
        try (Connection connection = server.connect();
             PreparedStatement statement = connection.prepareStatement("SELECT id FROM orders WHERE id > ? ORDER BY id LIMIT ?")) {
            statement.setString(1, "1"); // text read as the parameter's type
            statement.setInt(2, 2);
            assertThat(ids(statement)).containsExactly(2L, 3L);
            statement.setLong(1, 0);
            statement.setInt(2, 1);
            assertThat(ids(statement)).containsExactly(1L);
        }
    }

    @Test
    void wrongValuesAndMissingValuesAreClearErrors() throws Exception {
        for (String url : urls()) {
            try (Connection connection = DriverManager.getConnection(url);
                 PreparedStatement statement = connection.prepareStatement("SELECT id FROM orders WHERE id = ?")) {
                statement.setString(1, "one");
                assertThatThrownBy(statement::executeQuery).isInstanceOf(SQLException.class)
                        .hasMessageContaining("Parameter 1 (BIGINT): cannot parse 'one' as BIGINT")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("22018"));
                statement.setBoolean(1, true);
                assertThatThrownBy(statement::executeQuery).isInstanceOf(SQLException.class)
                        .hasMessageContaining("Parameter 1 (BIGINT): cannot convert a Boolean")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("07006"));
                statement.setLong(1, 3);
                assertThat(ids(statement)).containsExactly(3L);
            }
            try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.executeQuery("SELECT id FROM orders WHERE id = ?"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("has 1 parameter (?) but no values were given")
                        .satisfies(e -> {
                            assertThat(((SQLException) e).getSQLState()).isEqualTo("07001");
                            assertThat(((SQLException) e).getErrorCode()).isEqualTo(ErrorCode.PARAMETER_COUNT_MISMATCH.vendorCode());
                        });
            }
        }
        try (Connection connection = server.connect()) {
            assertThatThrownBy(() -> connection.prepareStatement("SELECT ? FROM orders"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42000"));
        }
    }

    @Test
    void continuousQueryTakesParametersEachExecutionItsOwn() throws Exception {
        String events = data + "_events";
        InMemoryData.register(events, List.of(new Object[] {1L, "ann"}, new Object[] {2L, "bob"}, new Object[] {3L, "ann"},
                new Object[] {4L, "bob"}), false);
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM events (id BIGINT, who VARCHAR) WITH ('connector' = 'memory', 'data' = '" + events + "')");
        }
        for (String url : urls()) {
            try (Connection connection = DriverManager.getConnection(url);
                 PreparedStatement statement = connection.prepareStatement(
                         "SELECT STREAM id, UPPER(who) AS who FROM events WHERE who = ? AND id >= ? LIMIT 2")) {
                assertThat(statement.getParameterMetaData().getParameterCount()).isEqualTo(2);
                assertThat(statement.getParameterMetaData().getParameterType(2)).isEqualTo(Types.BIGINT);
                assertThat(statement.getMetaData().getColumnName(2)).isEqualToIgnoringCase("who");
                statement.setString(1, "ann");
                statement.setLong(2, 0);
                assertThat(ids(statement)).as(url).containsExactly(1L, 3L);
                // (the stock driver hands out a row once the next one exists: two rows each time)
                statement.setString(1, "bob");
                statement.setLong(2, 0);
                try (ResultSet rows = statement.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getLong(1)).isEqualTo(2L);
                    assertThat(rows.getString(2)).isEqualTo("BOB");
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getLong(1)).isEqualTo(4L);
                    assertThat(rows.next()).isFalse();
                }
            }
        }
        InMemoryData.unregister(events);
    }

    @Test
    void insertIntoKeepsItsBoundValuesAcrossARestart() throws Exception {
        String events = data + "_in";
        String out = data + "_out";
        InMemoryData.register(events, List.of(), false);
        InMemoryData.register(out, List.of(), false);
        String id;
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM clicks (id BIGINT, who VARCHAR) WITH ('connector' = 'memory', 'data' = '" + events + "')");
            statement.execute("CREATE STREAM picked (id BIGINT, tag VARCHAR) WITH ('connector' = 'memory', 'data' = '" + out + "')");
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO picked SELECT STREAM id, CAST(? AS VARCHAR) FROM clicks WHERE who = ?")) {
                assertThat(insert.getParameterMetaData().getParameterCount()).isEqualTo(2);
                assertThat(insert.getParameterMetaData().getParameterType(1)).isEqualTo(Types.VARCHAR);
                insert.setString(1, "it's ann");
                insert.setString(2, "ann");
                try (ResultSet started = insert.executeQuery()) {
                    assertThat(started.next()).isTrue();
                    id = started.getString("query_id");
                }
            }
            try (ResultSet queries = statement.executeQuery("SHOW QUERIES")) {
                List<String> texts = new ArrayList<>();
                while (queries.next()) {
                    texts.add(queries.getString("query_text"));
                }
                assertThat(texts).contains("INSERT INTO picked SELECT STREAM id, CAST(CAST('it''s ann' AS VARCHAR) AS VARCHAR)"
                        + " FROM clicks WHERE who = CAST('ann' AS VARCHAR)");
            }
        }
        InMemoryData.append(events, List.of(new Object[] {1L, "ann"}, new Object[] {2L, "bob"}));
        EngineServer.await(() -> InMemoryData.rows(out).size() == 1);
        assertThat(InMemoryData.rows(out).get(0)).containsExactly(1L, "it's ann");

        server.restart();
        // the memory source reads its data set again after the restart: ann's row comes again
        InMemoryData.append(events, List.<Object[]>of(new Object[] {3L, "ann"}));
        EngineServer.await(() -> InMemoryData.rows(out).stream().anyMatch(row -> row[0].equals(3L)));
        assertThat(InMemoryData.rows(out)).noneMatch(row -> row[0].equals(2L));
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("STOP QUERY '" + id + "'");
        }
        InMemoryData.unregister(events);
        InMemoryData.unregister(out);
    }

    @Test
    void viewsKeepTheirBoundValuesAndBatchesRunOncePerSetOfValues() throws Exception {
        for (String url : urls()) {
            try (Connection connection = DriverManager.getConnection(url);
                 PreparedStatement create = connection.prepareStatement(
                         "CREATE OR REPLACE VIEW big_orders AS SELECT id, amount FROM orders WHERE amount >= ?")) {
                assertThat(create.getParameterMetaData().getParameterType(1)).isEqualTo(Types.DECIMAL);
                create.setBigDecimal(1, new BigDecimal("7.5"));
                create.execute();
                try (Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT id FROM big_orders ORDER BY id")) {
                    List<Long> ids = new ArrayList<>();
                    while (rows.next()) {
                        ids.add(rows.getLong(1));
                    }
                    assertThat(ids).as(url).containsExactly(2L, 3L);
                }
                create.setInt(1, 10);
                create.addBatch();
                create.setString(1, "6");
                create.addBatch();
                assertThat(create.executeBatch()).as(url).hasSize(2);
                try (Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM big_orders")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getLong(1)).as("the last set of values made the view").isEqualTo(2L);
                }
            }
        }
        try (Connection connection = server.connect();
             PreparedStatement query = connection.prepareStatement("SELECT id FROM orders WHERE id = ?")) {
            query.setLong(1, 1);
            query.addBatch();
            assertThatThrownBy(query::executeBatch).hasMessageContaining("A batch may not contain queries");
        }
    }
}

package io.weir.server.meta;

import io.weir.server.testing.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDBC metadata calls DBeaver, Metabase and Tableau make, over a real connection with Weir's
 * driver and with the stock Avatica driver.
 */
class JdbcMetadataTest {
    @TempDir
    static Path temp;

    private static RunningServer server;

    @BeforeAll
    static void start() throws Exception {
        server = RunningServer.start(temp.resolve("data"));
        Path clicks = temp.resolve("clicks.json");
        Files.writeString(clicks, "{\"user_id\": 1, \"url\": \"/a\", \"ts\": \"2024-01-01 00:00:00\"}\n");
        Path users = temp.resolve("users.csv");
        Files.writeString(users, "1,alice\n2,bob\n");
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM clicks (user_id BIGINT NOT NULL, url VARCHAR(200), ts TIMESTAMP(3), "
                    + "amount DECIMAL(10, 2), tags ARRAY<VARCHAR>, pt AS PROCTIME(), "
                    + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) "
                    + "WITH ('connector' = 'file', 'path' = '" + clicks + "', 'format' = 'json')");
            statement.execute("CREATE TABLE users (id INT, name VARCHAR, PRIMARY KEY (id)) "
                    + "WITH ('connector' = 'file', 'path' = '" + users + "', 'format' = 'csv')");
            statement.execute("CREATE VIEW home_clicks AS SELECT user_id, ts FROM clicks WHERE url = '/home'");
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static List<Map<String, Object>> rows(ResultSet resultSet) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (resultSet) {
            ResultSetMetaData metaData = resultSet.getMetaData();
            while (resultSet.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= metaData.getColumnCount(); i++) {
                    row.put(metaData.getColumnLabel(i), resultSet.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void weirDriverAnswersMetadata() throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl())) {
            checkMetadata(connection.getMetaData(), true);
        }
    }

    @Test
    void stockAvaticaDriverAnswersMetadata() throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.avaticaUrl())) {
            checkMetadata(connection.getMetaData(), false);
        }
    }

    /**
     * @param weirDriver the stock driver names itself as the product and, as the Avatica protocol has
     *        no request for primary keys, answers getPrimaryKeys empty; Weir's driver asks the server
     */
    private static void checkMetadata(DatabaseMetaData metaData, boolean weirDriver) throws SQLException {
        if (weirDriver) {
            assertThat(metaData.getDatabaseProductName()).isEqualTo("Weir");
        }
        assertThat(rows(metaData.getCatalogs())).isEmpty();
        assertThat(rows(metaData.getSchemas())).extracting(r -> r.get("TABLE_SCHEM")).containsExactly("weir");
        assertThat(rows(metaData.getTableTypes())).extracting(r -> r.get("TABLE_TYPE")).contains("TABLE", "VIEW");

        // DBeaver: all tables of the schema; Metabase: filtered to the types it shows.
        List<Map<String, Object>> tables = rows(metaData.getTables(null, "weir", "%", null));
        assertThat(tables).extracting(r -> r.get("TABLE_NAME")).containsExactly("clicks", "home_clicks", "users");
        assertThat(tables).extracting(r -> r.get("TABLE_TYPE")).containsExactly("TABLE", "VIEW", "TABLE");
        assertThat((String) tables.get(0).get("REMARKS")).startsWith("Stream");
        assertThat((String) tables.get(2).get("REMARKS")).startsWith("Reference table");
        assertThat(rows(metaData.getTables(null, null, "%", new String[] {"TABLE", "VIEW", "MATERIALIZED VIEW"}))).hasSize(3);
        assertThat(rows(metaData.getTables(null, null, "%", new String[] {"VIEW"})))
                .extracting(r -> r.get("TABLE_NAME")).containsExactly("home_clicks");
        assertThat(rows(metaData.getColumns(null, "weir", "home_clicks", null)))
                .extracting(r -> r.get("COLUMN_NAME")).containsExactly("user_id", "ts");
        assertThat(rows(metaData.getTables(null, null, "CLICK%", null))).hasSize(1);
        assertThat(rows(metaData.getTables(null, "other", "%", null))).isEmpty();

        List<Map<String, Object>> columns = rows(metaData.getColumns(null, "weir", "clicks", "%"));
        assertThat(columns).extracting(r -> r.get("COLUMN_NAME")).containsExactly("user_id", "url", "ts", "amount", "tags", "pt");
        assertThat(columns).extracting(r -> ((Number) r.get("DATA_TYPE")).intValue())
                .containsExactly(Types.BIGINT, Types.VARCHAR, Types.TIMESTAMP, Types.DECIMAL, Types.ARRAY, Types.TIMESTAMP);
        assertThat(columns.get(0).get("IS_NULLABLE")).isEqualTo("NO");
        assertThat(columns.get(1).get("IS_NULLABLE")).isEqualTo("YES");
        assertThat(((Number) columns.get(1).get("COLUMN_SIZE")).intValue()).isEqualTo(200);
        assertThat(((Number) columns.get(3).get("DECIMAL_DIGITS")).intValue()).isEqualTo(2);
        assertThat(columns.get(5).get("IS_GENERATEDCOLUMN")).isEqualTo("YES");

        if (weirDriver) {
            List<Map<String, Object>> keys = rows(metaData.getPrimaryKeys(null, "weir", "users"));
            assertThat(keys).extracting(r -> r.get("COLUMN_NAME")).containsExactly("id");
            assertThat(keys).extracting(r -> ((Number) r.get("KEY_SEQ")).intValue()).containsExactly(1);
            assertThat(rows(metaData.getPrimaryKeys(null, "weir", "clicks"))).isEmpty();
        }

        List<Map<String, Object>> types = rows(metaData.getTypeInfo());
        assertThat(types).extracting(r -> r.get("TYPE_NAME")).contains("BOOLEAN", "BIGINT", "VARCHAR", "TIMESTAMP", "DECIMAL");
        List<Integer> dataTypes = types.stream().map(r -> ((Number) r.get("DATA_TYPE")).intValue()).toList();
        assertThat(dataTypes).isSorted();

        // Calls some tools make and tolerate empty answers for.
        assertThat(rows(metaData.getImportedKeys(null, "weir", "users"))).isEmpty();
        assertThat(rows(metaData.getIndexInfo(null, "weir", "users", false, true))).isEmpty();
        assertThat(rows(metaData.getProcedures(null, "weir", "%"))).isEmpty();
    }

    @Test
    void probeQueriesAnswerAtOnceWithColumns() throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            for (String probe : List.of("SELECT * FROM clicks WHERE 1 <> 1 LIMIT 0", "SELECT * FROM clicks WHERE 1=0",
                    "SELECT * FROM clicks LIMIT 0", "SELECT TRUE FROM \"weir\".\"clicks\" WHERE 1 <> 1 LIMIT 0",
                    "SELECT * FROM users WHERE 1 <> 1 LIMIT 0")) {
                long start = System.nanoTime();
                try (ResultSet resultSet = statement.executeQuery(probe)) {
                    assertThat(resultSet.getMetaData().getColumnCount()).as(probe).isGreaterThan(0);
                    assertThat(resultSet.next()).as(probe).isFalse();
                }
                // Generous bound: the point is "does not read or wait on the stream", not speed.
                assertThat((System.nanoTime() - start) / 1_000_000).as(probe + " millis").isLessThan(5_000);
            }
            try (var prepared = connection.prepareStatement("SELECT user_id, ts FROM clicks")) {
                ResultSetMetaData metaData = prepared.getMetaData();
                assertThat(metaData.getColumnCount()).isEqualTo(2);
                assertThat(metaData.getColumnType(2)).isEqualTo(Types.TIMESTAMP);
            }
        }
    }
}

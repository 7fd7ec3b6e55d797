package io.weir.server.pg;

import io.weir.server.config.ServerConfig;
import io.weir.server.testing.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The PostgreSQL endpoint through pgjdbc, the PostgreSQL JDBC driver: connecting, the statements it sends
 * on its own, prepared statements with parameters (text and, after five executions, binary), errors that
 * leave the connection usable, continuous queries read row by row and cancelled, and cursors.
 */
class PgJdbcTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    static Path temp;
    private static RunningServer server;
    private static final ExecutorService client = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() throws Exception {
        server = RunningServer.start(temp.resolve("data"), builder -> builder.pgPort(ServerConfig.FREE_PORT)
                .batchInterval(Duration.ofMillis(50)).parallelism(1));
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM ticks (n BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '100')");
        }
    }

    @AfterAll
    static void stop() {
        client.shutdownNow();
        if (server != null) {
            server.close();
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(server.pgUrl(), "tester", "");
    }

    @Test
    void connectsAndAnswersWhatTheDriverAsks() throws Exception {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            DatabaseMetaData metadata = connection.getMetaData();
            assertThat(metadata.getDatabaseProductName()).isEqualTo("PostgreSQL");
            assertThat(metadata.getDatabaseMajorVersion()).isEqualTo(15);
            assertThat(connection.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
            try (ResultSet rows = statement.executeQuery("SELECT 1 AS a, 'two' AS b")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt("a")).isEqualTo(1);
                assertThat(rows.getString("b")).isEqualTo("two");
                assertThat(rows.getMetaData().getColumnTypeName(1)).isEqualTo("int4");
                assertThat(rows.next()).isFalse();
            }
            statement.execute("SET application_name = 'weir-test'");
            try (ResultSet rows = statement.executeQuery("SHOW application_name")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("weir-test");
            }
            statement.execute("SET statement_timeout = '90s'");
            Map<String, String> all = new HashMap<>();
            try (ResultSet rows = statement.executeQuery("SHOW ALL")) {
                while (rows.next()) {
                    all.put(rows.getString("name"), rows.getString("setting"));
                }
            }
            assertThat(all).containsEntry("application_name", "weir-test").containsEntry("statement_timeout", "90000ms")
                    .containsEntry("statement.timeout", "90000 ms").containsKey("batch.interval");
        }
    }

    @Test
    void databaseMetaDataListsStreamsAndTheirColumns() throws Exception {
        try (Connection connection = connect()) {
            DatabaseMetaData metadata = connection.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = metadata.getTables(null, "weir", "%", new String[] {"TABLE", "VIEW"})) {
                while (rows.next()) {
                    tables.add(rows.getString("TABLE_SCHEM") + "." + rows.getString("TABLE_NAME") + " " + rows.getString("TABLE_TYPE"));
                }
            }
            assertThat(tables).contains("weir.ticks TABLE");
            List<String> columns = new ArrayList<>();
            try (ResultSet rows = metadata.getColumns(null, "weir", "ticks", "%")) {
                while (rows.next()) {
                    columns.add(rows.getString("COLUMN_NAME") + " " + rows.getString("TYPE_NAME") + " " + rows.getInt("DATA_TYPE"));
                }
            }
            assertThat(columns).containsExactly("n int8 " + java.sql.Types.BIGINT);
            try (ResultSet rows = metadata.getSchemas()) {
                List<String> schemas = new ArrayList<>();
                while (rows.next()) {
                    schemas.add(rows.getString("TABLE_SCHEM"));
                }
                assertThat(schemas).contains("weir");
            }
        }
    }

    /** What DBeaver and Metabase ask when they describe a table: keys, indexes, types, identity columns. */
    @Test
    void databaseMetaDataDescribesKeysIndexesAndTypes() throws Exception {
        Path csv = java.nio.file.Files.writeString(temp.resolve("pg-users.csv"), "id,name\n1,ann\n");
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE pg_users (id BIGINT, name VARCHAR, PRIMARY KEY (id)) WITH ('connector' = 'file', 'path' = '"
                    + csv + "', 'format' = 'csv')");
            DatabaseMetaData metadata = connection.getMetaData();
            try (ResultSet rows = metadata.getPrimaryKeys(null, "weir", "pg_users")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString("TABLE_NAME") + " " + rows.getString("COLUMN_NAME") + " " + rows.getInt("KEY_SEQ") + " "
                        + rows.getString("PK_NAME")).isEqualTo("pg_users id 1 pg_users_pkey");
                assertThat(rows.next()).isFalse();
            }
            try (ResultSet rows = metadata.getPrimaryKeys(null, null, "ticks")) {
                assertThat(rows.next()).isFalse();
            }
            try (ResultSet rows = metadata.getBestRowIdentifier(null, "weir", "pg_users", DatabaseMetaData.bestRowSession, true)) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString("COLUMN_NAME") + " " + rows.getString("TYPE_NAME")).isEqualTo("id int8");
            }
            for (ResultSet rows : List.of(metadata.getIndexInfo(null, "weir", "pg_users", false, true),
                    metadata.getImportedKeys(null, "weir", "pg_users"), metadata.getExportedKeys(null, "weir", "pg_users"),
                    metadata.getCrossReference(null, "weir", "pg_users", null, "weir", "ticks"),
                    metadata.getUDTs(null, null, "%", null))) {
                try (rows) {
                    assertThat(rows.getMetaData().getColumnCount()).isGreaterThan(4); // the columns JDBC defines, no rows
                    assertThat(rows.next()).isFalse();
                }
            }
            try (ResultSet rows = metadata.getIndexInfo(null, "weir", "pg_users", false, true)) {
                assertThat(rows.findColumn("INDEX_NAME")).isPositive();
            }
            List<String> types = new ArrayList<>();
            try (ResultSet rows = metadata.getTypeInfo()) {
                while (rows.next()) {
                    types.add(rows.getString("TYPE_NAME"));
                }
            }
            assertThat(types).contains("int8", "varchar", "timestamp", "bool");
            try (ResultSet rows = metadata.getColumns(null, "weir", "pg_users", "%")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString("IS_AUTOINCREMENT") + " " + rows.getString("IS_GENERATEDCOLUMN")).isEqualTo("NO NO");
            }
            try (ResultSet rows = metadata.getVersionColumns(null, "weir", "pg_users")) {
                assertThat(rows.getMetaData().getColumnCount()).isEqualTo(8);
            }
        }
    }

    @Test
    void preparedStatementsBindParametersInTextAndBinary() throws Exception {
        String sql = "SELECT x, y, d FROM (VALUES (1, 'one', DATE '2024-01-01'), (2, 'two', DATE '2024-02-01'),"
                + " (3, 'three', DATE '2024-03-01')) AS t(x, y, d) WHERE x >= ? AND y <> ? AND d < ?";
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            // pgjdbc prepares a named statement from the fifth execution on and reads binary results then
            for (int run = 0; run < 7; run++) {
                statement.setInt(1, 2);
                statement.setString(2, "three");
                statement.setObject(3, LocalDate.of(2024, 6, 1));
                List<String> rows = new ArrayList<>();
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        rows.add(result.getInt(1) + " " + result.getString(2).strip() + " " + result.getObject(3, LocalDate.class));
                    }
                }
                assertThat(rows).as("run %d", run).containsExactly("2 two 2024-02-01");
            }
        }
    }

    @Test
    void valuesOfEveryTypeRoundTrip() throws Exception {
        String sql = "SELECT CAST(? AS BOOLEAN), CAST(? AS SMALLINT), CAST(? AS BIGINT), CAST(? AS DOUBLE), CAST(? AS DECIMAL(12, 4)),"
                + " CAST(? AS VARCHAR), CAST(? AS TIMESTAMP(3)), CAST(? AS VARBINARY), CAST(? AS REAL)";
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int run = 0; run < 6; run++) {
                statement.setBoolean(1, true);
                statement.setShort(2, (short) -7);
                statement.setLong(3, 1L << 40);
                statement.setDouble(4, 2.5);
                statement.setBigDecimal(5, new BigDecimal("-12345.0625"));
                statement.setString(6, "häßlich \"quoted\"");
                statement.setTimestamp(7, Timestamp.valueOf("2024-05-06 07:08:09.123"));
                statement.setBytes(8, new byte[] {1, 2, (byte) 0xFF});
                statement.setFloat(9, 1.25f);
                try (ResultSet rows = statement.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getBoolean(1)).isTrue();
                    assertThat(rows.getShort(2)).isEqualTo((short) -7);
                    assertThat(rows.getLong(3)).isEqualTo(1L << 40);
                    assertThat(rows.getDouble(4)).isEqualTo(2.5);
                    assertThat(rows.getBigDecimal(5)).isEqualByComparingTo("-12345.0625");
                    assertThat(rows.getString(6)).isEqualTo("häßlich \"quoted\"");
                    assertThat(rows.getTimestamp(7)).isEqualTo(Timestamp.valueOf("2024-05-06 07:08:09.123"));
                    assertThat(rows.getBytes(8)).containsExactly(1, 2, 0xFF);
                    assertThat(rows.getFloat(9)).isEqualTo(1.25f);
                }
            }
        }
    }

    @Test
    void timeSeriesQueriesAsGrafanaWritesThem() throws Exception {
        // $__timeFilter expands to ISO instants, $__timeGroup to to_timestamp(floor(extract(epoch ...)))
        String sql = "SELECT to_timestamp(floor(extract(epoch from ts) / 60) * 60) AS \"time\", COUNT(*) AS v"
                + " FROM (VALUES (TIMESTAMP '2024-05-01 10:00:10'), (TIMESTAMP '2024-05-01 10:00:50'), (TIMESTAMP '2024-05-01 10:01:05'),"
                + " (TIMESTAMP '2024-05-01 12:00:00')) AS t(ts)"
                + " WHERE ts BETWEEN '2024-05-01T10:00:00Z' AND '2024-05-01T11:00:00Z'"
                + " GROUP BY to_timestamp(floor(extract(epoch from ts) / 60) * 60) ORDER BY \"time\"";
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<String> series = new ArrayList<>();
            while (rows.next()) {
                series.add(rows.getString("time") + " " + rows.getLong("v"));
            }
            assertThat(series).containsExactly("2024-05-01 10:00:00 2", "2024-05-01 10:01:00 1");
        }
        // Grafana's visual query builder groups and orders by the SELECT list's ordinal
        String builder = "SELECT $__timeGroup AS \"time\", avg(v) AS \"v\" FROM (VALUES (TIMESTAMP '2024-05-01 10:00:10', 1.0),"
                + " (TIMESTAMP '2024-05-01 10:00:50', 3.0), (TIMESTAMP '2024-05-01 10:01:05', 5.0)) AS t(ts, v) GROUP BY 1 ORDER BY 1";
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(builder.replace("$__timeGroup", "to_timestamp(floor(extract(epoch from ts) / 60) * 60)"))) {
            List<String> series = new ArrayList<>();
            while (rows.next()) {
                series.add(rows.getString("time") + " " + rows.getDouble("v"));
            }
            assertThat(series).containsExactly("2024-05-01 10:00:00 2.0", "2024-05-01 10:01:00 5.0");
        }
    }

    /** The queries of Grafana's PostgreSQL data source (its postgresMetaQuery.ts) behind its version check and pickers. */
    @Test
    void grafanasVersionCheckAndTableAndColumnPickers() throws Exception {
        String inSearchPath = "quote_ident(table_schema) IN (\n SELECT\n CASE WHEN trim(s[i]) = '\"$user\"' THEN user ELSE trim(s[i]) END\n"
                + " FROM\n generate_series(\n array_lower(string_to_array(current_setting('search_path'),','),1),\n"
                + " array_upper(string_to_array(current_setting('search_path'),','),1)\n ) as i,\n"
                + " string_to_array(current_setting('search_path'),',') s\n )";
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT current_setting('server_version_num')::int/100 as version")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt("version")).isEqualTo(1500);
            }
            try (ResultSet rows = statement.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'")) {
                assertThat(rows.next()).isFalse();
            }
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT\n CASE WHEN " + inSearchPath + "\n THEN quote_ident(table_name)\n"
                    + " ELSE quote_ident(table_schema) || '.' || quote_ident(table_name)\n END AS \"table\"\n"
                    + " FROM information_schema.tables\n WHERE quote_ident(table_schema) NOT IN ('information_schema', 'pg_catalog',"
                    + " '_timescaledb_cache', 'timescaledb_information')\n ORDER BY CASE WHEN " + inSearchPath + " THEN 0 ELSE 1 END, 1")) {
                while (rows.next()) {
                    tables.add(rows.getString("table"));
                }
            }
            assertThat(tables).contains("ticks");
            List<String> columns = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT quote_ident(column_name) AS \"column\", data_type AS \"type\"\n"
                    + " FROM information_schema.columns\n WHERE\n CASE WHEN array_length(parse_ident('ticks'),1) = 2\n"
                    + " THEN quote_ident(table_schema) = (parse_ident('ticks'))[1]\n AND quote_ident(table_name) = (parse_ident('ticks'))[2]\n"
                    + " ELSE quote_ident(table_name) = 'ticks'\n AND " + inSearchPath + "\n END")) {
                while (rows.next()) {
                    columns.add(rows.getString("column") + " " + rows.getString("type"));
                }
            }
            assertThat(columns).containsExactly("n bigint");
            try (ResultSet rows = statement.executeQuery("SELECT quote_ident(table_name) AS \"table\" FROM information_schema.tables"
                    + " WHERE quote_ident(table_schema) = 'weir' ORDER BY 1")) {
                assertThat(rows.next()).isTrue();
            }
        }
    }

    @Test
    void errorsCarrySqlStateAndPositionAndLeaveTheConnectionUsable() throws Exception {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            SQLException syntax = catchThrowableOfType(() -> statement.executeQuery("SELECT FROM WHERE"), SQLException.class);
            assertThat(syntax.getSQLState()).isEqualTo("42601");
            assertThat(((org.postgresql.util.PSQLException) syntax).getServerErrorMessage().getPosition()).isPositive();
            SQLException unknown = catchThrowableOfType(() -> statement.executeQuery("SELECT * FROM no_such_table"), SQLException.class);
            assertThat(unknown.getSQLState()).isEqualTo("42P01");
            try (PreparedStatement prepared = connection.prepareStatement("SELECT ? + 1 FROM no_such_table")) {
                prepared.setInt(1, 1);
                assertThat(catchThrowableOfType(prepared::executeQuery, SQLException.class).getSQLState()).isEqualTo("42P01");
            }
            try (ResultSet rows = statement.executeQuery("SELECT 41 + 1")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(42);
            }
        }
    }

    @Test
    void continuousQueryRowsArriveOneByOneWithAFetchSize() throws Exception {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false); // pgjdbc fetches by fetch size only in a transaction
            try (Statement statement = connection.createStatement()) {
                statement.setFetchSize(1);
                try (ResultSet rows = statement.executeQuery("SELECT STREAM n FROM ticks")) {
                    for (int i = 0; i < 5; i++) {
                        assertThat(rows.next()).isTrue();
                        assertThat(rows.getLong(1)).isNotNull();
                    }
                }
            }
            connection.commit();
            await().atMost(LONG).until(() -> server.context().queries().size() == 0);
        }
    }

    @Test
    void aContinuousQueryTakesParameters() throws Exception {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement("SELECT STREAM n FROM ticks WHERE n >= ?")) {
                statement.setFetchSize(1);
                statement.setLong(1, 0);
                try (ResultSet rows = statement.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getLong(1)).isGreaterThanOrEqualTo(0);
                }
            }
            connection.commit();
        }
    }

    @Test
    void aBoundedResultComesInPortionsOfTheFetchSize() throws Exception {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.setFetchSize(2); // Execute with a row limit of 2: PortalSuspended until the last portion
                StringBuilder values = new StringBuilder();
                try (ResultSet rows = statement.executeQuery("SELECT x FROM (VALUES (1), (2), (3), (4), (5)) AS t(x) ORDER BY x")) {
                    while (rows.next()) {
                        values.append(rows.getInt(1));
                    }
                }
                assertThat(values).hasToString("12345");
            }
            connection.commit();
        }
    }

    @Test
    void cancelStopsAContinuousQueryAndTheConnectionGoesOn() throws Exception {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            Future<SQLException> running = client.submit(() -> catchThrowableOfType(
                    () -> statement.executeQuery("SELECT STREAM n FROM ticks"), SQLException.class));
            await().atMost(LONG).until(() -> server.context().queries().size() == 1);
            statement.cancel();
            SQLException cancelled = running.get(LONG.toSeconds(), TimeUnit.SECONDS);
            assertThat(cancelled.getSQLState()).isEqualTo("57014");
            await().atMost(LONG).until(() -> server.context().queries().size() == 0);
            try (ResultSet rows = statement.executeQuery("SELECT 7")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(7);
            }
        }
    }

    @Test
    void cursorsFetchWhatIsReadyWithinTheirTimeout() throws Exception {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DECLARE c CURSOR FOR SELECT STREAM n FROM ticks");
            int fetched = 0;
            for (int attempt = 0; attempt < 20 && fetched == 0; attempt++) {
                try (ResultSet rows = statement.executeQuery("FETCH 10 FROM c WITH (timeout = '2s')")) {
                    while (rows.next()) {
                        fetched++;
                    }
                }
            }
            assertThat(fetched).isBetween(1, 10);
            try (ResultSet rows = statement.executeQuery("FETCH ALL FROM c WITH (timeout = '0s')")) {
                assertThat(rows.getMetaData().getColumnCount()).isEqualTo(1);
            }
            statement.execute("CLOSE c");
            await().atMost(LONG).until(() -> server.context().queries().size() == 0);
            SQLException closed = catchThrowableOfType(() -> statement.executeQuery("FETCH 1 FROM c"), SQLException.class);
            assertThat(closed.getMessage()).contains("cursor \"c\" does not exist");
        }
    }

    @Test
    void transactionStatementsAreAccepted() throws Exception {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT 3")) {
                assertThat(rows.next()).isTrue();
            }
            connection.commit();
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }

    @Test
    void aClientThatDisconnectsMidQueryStopsItsQuery() throws Exception {
        Connection connection = connect();
        Statement statement = connection.createStatement();
        CompletableFuture.runAsync(() -> {
            try {
                statement.executeQuery("SELECT STREAM n FROM ticks");
            } catch (SQLException ignored) {
                // the connection is closed under it
            }
        }, client);
        await().atMost(LONG).until(() -> server.context().queries().size() == 1);
        connection.abort(client); // closes the socket under the running query
        await().atMost(LONG).until(() -> server.context().queries().size() == 0);
    }
}

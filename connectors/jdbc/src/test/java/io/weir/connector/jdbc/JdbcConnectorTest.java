package io.weir.connector.jdbc;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ConnectorResolver;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.ResolvedConnector;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Upserts, type mapping, CREATE-time checks and retries against a real PostgreSQL. */
class JdbcConnectorTest {
    private static final List<DataType.Field> ACCOUNTS = List.of(
            new DataType.Field("id", DataType.of(TypeKind.BIGINT).withNullable(false)),
            new DataType.Field("name", DataType.varchar()),
            new DataType.Field("balance", DataType.of(TypeKind.DOUBLE)));

    private final TestPostgres postgres = TestPostgres.get();

    @TempDir
    Path tempDir;

    private ConnectorContext context(String objectName, ObjectKind kind, List<DataType.Field> schema,
                                     Map<String, String> options, List<String> primaryKey) {
        ResolvedConnector resolved = ConnectorResolver.resolve(options, getClass().getClassLoader());
        return resolved.context(objectName, kind, schema, RecordErrorHandler.failing(objectName, kind), tempDir,
                        InstantSource.system()).withPrimaryKey(primaryKey);
    }

    private SinkWriter writer(String objectName, List<DataType.Field> schema, Map<String, String> options,
                              List<String> primaryKey) {
        ConnectorContext context = context(objectName, ObjectKind.STREAM, schema, options, primaryKey);
        JdbcConnectorFactory factory = new JdbcConnectorFactory();
        factory.validate(context);
        return factory.createSink(context).createWriter();
    }

    private String accountsTable() {
        String table = postgres.newTable("accounts");
        postgres.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name TEXT, balance DOUBLE PRECISION)");
        return table;
    }

    private List<Object[]> accounts(String table) throws Exception {
        return JdbcSinkConformanceTest.readTable(postgres, table, ACCOUNTS, "id");
    }

    // ---- sink ---------------------------------------------------------------------------------

    @Test
    void upsertReplacesRowsWithTheSameKey() throws Exception {
        String table = accountsTable();
        try (SinkWriter writer = writer("accounts_sink", ACCOUNTS, postgres.options(table), List.of("id"))) {
            writer.write(Batch.of(ACCOUNTS, List.of(new Object[] {1L, "ann", 10.0}, new Object[] {2L, "bob", 20.0})));
            writer.flush();
            // a later row with the same key replaces the earlier one, also twice in one batch
            writer.write(Batch.of(ACCOUNTS, List.of(new Object[] {1L, "ann", 15.5}, new Object[] {3L, "cy", null},
                    new Object[] {3L, "cy", 30.0})));
            writer.flush();
        }
        assertThat(accounts(table)).containsExactly(new Object[] {1L, "ann", 15.5}, new Object[] {2L, "bob", 20.0},
                new Object[] {3L, "cy", 30.0});
    }

    @Test
    void insertStatementsPerDialect() {
        assertThat(Dialect.POSTGRESQL.insertStatement("t", List.of("id", "v"), List.of("id")))
                .isEqualTo("INSERT INTO t (\"id\", \"v\") VALUES (?, ?) ON CONFLICT (\"id\") DO UPDATE SET \"v\" = EXCLUDED.\"v\"");
        assertThat(Dialect.MYSQL.insertStatement("t", List.of("id", "v"), List.of("id")))
                .isEqualTo("INSERT INTO t (`id`, `v`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `v` = VALUES(`v`)");
        assertThat(Dialect.POSTGRESQL.insertStatement("t", List.of("id"), List.of()))
                .isEqualTo("INSERT INTO t (\"id\") VALUES (?)");
        assertThat(Dialect.MYSQL.driverUrl("jdbc:mysql://db:3306/shop")).isEqualTo("jdbc:mariadb://db:3306/shop");
        assertThat(Dialect.of("jdbc:MariaDB://db/x")).contains(Dialect.MYSQL);
        assertThat(Dialect.of("jdbc:sqlite:x")).isEmpty();
    }

    @Test
    void aDroppedConnectionDuringFlushIsRetriedOverANewOne() throws Exception {
        String table = accountsTable();
        Map<String, String> options = postgres.options(table);
        try (SinkWriter writer = writer("retried_sink", ACCOUNTS, options, List.of("id"))) {
            writer.write(Batch.of(ACCOUNTS, List.<Object[]>of(new Object[] {1L, "ann", 1.0})));
            writer.flush();
            assertThat(postgres.terminateSessions("weir-sink-retried_sink")).isEqualTo(1);
            writer.write(Batch.of(ACCOUNTS, List.of(new Object[] {2L, "bob", 2.0}, new Object[] {3L, "cy", 3.0})));
            writer.flush();
        }
        assertThat(accounts(table)).containsExactly(new Object[] {1L, "ann", 1.0}, new Object[] {2L, "bob", 2.0},
                new Object[] {3L, "cy", 3.0});
    }

    @Test
    void aRowTheDatabaseRejectsFailsTheFlushNamingTheTable() throws Exception {
        String table = postgres.newTable("strict");
        postgres.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name TEXT NOT NULL, balance DOUBLE PRECISION)");
        try (SinkWriter writer = writer("strict_sink", ACCOUNTS, postgres.options(table), List.of("id"))) {
            writer.write(Batch.of(ACCOUNTS, List.<Object[]>of(new Object[] {1L, null, 1.0})));
            assertThatThrownBy(writer::flush)
                    .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SINK_ERROR))
                    .hasMessageContaining("table '" + table + "'")
                    .hasMessageContaining("23502") // not_null_violation: not retried
                    .hasMessageNotContaining("retries");
        }
    }

    @Test
    void anUnreachableDatabaseFailsAfterTheRetries() throws Exception {
        Map<String, String> options = postgres.options("nowhere");
        options.put("url", "jdbc:postgresql://127.0.0.1:" + freePort() + "/postgres");
        options.put("sink.max-retries", "1");
        ConnectorContext context = context("unreachable_sink", ObjectKind.STREAM, ACCOUNTS, options, List.of());
        try (SinkWriter writer = new JdbcConnectorFactory().createSink(context).createWriter()) {
            writer.write(Batch.of(ACCOUNTS, List.<Object[]>of(new Object[] {1L, "ann", 1.0})));
            assertThatThrownBy(writer::flush)
                    .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SINK_ERROR))
                    .hasMessageContaining("table 'nowhere'")
                    .hasMessageContaining("after 1 retries")
                    .hasMessageContaining("'url'");
        }
    }

    // ---- types --------------------------------------------------------------------------------

    @Test
    void everyTypeRoundTripsThroughSinkAndSource() throws Exception {
        List<DataType.Field> schema = JdbcSinkConformanceTest.SCHEMA;
        String table = postgres.newTable("all_types");
        postgres.execute("CREATE TABLE " + table + " (" + JdbcSinkConformanceTest.COLUMNS + ")");
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {1L, true, -128L, 32_767L, Integer.MIN_VALUE + 0L, 1.5, -2.25e300,
                new BigDecimal("-12345678.90"), "text \u00fc\u20ac 'quoted'", "ab   ", -719_162L, 86_399_000L,
                -62_135_596_800_000L, new byte[] {0, (byte) 0xff, 1}});
        rows.add(new Object[] {2L, false, 0L, 0L, 0L, 0.0, 0.0, new BigDecimal("0.00"), "", "abcde", 0L, 0L,
                1_700_000_000_123L, new byte[0]});
        rows.add(new Object[] {3L, null, null, null, null, null, null, null, null, null, null, null, null, null});
        try (SinkWriter writer = writer("types_sink", schema, postgres.options(table), List.of())) {
            writer.write(Batch.of(schema, rows));
            writer.flush();
        }
        Map<String, String> options = postgres.options(table);
        List<Object[]> read = SourceHarness.create("types", ObjectKind.TABLE, schema, options, tempDir,
                InstantSource.system()).readAll(Duration.ofSeconds(10));
        read.sort(java.util.Comparator.comparing(row -> (Long) row[0]));
        assertThat(read).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(rows);
        // what PostgreSQL itself holds: timestamps are UTC wall-clock times, dates and times as written
        assertThat(postgres.query("SELECT ts::text, day::text, t::text FROM " + table + " WHERE id = 2").get(0))
                .containsExactly("2023-11-14 22:13:20.123", "1970-01-01", "00:00:00");
    }

    @Test
    void timestampWithTimeZoneIsReadAsTheInstant() {
        String table = postgres.newTable("zoned");
        postgres.execute("CREATE TABLE " + table + " (at TIMESTAMPTZ, n INTEGER)",
                "INSERT INTO " + table + " VALUES ('2023-11-15 00:13:20+02', 1)");
        List<DataType.Field> schema = List.of(new DataType.Field("AT", DataType.timestamp(3)),
                new DataType.Field("n", DataType.of(TypeKind.BIGINT)));
        List<Object[]> rows = SourceHarness.create("zoned", ObjectKind.TABLE, schema, postgres.options(table), tempDir,
                InstantSource.system()).readAll(Duration.ofSeconds(10));
        assertThat(rows).containsExactly(new Object[] {1_700_000_000_000L, 1L});
    }

    @Test
    void aValueThatDoesNotFitFollowsTheErrorPolicy() {
        String table = postgres.newTable("too_big");
        postgres.execute("CREATE TABLE " + table + " (v BIGINT)", "INSERT INTO " + table + " VALUES (1), (100000), (2)");
        List<DataType.Field> schema = List.of(new DataType.Field("v", DataType.of(TypeKind.SMALLINT)));
        Map<String, String> options = postgres.options(table);
        options.put("on-error", "skip");
        SourceHarness harness = SourceHarness.create("too_big", ObjectKind.TABLE, schema, options, tempDir,
                InstantSource.system());
        assertThat(harness.readAll(Duration.ofSeconds(10))).containsExactly(new Object[] {1L}, new Object[] {2L});
        assertThat(harness.counters().skipped()).isEqualTo(1);
    }

    // ---- CREATE-time checks -------------------------------------------------------------------

    private void validate(List<DataType.Field> schema, Map<String, String> options) {
        SourceHarness.create("checked", ObjectKind.TABLE, schema, options, tempDir, InstantSource.system());
    }

    @Test
    void aMissingTableIsNamed() {
        assertThatThrownBy(() -> validate(ACCOUNTS, postgres.options("no_such_table")))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR))
                .hasMessageContaining("table 'no_such_table' does not exist");
    }

    @Test
    void aMissingColumnIsNamedWithTheTablesColumns() {
        String table = accountsTable();
        List<DataType.Field> schema = List.of(ACCOUNTS.get(0), new DataType.Field("nickname", DataType.varchar()));
        assertThatThrownBy(() -> validate(schema, postgres.options(table)))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_COLUMN))
                .hasMessageContaining("column 'nickname' does not exist in table '" + table + "'")
                .hasMessageContaining("'balance'");
    }

    @Test
    void anUnreachableDatabaseSaysWhatToCheck() throws IOException {
        Map<String, String> options = postgres.options("t");
        options.put("url", "jdbc:postgresql://127.0.0.1:" + freePort() + "/postgres");
        options.put("connect-timeout", "2 s");
        assertThatThrownBy(() -> validate(ACCOUNTS, options))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CONNECTION_ERROR))
                .hasMessageContaining("cannot connect to PostgreSQL")
                .hasMessageContaining("'url', 'username' and 'password'");
    }

    @Test
    void aWrongPasswordIsAConnectionError() {
        String table = accountsTable();
        Map<String, String> options = postgres.options(table);
        options.put("username", "nobody");
        options.put("password", "secret-value");
        assertThatThrownBy(() -> validate(ACCOUNTS, options))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CONNECTION_ERROR))
                .hasMessageContaining("as user 'nobody'")
                .hasMessageNotContaining("secret-value");
    }

    @Test
    void anUnsupportedUrlOrTableNameIsRejected() {
        Map<String, String> options = postgres.options("t");
        options.put("url", "jdbc:sqlite:/tmp/x.db");
        assertThatThrownBy(() -> validate(ACCOUNTS, options))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION_VALUE))
                .hasMessageContaining("'jdbc:postgresql://...'");
        Map<String, String> injected = postgres.options("t; DROP TABLE x");
        assertThatThrownBy(() -> validate(ACCOUNTS, injected))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION_VALUE))
                .hasMessageContaining("'table-name'");
    }

    @Test
    void nestedTypesAreRejected() {
        String table = accountsTable();
        List<DataType.Field> schema = List.of(new DataType.Field("id", DataType.array(DataType.varchar())));
        assertThatThrownBy(() -> validate(schema, postgres.options(table)))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED))
                .hasMessageContaining("column 'id'");
    }

    @Test
    void thePasswordIsASecret() {
        assertThat(JdbcConnectorFactory.PASSWORD.secret()).isTrue();
        assertThat(new String(JdbcSettings.of(context("s", ObjectKind.TABLE, ACCOUNTS,
                Map.of("connector", "jdbc", "url", "jdbc:postgresql://h/db", "table-name", "t", "password", "pw"),
                List.of())).toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).doesNotContain("pw");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

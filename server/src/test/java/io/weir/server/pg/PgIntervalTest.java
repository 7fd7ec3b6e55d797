package io.weir.server.pg;

import io.weir.server.config.ServerConfig;
import io.weir.server.testing.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PGInterval;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Interval values over the PostgreSQL endpoint, read and sent by real clients: pgjdbc ({@link PGInterval},
 * text, binary results, parameters typed as interval and as text), and psql printing them. node-postgres
 * parses them in {@link NodePostgresTest}.
 */
class PgIntervalTest {
    @TempDir
    static Path temp;
    private static RunningServer server;

    @BeforeAll
    static void start() throws Exception {
        server = RunningServer.start(temp.resolve("data"), builder -> builder.pgPort(ServerConfig.FREE_PORT)
                .batchInterval(Duration.ofMillis(50)).parallelism(1));
        Path events = temp.resolve("events.json");
        Files.writeString(events, """
                {"id": 1, "ts": "2024-01-01 10:00:01"}
                {"id": 2, "ts": "2024-01-01 10:00:04.500"}
                {"id": 3, "ts": "2024-01-01 10:00:12"}
                """);
        try (Connection connection = connect(""); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM events (id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)"
                    + " WITH ('connector' = 'file', 'path' = '" + events + "', 'format' = 'json')");
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Connection connect(String options) throws SQLException {
        return DriverManager.getConnection(server.pgUrl() + (server.pgUrl().contains("?") ? "&" : "?") + options, "tester", "");
    }

    @Test
    void resultsAreIntervalsAsPostgresqlPrintsThem() throws Exception {
        try (Connection connection = connect(""); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT INTERVAL '90' MINUTE AS m,"
                     + " TIMESTAMP '2024-01-02 12:00:00' - TIMESTAMP '2024-01-01 10:00:00' AS d, -INTERVAL '5' SECOND AS neg,"
                     + " INTERVAL '1-2' YEAR TO MONTH AS ym, INTERVAL '3' DAY AS days, INTERVAL '1.5' SECOND AS frac,"
                     + " CAST(NULL AS TIMESTAMP) - TIMESTAMP '2024-01-01 00:00:00' AS n")) {
            assertThat(rows.next()).isTrue();
            List<String> texts = new ArrayList<>();
            for (int i = 1; i <= 7; i++) {
                texts.add(rows.getString(i));
                assertThat(rows.getMetaData().getColumnTypeName(i)).isEqualTo("interval");
                assertThat(rows.getMetaData().getColumnType(i)).isEqualTo(Types.OTHER);
            }
            assertThat(texts).containsExactly("01:30:00", "1 day 02:00:00", "-00:00:05", "1 year 2 mons", "3 days", "00:00:01.5", null);
            assertThat(rows.getObject(1)).isEqualTo(new PGInterval(0, 0, 0, 1, 30, 0));
            assertThat(rows.getObject(2)).isEqualTo(new PGInterval(0, 0, 1, 2, 0, 0));
            assertThat(rows.getObject(3)).isEqualTo(new PGInterval(0, 0, 0, 0, 0, -5));
            assertThat(rows.getObject(4)).isEqualTo(new PGInterval(1, 2, 0, 0, 0, 0));
            assertThat(((PGInterval) rows.getObject(6)).getSeconds()).isEqualTo(1.5);
            assertThat(rows.getObject(7)).isNull();
        }
    }

    @Test
    void postgresqlsIntervalLiteralsAndCastsBecomeStandardLiterals() throws Exception {
        try (Connection connection = connect(""); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT '5 minutes'::interval AS a, interval '1 day 02:00:00' AS b,"
                     + " '@ 90 mins ago'::INTERVAL AS c, 'PT1H30M'::pg_catalog.interval AS d, interval '1 year 2 months' AS e,"
                     + " CURRENT_TIMESTAMP - '5 minutes'::interval < CURRENT_TIMESTAMP AS f, INTERVAL '5' MINUTE AS g")) {
            assertThat(rows.next()).isTrue();
            assertThat(List.of(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                    rows.getString(6), rows.getString(7)))
                    .containsExactly("00:05:00", "1 day 02:00:00", "-01:30:00", "01:30:00", "1 year 2 mons", "t", "00:05:00");
        }
    }

    @Test
    void anIntervalOfMonthsAndDaysIsRefusedWithItsPosition() throws Exception {
        try (Connection connection = connect(""); Statement statement = connection.createStatement()) {
            SQLException mixed = catchThrowableOfType(SQLException.class,
                    () -> statement.executeQuery("SELECT 1 AS x, '1 mon 2 days'::interval AS y"));
            assertThat(mixed.getSQLState()).isEqualTo("22007");
            assertThat(mixed.getMessage()).contains("'1 mon 2 days' mixes months with days or time").contains("Position: 16");
            SQLException typo = catchThrowableOfType(SQLException.class,
                    () -> statement.executeQuery("SELECT interval '5 minutez' AS y"));
            assertThat(typo.getSQLState()).isEqualTo("22007");
            assertThat(typo.getMessage()).contains("invalid interval '5 minutez': unknown unit 'minutez'").contains("Position: 8");
            try (ResultSet rows = statement.executeQuery("SELECT 1 AS still_here")) {
                assertThat(rows.next()).isTrue();
            }
        }
    }

    @Test
    void intervalParametersTypedAsIntervalOrAsTextOrInferred() throws Exception {
        try (Connection connection = connect("stringtype=unspecified");
             PreparedStatement typed = connection.prepareStatement("SELECT ?::interval AS i");
             PreparedStatement since = connection.prepareStatement("SELECT TIMESTAMP '2024-01-01 10:00:00' - ? AS t");
             PreparedStatement sinceText = connection.prepareStatement("SELECT TIMESTAMP '2024-01-01 10:00:00' - ?::interval AS t");
             PreparedStatement compared = connection.prepareStatement("SELECT id FROM (VALUES (1, INTERVAL '30' SECOND),"
                     + " (2, INTERVAL '2' HOUR)) AS v (id, d) WHERE d < ? ORDER BY id")) {
            // a PGInterval goes as type interval (OID 1186), in text
            typed.setObject(1, new PGInterval(0, 0, 1, 2, 3, 4.5));
            assertThat(single(typed)).isEqualTo("1 day 02:03:04.5");
            for (String text : List.of("5 minutes", "@ 5 mins", "PT5M", "00:05:00", "300")) {
                typed.setString(1, text);
                assertThat(single(typed)).as(text).isEqualTo("00:05:00");
            }
            // a PGInterval subtracted from a timestamp; text needs ::interval (as in PostgreSQL, where ts - $1 is ts - ts)
            since.setObject(1, new PGInterval(0, 0, 0, 0, 90, 0.25));
            assertThat(single(since)).isEqualTo("2024-01-01 08:29:59.75");
            sinceText.setString(1, "1 day");
            assertThat(single(sinceText)).isEqualTo("2023-12-31 10:00:00");
            compared.setObject(1, new PGInterval("1 hour"));
            assertThat(single(compared)).isEqualTo("1");

            typed.setObject(1, new PGInterval(0, 1, 0, 0, 0, 0));
            SQLException months = catchThrowableOfType(SQLException.class, () -> single(typed));
            assertThat(months.getSQLState()).isEqualTo("22007");
            assertThat(months.getMessage()).contains("has months, whose length varies");
            typed.setString(1, "soon");
            assertThat(catchThrowableOfType(SQLException.class, () -> single(typed)).getMessage())
                    .contains("Parameter $1 is not a valid INTERVAL DAY TO SECOND: invalid interval 'soon'");
        }
    }

    @Test
    void repeatedExecutionsAndBinaryResultsKeepTheValue() throws Exception {
        // pgjdbc switches to a named statement with binary results after prepareThreshold executions
        try (Connection connection = connect("prepareThreshold=2");
             PreparedStatement statement = connection.prepareStatement("SELECT INTERVAL '90' MINUTE * ? AS i")) {
            for (int n = 1; n <= 4; n++) {
                statement.setInt(1, n);
                try (ResultSet rows = statement.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getObject(1)).isEqualTo(new PGInterval(0, 0, 0, 90 * n / 60, 90 * n % 60, 0));
                }
            }
        }
        // binaryTransferEnable asks for intervals in binary: microseconds, days, months as PostgreSQL sends them
        try (Connection connection = connect("prepareThreshold=-1&binaryTransferEnable=1186");
             PreparedStatement statement = connection.prepareStatement("SELECT TIMESTAMP '2024-01-02 12:00:00.25'"
                     + " - TIMESTAMP '2024-01-01 10:00:00' AS d, INTERVAL '-1-2' YEAR TO MONTH AS ym, -INTERVAL '5' SECOND AS neg")) {
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).isTrue();
                ByteBuffer d = ByteBuffer.wrap(rows.getBytes(1));
                assertThat(List.of(d.getLong(), (long) d.getInt(), (long) d.getInt())).containsExactly(7_200_250_000L, 1L, 0L);
                ByteBuffer ym = ByteBuffer.wrap(rows.getBytes(2));
                assertThat(List.of(ym.getLong(), (long) ym.getInt(), (long) ym.getInt())).containsExactly(0L, 0L, -14L);
                ByteBuffer neg = ByteBuffer.wrap(rows.getBytes(3));
                assertThat(List.of(neg.getLong(), (long) neg.getInt(), (long) neg.getInt())).containsExactly(-5_000_000L, 0L, 0L);
            }
        }
    }

    @Test
    void continuousQueriesOverWindowsHaveIntervalColumns() throws Exception {
        try (Connection connection = connect("");
             Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT STREAM window_start, window_end - window_start AS len,"
                    + " MAX(ts) - MIN(ts) AS span FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '10' SECOND))"
                    + " GROUP BY window_start, window_end")) {
                List<String> seen = new ArrayList<>();
                while (seen.size() < 2 && rows.next()) {
                    seen.add(rows.getString(1) + " " + rows.getObject(2) + " " + rows.getString(3));
                }
                assertThat(seen).containsExactlyInAnyOrder("2024-01-01 10:00:00 " + new PGInterval(0, 0, 0, 0, 0, 10) + " 00:00:03.5",
                        "2024-01-01 10:00:10 " + new PGInterval(0, 0, 0, 0, 0, 10) + " 00:00:00");
            }
        }
    }

    private static String single(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    @Test
    void psqlPrintsIntervals() throws Exception {
        Optional<Path> psql = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(directory -> Path.of(directory, "psql")).filter(Files::isExecutable).findFirst();
        assumeTrue(psql.isPresent(), "psql is not installed (Debian: apt-get install postgresql-client); .ci/run installs it");
        ProcessBuilder builder = new ProcessBuilder(psql.get().toString(), "-X", "-A", "-h", "127.0.0.1", "-p",
                Integer.toString(server.pgPort()), "-U", "tester", "-d", "weir",
                "-c", "SELECT INTERVAL '90' MINUTE AS m, '1 year 2 months'::interval AS ym, -INTERVAL '5' SECOND AS neg",
                "-c", "SELECT CURRENT_TIMESTAMP - '5 minutes'::interval < CURRENT_TIMESTAMP AS earlier",
                "-c", "SELECT '1 mon 1 day'::interval").redirectErrorStream(true);
        builder.environment().put("PGCONNECT_TIMEOUT", "10");
        builder.environment().remove("PGPASSWORD");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(output.lines().toList()).as(output).contains("m|ym|neg", "01:30:00|1 year 2 mons|-00:00:05", "earlier", "t");
        assertThat(output).contains("ERROR:  the interval '1 mon 1 day' mixes months with days or time", "LINE 1: SELECT '1 mon 1 day'::interval");
    }
}

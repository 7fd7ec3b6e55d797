package io.weir.server.isolation;

import io.weir.server.config.ServerConfig;
import io.weir.server.launcher.WeirServer;
import io.weir.server.meta.WeirMeta;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two real servers in one JVM, each over its own data directory, with objects of the same names: a
 * materialized view over an {@code http} stream with a write-ahead log, and an {@code http} stream
 * without one (its in-memory channel). Each server sees only what was posted to it, and one server
 * closing leaves the other working.
 */
@Timeout(120)
class TwoServersInOneJvmTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path temp;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Each server's client connections, closed before it. */
    private final Map<WeirServer, List<Connection>> servers = new LinkedHashMap<>();

    @AfterEach
    void closeAll() throws SQLException {
        for (WeirServer server : List.copyOf(servers.keySet())) {
            close(server);
        }
    }

    @Test
    void eachServerSeesOnlyItsOwnRowsAndOutlivesTheOther() throws Exception {
        WeirServer first = start(temp.resolve("first"));
        WeirServer second = start(temp.resolve("second"));
        for (WeirServer server : List.of(first, second)) {
            execute(server, "CREATE STREAM readings (sensor VARCHAR, temp DOUBLE) WITH ('connector' = 'http', 'format' = 'json',"
                    + " 'scan.startup.mode' = 'earliest')");
            execute(server, "CREATE STREAM pings (sensor VARCHAR) WITH ('connector' = 'http', 'format' = 'json', 'wal' = 'false')");
            execute(server, "CREATE MATERIALIZED VIEW totals AS SELECT sensor, COUNT(*) AS n, SUM(temp) AS total FROM readings"
                    + " GROUP BY sensor");
        }
        ResultSet firstPings = query(first, "SELECT STREAM sensor FROM pings");
        ResultSet secondPings = query(second, "SELECT STREAM sensor FROM pings");

        post(first, "readings", "{\"sensor\": \"a\", \"temp\": 1}\n{\"sensor\": \"a\", \"temp\": 2}\n{\"sensor\": \"b\", \"temp\": 3}");
        post(second, "readings", "{\"sensor\": \"x\", \"temp\": 10}");

        awaitTotals(first, "a n=2 total=3.0", "b n=1 total=3.0");
        awaitTotals(second, "x n=1 total=10.0");
        // the view of each holds only what was posted to it
        assertThat(rows(first, "SELECT COUNT(*) FROM totals")).containsExactly("2");
        assertThat(rows(second, "SELECT COUNT(*) FROM totals")).containsExactly("1");

        // the channels of the two 'pings' streams are apart too
        assertThat(readPosted(first, firstPings, "first-ping")).containsOnly("first-ping");
        assertThat(readPosted(second, secondPings, "second-ping")).containsOnly("second-ping");

        close(first);

        post(second, "readings", "{\"sensor\": \"x\", \"temp\": 5}\n{\"sensor\": \"y\", \"temp\": 1}");
        awaitTotals(second, "x n=2 total=15.0", "y n=1 total=1.0");
        assertThat(readPosted(second, secondPings, "second-still-here"))
                .allSatisfy(sensor -> assertThat(sensor).isIn("second-ping", "second-still-here"));

        // the first server again, over its own data directory: its view is computed from its own log again
        WeirServer restarted = start(temp.resolve("first"));
        awaitTotals(restarted, "a n=2 total=3.0", "b n=1 total=3.0");
        // dropping its view forgets its rows only
        execute(restarted, "DROP MATERIALIZED VIEW totals");
        awaitTotals(second, "x n=2 total=15.0", "y n=1 total=1.0");
    }

    private WeirServer start(Path dataDir) throws IOException {
        ServerConfig config = ServerConfig.builder().bindAddress("127.0.0.1").port(0).pgPort(0).dataDir(dataDir)
                .batchInterval(Duration.ofMillis(50)).build();
        WeirServer server = WeirServer.start(config, new WeirMeta(config));
        servers.put(server, new ArrayList<>());
        return server;
    }

    private void close(WeirServer server) throws SQLException {
        try {
            for (Connection connection : servers.get(server)) {
                connection.close();
            }
        } finally {
            servers.remove(server);
            server.close();
        }
    }

    private void awaitTotals(WeirServer server, String... expected) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).ignoreExceptions().untilAsserted(() ->
                assertThat(rows(server, "SELECT sensor, n, total FROM totals ORDER BY sensor"))
                        .containsExactly(expected));
    }

    /**
     * Posts {@code sensor} to the {@code pings} stream until {@code reader}'s query reads it (a live reader
     * starts where the stream is when it first polls); returns what the query read meanwhile.
     */
    private List<String> readPosted(WeirServer server, ResultSet reader, String sensor) throws Exception {
        Thread poster = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    post(server, "pings", "{\"sensor\": \"" + sensor + "\"}");
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "poster-" + sensor);
        poster.start();
        try {
            List<String> read = new ArrayList<>();
            while (!read.contains(sensor)) {
                assertThat(reader.next()).isTrue();
                read.add(reader.getString(1));
            }
            return read;
        } finally {
            poster.interrupt();
            poster.join();
        }
    }

    private static List<String> rows(WeirServer server, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                StringBuilder row = new StringBuilder(rows.getString(1));
                for (int i = 2; i <= columns; i++) {
                    row.append(' ').append(rows.getMetaData().getColumnLabel(i)).append('=').append(rows.getString(i));
                }
                values.add(row.toString());
            }
            return values;
        }
    }

    private static void execute(WeirServer server, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** A continuous query on a connection of its own, closed with the server or after the test. */
    private ResultSet query(WeirServer server, String sql) throws SQLException {
        Connection connection = DriverManager.getConnection(server.jdbcUrl());
        servers.get(server).add(connection);
        return connection.createStatement().executeQuery(sql);
    }

    private void post(WeirServer server, String stream, String body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/ingest/" + stream))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}

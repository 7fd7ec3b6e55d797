package io.weir.server.meta;

import io.weir.spi.connector.memory.InMemoryData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** INSERT INTO ... SELECT STREAM as persistent queries, through a real server and JDBC. */
class PersistentQueryTest {

    @TempDir
    Path dataDir;
    @TempDir
    Path files;
    private EngineServer server;

    @BeforeEach
    void start() throws IOException {
        server = EngineServer.start(dataDir, "50 ms");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Connection connect() throws SQLException {
        return server.connect();
    }

    @Test
    void keepsRunningAfterTheClientLeavesAndAfterARestartUntilStopped() throws Exception {
        InMemoryData.register("pq_events", List.of(), false);
        InMemoryData.register("pq_counts", List.of(), false);
        String id;
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM events (id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '0' SECOND)"
                    + " WITH ('connector' = 'memory', 'data' = 'pq_events')");
            statement.execute("CREATE STREAM counts (window_end TIMESTAMP(3), n BIGINT)"
                    + " WITH ('connector' = 'memory', 'data' = 'pq_counts')");
            try (ResultSet started = statement.executeQuery("INSERT INTO counts SELECT STREAM TUMBLE_END(ts, INTERVAL '1' SECOND),"
                    + " COUNT(*) FROM events GROUP BY TUMBLE(ts, INTERVAL '1' SECOND)")) {
                assertThat(started.next()).isTrue();
                id = started.getString("query_id");
                assertThat(started.getString("sink")).isEqualTo("counts");
                assertThat(started.getString("state")).isEqualTo("RUNNING");
            }
        }
        // The client is gone; the query is not.
        InMemoryData.append("pq_events", List.of(new Object[] {1L, 1_000L}, new Object[] {2L, 1_500L},
                new Object[] {3L, 2_100L}));
        EngineServer.await(() -> InMemoryData.rows("pq_counts").size() == 1);
        assertThat(InMemoryData.rows("pq_counts").get(0)).containsExactly(2_000L, 2L);
        assertThat(queries()).anySatisfy(row -> assertThat(row).startsWith(id, "PERSISTENT").contains("RUNNING"));

        server.restart();
        assertThat(queries()).anySatisfy(row -> assertThat(row).startsWith(id, "PERSISTENT").contains("RUNNING"));
        InMemoryData.append("pq_events", List.<Object[]>of(new Object[] {4L, 3_200L}));
        // The memory source does not resume: the restarted query reads the data set again, so the
        // window [1 s, 2 s) comes again and [2 s, 3 s) closes.
        EngineServer.await(() -> InMemoryData.rows("pq_counts").stream().anyMatch(row -> row[0].equals(3_000L)));

        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            try (ResultSet stopped = statement.executeQuery("STOP QUERY '" + id + "'")) {
                assertThat(stopped.next()).isTrue();
                assertThat(stopped.getString("query_id")).isEqualTo(id);
                assertThat(stopped.getString("kind")).isEqualTo("PERSISTENT");
                assertThat(stopped.getString("state")).isEqualTo("CANCELLED");
                assertThat(stopped.getString("message")).contains("Stopped persistent query '" + id + "'")
                        .contains("sink writer and source readers are closed");
                assertThat(stopped.next()).isFalse();
            }
            assertThatThrownBy(() -> statement.execute("STOP QUERY '" + id + "'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("no running query");
        }
        assertThat(queries()).noneSatisfy(row -> assertThat(row[0]).isEqualTo(id));
        server.restart();
        assertThat(queries()).noneSatisfy(row -> assertThat(row[0]).isEqualTo(id));
    }

    @Test
    void writesABoundedFileThroughTheFileSinkAndFinishes() throws Exception {
        Path input = files.resolve("in.jsonl");
        Files.writeString(input, """
                {"user": "ann", "amount": 5, "ts": "2026-01-01 00:00:01"}
                {"user": "bob", "amount": 7, "ts": "2026-01-01 00:00:02"}
                {"user": "ann", "amount": 1, "ts": "2026-01-01 00:00:11"}
                """);
        Path output = files.resolve("out");
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM payments (\"user\" VARCHAR, amount INT, ts TIMESTAMP(3),"
                    + " WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)"
                    + " WITH ('connector' = 'file', 'path' = '" + input + "', 'format' = 'json')");
            statement.execute("CREATE STREAM totals (\"user\" VARCHAR, window_start TIMESTAMP(3), total BIGINT)"
                    + " WITH ('connector' = 'file', 'path' = '" + output + "', 'format' = 'json')");
            // columns named, in another order than the sink's; amounts cast from INT sums
            statement.execute("INSERT INTO totals (window_start, \"user\", total) SELECT STREAM window_start, \"user\", SUM(amount)"
                    + " FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(ts), INTERVAL '10' SECOND))"
                    + " GROUP BY window_start, window_end, \"user\"");
        }
        EngineServer.await(() -> visibleLines(output).size() == 3);
        assertThat(visibleLines(output)).containsExactlyInAnyOrder(
                "{\"user\":\"ann\",\"window_start\":\"2026-01-01 00:00:00.000\",\"total\":5}",
                "{\"user\":\"bob\",\"window_start\":\"2026-01-01 00:00:00.000\",\"total\":7}",
                "{\"user\":\"ann\",\"window_start\":\"2026-01-01 00:00:10.000\",\"total\":1}");
        EngineServer.await(() -> EngineServer.unchecked(() -> queries()).stream().anyMatch(row -> row[1].equals("PERSISTENT") && row[3].equals("FINISHED")));
    }

    @Test
    void aFailingQueryIsRetriedWhileTheOthersKeepRunning() throws Exception {
        InMemoryData.register("pq_alerts_in", List.of(), false);
        InMemoryData.register("pq_copy", List.of(), false);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM readings (sensor VARCHAR, reading DOUBLE) WITH ('connector' = 'memory', 'data' = 'pq_alerts_in')");
            statement.execute("CREATE STREAM alerts (sensor VARCHAR, reading DOUBLE) WITH ('connector' = 'webhook',"
                    + " 'url' = 'http://127.0.0.1:" + closedPort + "/alerts', 'retry.max-attempts' = '1')");
            statement.execute("CREATE STREAM copy (sensor VARCHAR, reading DOUBLE) WITH ('connector' = 'memory', 'data' = 'pq_copy')");
            statement.execute("INSERT INTO alerts SELECT STREAM sensor, reading FROM readings WHERE reading > 100");
            statement.execute("INSERT INTO copy SELECT STREAM * FROM readings");
        }
        InMemoryData.append("pq_alerts_in", "s1", 150.0);
        EngineServer.await(() -> EngineServer.unchecked(() -> queries()).stream().anyMatch(row -> row[3].equals("RETRYING")));
        Object[] failed = queries().stream().filter(row -> row[3].equals("RETRYING")).findFirst().orElseThrow();
        assertThat((String) failed[2]).startsWith("INSERT INTO alerts");
        assertThat((String) failed[9]).contains("127.0.0.1:" + closedPort);
        assertThat((Long) failed[14]).isGreaterThanOrEqualTo(1L); // failed attempts
        // each attempt fails again: the count grows (a restored checkpoint's batches do not count as running)
        EngineServer.await(() -> EngineServer.unchecked(() -> queries()).stream()
                .anyMatch(row -> row[3].equals("RETRYING") && (Long) row[14] >= 2));
        InMemoryData.append("pq_alerts_in", "s2", 1.0);
        EngineServer.await(() -> InMemoryData.rows("pq_copy").size() == 2);
        assertThat(queries()).anySatisfy(row -> assertThat(row).startsWith(row[0], "PERSISTENT", "INSERT INTO copy SELECT STREAM * FROM readings", "RUNNING"));
    }

    /**
     * A sink blocked on an endpoint that never answers (the query's thread waits in flush) does not hold
     * STOP QUERY up: the query is interrupted, STOP returns once it has stopped, and its connection to
     * the endpoint is closed.
     */
    @Test
    void stopQueryReturnsOnceAQueryBlockedInItsSinkHasStoppedAndClosesWhatItOwned() throws Exception {
        InMemoryData.register("pq_hang_in", List.of(), false);
        try (SilentEndpoint endpoint = SilentEndpoint.start()) {
            String id = startBlockedInItsSink(endpoint);

            long stopping = System.nanoTime();
            try (Connection connection = connect(); Statement statement = connection.createStatement();
                 ResultSet stopped = statement.executeQuery("STOP QUERY '" + id + "'")) {
                assertThat(stopped.next()).isTrue();
                assertThat(stopped.getString("query_id")).isEqualTo(id);
                assertThat(stopped.getString("state")).isEqualTo("CANCELLED");
                assertThat(stopped.getLong("rows_in")).isEqualTo(1);
                assertThat(stopped.getString("message")).contains("sink writer and source readers are closed");
            }
            System.out.printf("STOP QUERY of a query blocked in its sink returned after %d ms%n",
                    (System.nanoTime() - stopping) / 1_000_000);
            // the query's HTTP connection is closed, not left to its 10-minute time-out
            assertThat(endpoint.closedByClient.get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(queries()).noneSatisfy(row -> assertThat(row[0]).isEqualTo(id));
            assertThat(server.engine().runningQueries()).doesNotContain(id);
        }
    }

    /**
     * DROP ... CASCADE stops the queries that depend on the object as STOP QUERY does: a query blocked in
     * its sink is interrupted, so the drop answers with its rows once the query has stopped and closed its
     * connection, rather than waiting for the sink.
     */
    @Test
    void dropCascadeStopsAQueryBlockedInItsSinkAndAnswersWithWhatItStoppedAndDropped() throws Exception {
        InMemoryData.register("pq_hang_in", List.of(), false);
        try (SilentEndpoint endpoint = SilentEndpoint.start()) {
            String id = startBlockedInItsSink(endpoint);
            List<List<Object>> rows = new ArrayList<>();
            long dropping = System.nanoTime();
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE VIEW hot AS SELECT STREAM sensor FROM hang_in WHERE reading > 100");
                assertThatThrownBy(() -> statement.execute("DROP STREAM hang_in"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("2BP01"));
                dropping = System.nanoTime();
                try (ResultSet dropped = statement.executeQuery("DROP STREAM hang_in CASCADE")) {
                    while (dropped.next()) {
                        rows.add(List.of(dropped.getString("action"), dropped.getString("kind"), dropped.getString("name")));
                    }
                }
            }
            System.out.printf("DROP STREAM ... CASCADE of a stream whose query is blocked in its sink returned after %d ms%n",
                    (System.nanoTime() - dropping) / 1_000_000);
            assertThat(rows).containsExactly(List.of("stopped", "persistent query", id), List.of("dropped", "view", "hot"),
                    List.of("dropped", "stream", "hang_in"));
            assertThat(endpoint.closedByClient.get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(queries()).noneSatisfy(row -> assertThat(row[0]).isEqualTo(id));
            assertThat(server.engine().runningQueries()).doesNotContain(id);
        }
    }

    /** STOP QUERY and DROP ... CASCADE answer with rows, and a batch of statements may still contain them. */
    @Test
    void aBatchMayStopQueriesAndDropWithCascade() throws Exception {
        InMemoryData.register("pq_batch_in", List.of(), false);
        InMemoryData.register("pq_batch_out", List.of(), false);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM batch_in (id BIGINT) WITH ('connector' = 'memory', 'data' = 'pq_batch_in')");
            statement.execute("CREATE STREAM batch_out (id BIGINT) WITH ('connector' = 'memory', 'data' = 'pq_batch_out')");
            String first;
            try (ResultSet started = statement.executeQuery("INSERT INTO batch_out SELECT STREAM id FROM batch_in")) {
                assertThat(started.next()).isTrue();
                first = started.getString("query_id");
            }
            statement.execute("INSERT INTO batch_out SELECT STREAM id * 2 FROM batch_in");
            statement.addBatch("STOP QUERY '" + first + "'");
            statement.addBatch("DROP STREAM batch_in CASCADE");
            assertThat(statement.executeBatch()).containsExactly(0, 0);
        }
        assertThat(queries()).isEmpty();
    }

    /** Starts a query from memory data set {@code pq_hang_in} into the endpoint, and a row it waits to write. */
    private String startBlockedInItsSink(SilentEndpoint endpoint) throws Exception {
        String id;
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM hang_in (sensor VARCHAR, reading DOUBLE) WITH ('connector' = 'memory',"
                    + " 'data' = 'pq_hang_in')");
            statement.execute("CREATE STREAM hang_out (sensor VARCHAR, reading DOUBLE) WITH ('connector' = 'webhook',"
                    + " 'url' = 'http://127.0.0.1:" + endpoint.port() + "/hook', 'request.timeout' = '10 min')");
            try (ResultSet started = statement.executeQuery("INSERT INTO hang_out SELECT STREAM * FROM hang_in")) {
                assertThat(started.next()).isTrue();
                id = started.getString("query_id");
            }
        }
        InMemoryData.append("pq_hang_in", "s1", 1.0);
        // the request is out, unanswered
        assertThat(endpoint.requestBytes.get(30, java.util.concurrent.TimeUnit.SECONDS)).isPositive();
        return id;
    }

    /** An HTTP endpoint that reads requests and never answers, until its client closes the connection. */
    private static final class SilentEndpoint implements AutoCloseable {
        private final ServerSocket socket;
        final java.util.concurrent.CompletableFuture<Long> requestBytes = new java.util.concurrent.CompletableFuture<>();
        final java.util.concurrent.CompletableFuture<Boolean> closedByClient = new java.util.concurrent.CompletableFuture<>();

        private SilentEndpoint(ServerSocket socket) {
            this.socket = socket;
        }

        static SilentEndpoint start() throws IOException {
            SilentEndpoint endpoint = new SilentEndpoint(new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress()));
            Thread silent = new Thread(endpoint::serve, "silent-endpoint");
            silent.setDaemon(true);
            silent.start();
            return endpoint;
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            try (java.net.Socket client = socket.accept(); java.io.InputStream in = client.getInputStream()) {
                byte[] buffer = new byte[8192];
                long read = 0;
                int n;
                while ((n = in.read(buffer)) >= 0) { // never answers; reads until the client closes
                    read += n;
                    requestBytes.complete(read);
                }
                closedByClient.complete(true);
            } catch (IOException e) {
                closedByClient.completeExceptionally(e);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void badInsertsAreRejectedWithTheirPosition() throws Exception {
        InMemoryData.register("pq_bad", List.of(), false);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM src (a BIGINT, b VARCHAR) WITH ('connector' = 'memory', 'data' = 'pq_bad')");
            statement.execute("CREATE STREAM gen (a BIGINT) WITH ('connector' = 'datagen')");
            statement.execute("CREATE STREAM two (a BIGINT, b VARCHAR) WITH ('connector' = 'memory', 'data' = 'pq_bad')");
            assertThatThrownBy(() -> statement.execute("INSERT INTO nowhere SELECT STREAM a FROM src"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).startsWith("42");
                        assertThat(e.getMessage()).contains("line 1, column 13").contains("'nowhere' does not exist");
                    });
            assertThatThrownBy(() -> statement.execute("INSERT INTO gen SELECT STREAM a FROM src"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("0A000");
                        assertThat(e.getMessage()).contains("connector 'datagen'").contains("cannot be written");
                    });
            assertThatThrownBy(() -> statement.execute("INSERT INTO two SELECT STREAM a FROM src"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("has 2 columns (a, b) but the query gives 1");
            assertThatThrownBy(() -> statement.execute("INSERT INTO two SELECT STREAM a, a FROM src"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("convert it with CAST");
            assertThatThrownBy(() -> statement.execute("SELECT STREAM * FROM alerts_nowhere"))
                    .isInstanceOf(SQLException.class);
            // the connection stays usable and nothing was started
            assertThat(queries()).isEmpty();
        }
    }

    private List<Object[]> queries() throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SHOW QUERIES")) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                Object[] row = new Object[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = result.getObject(i + 1);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<String> visibleLines(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        try (Stream<Path> paths = Files.list(directory)) {
            // as Spark and Hive read a directory: files starting with '.' (in progress) or '_' (the manifest) are not data
            for (Path path : paths.filter(p -> Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")
                    && !p.getFileName().toString().startsWith("_")).sorted().toList()) {
                lines.addAll(Files.readAllLines(path));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return lines;
    }


}

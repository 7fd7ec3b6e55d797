package io.weir.server.meta;

import io.weir.server.testing.RunningServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fetches that wait for a continuous query's rows hold no request thread: with three times as many
 * push queries waiting as the server has request threads, metadata calls and plain queries are still
 * answered, and every waiting fetch is answered when its row comes.
 */
class WaitingFetchesTest {
    private static final int REQUEST_THREADS = 2;
    private static final int PUSH_QUERIES = 3 * REQUEST_THREADS;
    /** Far beyond what the calls below need; a call queued behind the waiting fetches would wait their full minute. */
    private static final Duration ANSWERED = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    private final ExecutorService clients = Executors.newCachedThreadPool();
    private final List<Connection> connections = new ArrayList<>();
    private RunningServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close(); // closes the connections of fetches still waiting after its short shutdown time-out
        }
        for (Connection connection : connections) {
            try {
                connection.close();
            } catch (SQLException e) {
                // the server is gone already
            }
        }
        clients.shutdownNow();
    }

    @Test
    void metadataAndPullQueriesAreAnsweredWhileMorePushQueriesWaitThanThereAreRequestThreads() throws Exception {
        server = RunningServer.start(temp.resolve("data"),
                builder -> builder.requestThreads(REQUEST_THREADS).maxFetchWait(Duration.ofSeconds(60))
                        .shutdownTimeout(Duration.ofSeconds(1)));
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM quiet (n BIGINT) WITH ('connector' = 'http', 'format' = 'json')");
        }
        List<Future<Long>> firstRows = new ArrayList<>();
        for (int i = 0; i < PUSH_QUERIES; i++) {
            Connection connection = DriverManager.getConnection(server.jdbcUrl());
            connections.add(connection);
            firstRows.add(clients.submit(() -> {
                ResultSet rows = connection.createStatement().executeQuery("SELECT STREAM n FROM quiet");
                return rows.next() ? rows.getLong(1) : -1L;
            }));
        }
        await().atMost(ANSWERED).until(() -> server.context().queries().waitingFetches() == PUSH_QUERIES);

        Future<String> table = clients.submit(() -> {
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
                 ResultSet tables = connection.getMetaData().getTables(null, null, "quiet", null)) {
                return tables.next() ? tables.getString("TABLE_NAME") : null;
            }
        });
        assertThat(table).succeedsWithin(ANSWERED).isEqualTo("quiet");
        Future<Long> running = clients.submit(() -> {
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM sys.queries WHERE kind = 'PUSH' AND ended IS NULL")) {
                rows.next();
                return rows.getLong(1);
            }
        });
        assertThat(running).succeedsWithin(ANSWERED).isEqualTo((long) PUSH_QUERIES);
        assertThat(server.context().queries().waitingFetches()).isEqualTo(PUSH_QUERIES);
        assertThat(firstRows).noneMatch(Future::isDone);

        HttpResponse<String> posted = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/ingest/quiet"))
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"n\": 42}\n")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(200);
        for (Future<Long> first : firstRows) {
            assertThat(first).succeedsWithin(ANSWERED).isEqualTo(42L);
        }
    }
}

package io.weir.server.meta;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code Statement.cancel()} on a continuous query whose next row is a minute away (the quickstart's
 * per-minute error rate), through a real server and both JDBC drivers: Weir's driver stops the query
 * on the server and the blocked {@code next()} throws SQLSTATE 57014 at once; the stock Avatica driver,
 * which has no way to tell the server, sees the cancel at its next row.
 */
class QueryCancelTest {
    /** Generous for a loaded CI machine; the design is immediate (a round trip and a 100 ms stop grace). */
    private static final Duration CANCEL_BOUND = Duration.ofSeconds(5);
    private static final String PER_MINUTE = """
            SELECT STREAM TUMBLE_END(ts, INTERVAL '1' MINUTE) AS minute_end, COUNT(*) AS requests,
                   SUM(CASE WHEN status >= 500 THEN 1 ELSE 0 END) AS errors
            FROM weblogs
            GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE)""";

    @TempDir
    Path dataDir;
    private EngineServer server;
    private final ExecutorService reader = Executors.newSingleThreadExecutor();

    @BeforeEach
    void start() throws IOException, SQLException {
        server = EngineServer.start(dataDir, "100 ms");
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM weblogs (ip VARCHAR, \"user\" VARCHAR, method VARCHAR, url VARCHAR,"
                    + " status INT, bytes BIGINT, latency INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)"
                    + " WITH ('connector' = 'datagen', 'profile' = 'weblogs', 'rows-per-second' = '100')");
        }
    }

    @AfterEach
    void stop() {
        reader.shutdownNow();
        server.close();
    }

    private Connection connectStock() throws SQLException {
        return DriverManager.getConnection("jdbc:avatica:remote:url=http://127.0.0.1:" + server.port()
                + ";serialization=PROTOBUF");
    }

    @Test
    void weirDriverCancelStopsTheQueryAndTheBlockedNextThrows57014() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            ResultSet rows = statement.executeQuery(PER_MINUTE);
            Future<Boolean> next = reader.submit(rows::next);
            awaitBlockedFetch();
            assertThat(pushQueries()).hasSize(1);

            long cancelled = System.nanoTime();
            statement.cancel();
            assertCancelled(next, cancelled);
            assertThatThrownBy(rows::next).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("57014"));
            await().atMost(CANCEL_BOUND).until(() -> pushQueries().isEmpty());
            assertThat(server.engine().runningQueries()).isEmpty();
            try (Statement admin = connection.createStatement();
                 ResultSet ended = admin.executeQuery("SELECT state FROM sys.queries WHERE kind = 'PUSH' AND ended IS NOT NULL")) {
                assertThat(ended.next()).isTrue();
                assertThat(ended.getString(1)).isEqualTo("CANCELLED");
            }

            // The statement stays usable: executing it again starts the query afresh.
            try (ResultSet again = statement.executeQuery(PER_MINUTE)) {
                assertThat(again.getMetaData().getColumnCount()).isEqualTo(3);
                await().atMost(CANCEL_BOUND).until(() -> pushQueries().size() == 1);
            }
            await().atMost(CANCEL_BOUND).until(() -> pushQueries().isEmpty());
        }
    }

    @Test
    void weirDriverCancelOfAPreparedStatementAndItsNextExecution() throws Exception {
        try (Connection connection = server.connect(); PreparedStatement statement = connection.prepareStatement(PER_MINUTE)) {
            ResultSet rows = statement.executeQuery();
            Future<Boolean> next = reader.submit(rows::next);
            awaitBlockedFetch();
            long cancelled = System.nanoTime();
            statement.cancel();
            assertCancelled(next, cancelled);
            await().atMost(CANCEL_BOUND).until(() -> pushQueries().isEmpty());

            // the server closed the statement; executing it again prepares it again from its SQL
            ResultSet again = statement.executeQuery();
            Future<Boolean> secondNext = reader.submit(again::next);
            awaitBlockedFetch();
            long cancelledAgain = System.nanoTime();
            statement.cancel();
            assertCancelled(secondNext, cancelledAgain);
            await().atMost(CANCEL_BOUND).until(() -> pushQueries().isEmpty());
        }
    }

    @Test
    void cancelBeforeAnyFetchAndTwiceIsHarmless() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            ResultSet rows = statement.executeQuery(PER_MINUTE);
            statement.cancel();
            statement.cancel();
            assertThatThrownBy(rows::next).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("57014"));
            await().atMost(CANCEL_BOUND).until(() -> pushQueries().isEmpty());
            // a bounded statement on the same connection runs as usual
            try (ResultSet one = statement.executeQuery("SELECT 1")) {
                assertThat(one.next()).isTrue();
                assertThat(one.getInt(1)).isEqualTo(1);
            }
        }
    }

    /**
     * The stock driver: the protocol has no cancel request, so cancel() only sets the driver's flag, which
     * {@code next()} checks before it waits for a row; closing the Statement is what stops the query.
     */
    @Test
    void stockDriverSeesTheCancelAtItsNextCallAndClosingTheStatementStopsTheQuery() throws Exception {
        try (Connection connection = connectStock()) {
            Statement statement = connection.createStatement();
            // the stock driver's executeQuery waits for the first row: one a second here
            ResultSet rows = statement.executeQuery("SELECT STREAM TUMBLE_END(ts, INTERVAL '1' SECOND) AS second_end,"
                    + " COUNT(*) AS requests FROM weblogs GROUP BY TUMBLE(ts, INTERVAL '1' SECOND)");
            assertThat(rows.next()).isTrue();
            statement.cancel();
            assertThatThrownBy(rows::next).isInstanceOf(SQLException.class).hasMessageContaining("canceled");
            assertThat(pushQueries()).as("the server is not told").hasSize(1);
            statement.close();
            await().atMost(CANCEL_BOUND).until(() -> pushQueries().isEmpty());
        }
    }

    /**
     * The stock driver holds the statement's lock while its executeQuery waits for the first row, so
     * neither cancel() nor close() can interrupt that wait; STOP QUERY from another connection can.
     */
    @Test
    void stopQueryEndsAStockDriverQueryWaitingForItsFirstRow() throws Exception {
        try (Connection connection = connectStock(); Statement statement = connection.createStatement()) {
            Future<Boolean> first = reader.submit(() -> statement.executeQuery(PER_MINUTE).next());
            await().atMost(CANCEL_BOUND).until(() -> server.meta().context().queries().waitingFetches() == 1);
            String id = pushQueries().get(0);
            long stopped = System.nanoTime();
            try (Connection admin = server.connect(); Statement stop = admin.createStatement();
                 ResultSet result = stop.executeQuery("STOP QUERY '" + id + "'")) {
                assertThat(result.next()).isTrue();
                assertThat(result.getString("message")).contains("Stopped query '" + id + "'");
            }
            assertThatThrownBy(() -> first.get(CANCEL_BOUND.toMillis(), TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("57014");
                        assertThat(e.getMessage()).contains("was stopped: STOP QUERY was run");
                    });
            System.out.printf("stock driver: STOP QUERY to the exception in the blocked executeQuery: %d ms%n",
                    (System.nanoTime() - stopped) / 1_000_000);
            assertThat(pushQueries()).isEmpty();
        }
    }

    /** Waits until the reader thread's fetch is waiting on the server for rows. */
    private void awaitBlockedFetch() {
        await().atMost(CANCEL_BOUND).until(() -> server.meta().context().queries().waitingFetches() == 1);
    }

    private static void assertCancelled(Future<Boolean> next, long cancelledNanos) throws InterruptedException {
        assertThatThrownBy(() -> next.get(CANCEL_BOUND.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("57014");
                    assertThat(e.getMessage()).contains("canceled");
                });
        System.out.printf("Weir driver: cancel() to the exception in the blocked next(): %d ms%n",
                (System.nanoTime() - cancelledNanos) / 1_000_000);
    }

    /** The PUSH queries SHOW QUERIES lists. */
    private List<String> pushQueries() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection connection = server.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW QUERIES")) {
            while (rows.next()) {
                if (rows.getString("kind").equals("PUSH")) {
                    ids.add(rows.getString("query_id"));
                }
            }
        }
        return ids;
    }
}

package io.weir.server.crash;

import io.weir.server.crash.ExpectedResults.WindowRow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Crash recovery of a Flume source → materialized view: a stand-in agent ({@link FlumeStepWriter},
 * Flume's own RPC client) sends the input in batches to the stream's listener while the server, in a
 * child JVM, is killed with SIGKILL at seeded random moments and started again (its persistent
 * queries open the listener again on the same port). A batch acknowledged to the agent must be in
 * the views; one whose answer was lost to a kill is sent again, so its records may be there twice —
 * the copies the agent itself may cause, as in {@link HttpIngestCrashTest}. A record acknowledged and
 * missing, or duplicated by the server on its own, fails the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlumeCrashTest {
    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static final String STREAM = "crash_flume";

    private final CrashSettings settings = CrashSettings.fromSystemProperties();
    @TempDir
    static Path work;
    private ServerProcess server;
    private List<InputRecord> input;
    private FlumeStepWriter poster;
    private final int flumePort = freePort();

    @BeforeAll
    void runWithCrashes() throws Exception {
        long started = System.nanoTime();
        input = CrashInput.generate(settings.seed(), settings.records(), 1);
        // each restart after a kill at another parallelism: 2, 1, 3, 2, ...
        server = ServerProcess.start(work.resolve("data"), work.resolve("server.log"), List.of("--batch-interval", "100ms"),
                ServerProcess::rescaling);
        createQueries();
        poster = new FlumeStepWriter(flumePort, input.size());
        List<String> kills;
        try (InputFeeder feeder = InputFeeder.start(input, settings.feedTime(), poster)) {
            kills = CrashKills.run(settings, server, feeder::produced, input.size());
            feeder.awaitDone(settings.feedTime().multipliedBy(4).plusSeconds(30));
        }
        System.out.printf("Flume crash run: seed %d, %d records, checkpoint interval %s, %d kills in %d ms,"
                        + " %d posts unanswered:%n  %s%n", settings.seed(), settings.records(), settings.checkpointInterval(),
                settings.kills(), (System.nanoTime() - started) / 1_000_000, poster.unansweredRequests(),
                String.join("\n  ", kills));
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    void stop() {
        poster.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyAcceptedRecordIsInTheStreamOnceOrAsOftenAsItsUnansweredPostsAllow() {
        List<String> last = new ArrayList<>(List.of(""));
        Await.until("view crash_flume_copies shows every posted record, once unless a post of it went unanswered",
                settings.catchUpTimeout(), () -> {
                    String problem = copiesProblem(copies());
                    last.set(0, problem);
                    return problem.isEmpty();
                }, () -> last.get(0) + "\nserver log (" + server.log() + "), last lines:\n" + server.logTail(60));
    }

    @Test
    void theWindowedViewHoldsTheWindowsOfWhatTheServerAccepted() {
        List<List<WindowRow>> expected = new ArrayList<>(List.of(List.of()));
        List<List<WindowRow>> actual = new ArrayList<>(List.of(List.of()));
        Await.until("view crash_flume_windows equals the windows of the records the server holds", settings.catchUpTimeout(),
                () -> {
                    Map<Integer, Long> copies = copies();
                    if (!copiesProblem(copies).isEmpty()) {
                        return false;
                    }
                    expected.set(0, ExpectedResults.tumblingWindows(accepted(copies), WINDOW, record -> true));
                    actual.set(0, ViewRows.windows(server.jdbcUrl(), "crash_flume_windows"));
                    return RowDiff.sameMultiset(expected.get(0), actual.get(0));
                }, () -> RowDiff.describe(expected.get(0), actual.get(0)) + "\nserver log (" + server.log()
                        + "), last lines:\n" + server.logTail(60));
    }

    private void createQueries() throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            // a watermark delay longer than a body spans in event time (up to 18,000 records), so that a body
            // posted again is not late; the end marker, an hour after the rest, still closes their windows
            statement.execute("CREATE STREAM " + STREAM + " (id INT, k VARCHAR, x BIGINT, ts TIMESTAMP(3),"
                    + " WATERMARK FOR ts AS ts - INTERVAL '1' HOUR) WITH ('connector' = 'flume', 'host' = '127.0.0.1', 'port' = '" + flumePort + "', 'format' = 'json')");
            statement.execute("SET 'checkpoint.interval' = '" + settings.checkpointInterval() + "'");
            statement.execute("CREATE MATERIALIZED VIEW crash_flume_windows AS SELECT window_start, window_end, k,"
                    + " COUNT(*) AS c, SUM(x) AS s FROM TABLE(TUMBLE(TABLE " + STREAM + ", DESCRIPTOR(ts), INTERVAL '"
                    + WINDOW.toSeconds() + "' SECOND)) GROUP BY window_start, window_end, k");
            statement.execute("CREATE MATERIALIZED VIEW crash_flume_copies AS SELECT id, COUNT(*) AS n FROM " + STREAM
                    + " GROUP BY id");
        }
    }

    private Map<Integer, Long> copies() throws SQLException {
        return RecordCopies.read(server.jdbcUrl(), "crash_flume_copies");
    }

    private String copiesProblem(Map<Integer, Long> copies) {
        return RecordCopies.problem(copies, input.size(), poster::unansweredAttempts);
    }

    private List<InputRecord> accepted(Map<Integer, Long> copies) {
        return RecordCopies.accepted(input, copies);
    }
}

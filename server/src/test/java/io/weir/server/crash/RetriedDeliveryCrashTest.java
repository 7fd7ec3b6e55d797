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

import static java.util.Objects.requireNonNull;

/**
 * Crash recovery of a stream that clients deliver into, retrying until the server acknowledges, → materialized
 * views: the input goes in steps to the stream ({@link RetryingStepWriter}) while the server, in a child JVM, is
 * killed with SIGKILL at seeded random moments and started again; a TUMBLE view must end equal to the windows of
 * what the server accepted.
 *
 * <p>What "accepted" is: the client retries a step until the server answers that it accepted it (at-least-once
 * from the client's side, as a real client does). A delivery whose answer was lost to a kill may or may not have
 * been taken, so such a step's records may be in the stream twice — the client's business, not a server fault.
 * The test therefore gives each record a unique id, and a second view counts the copies of each id. That view
 * must show every record, exactly once when none of its deliveries went unanswered, else at most once more per
 * unanswered one ({@link UnansweredAttempts}); the TUMBLE view must then equal the windows computed here from
 * those copies. So a record answered {@code accepted} that is missing, or one the server duplicated on its own,
 * fails the test; only the copies the client itself may have caused are taken from the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RetriedDeliveryCrashTest {
    private static final Duration WINDOW = Duration.ofSeconds(5);

    private final CrashSettings settings = CrashSettings.fromSystemProperties();
    private final String stream;
    private final String windowsView;
    private final String copiesView;
    private ServerProcess server;
    private List<InputRecord> input;
    private RetryingStepWriter client;

    /** @param stream the stream's name, also the start of its views' names */
    RetriedDeliveryCrashTest(String stream) {
        this.stream = requireNonNull(stream, "stream is null");
        this.windowsView = stream + "_windows";
        this.copiesView = stream + "_copies";
    }

    /** The stream's WITH options, e.g. {@code 'connector' = 'http', 'format' = 'json'}. */
    abstract String streamOptions();

    /** The client that delivers the input's {@code records} records to {@code stream} of {@code server}. */
    abstract RetryingStepWriter client(ServerProcess server, String stream, int records);

    /** What the run's summary line calls the way in, e.g. {@code HTTP ingest}. */
    abstract String deliveryName();

    @BeforeAll
    void runWithCrashes(@TempDir Path work) throws Exception {
        long started = System.nanoTime();
        input = CrashInput.generate(settings.seed(), settings.records(), 1);
        // each restart after a kill at another parallelism: 2, 1, 3, 2, ...
        server = ServerProcess.start(work.resolve("data"), work.resolve("server.log"), List.of("--batch-interval", "100ms"),
                ServerProcess::rescaling);
        createQueries();
        client = client(server, stream, input.size());
        List<String> kills;
        try (InputFeeder feeder = InputFeeder.start(input, settings.feedTime(), client)) {
            kills = CrashKills.run(settings, server, feeder::produced, input.size());
            feeder.awaitDone(settings.feedTime().multipliedBy(4).plusSeconds(30));
        }
        System.out.printf("%s crash run: seed %d, %d records, checkpoint interval %s, %d kills in %d ms,"
                        + " %d requests unanswered:%n  %s%n", deliveryName(), settings.seed(), settings.records(),
                settings.checkpointInterval(), settings.kills(), (System.nanoTime() - started) / 1_000_000,
                client.unanswered().requests(), String.join("\n  ", kills));
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyAcceptedRecordIsInTheStreamOnceOrAsOftenAsItsUnansweredPostsAllow() {
        List<String> last = new ArrayList<>(List.of(""));
        Await.until("view " + copiesView + " shows every posted record, once unless a post of it went unanswered",
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
        Await.until("view " + windowsView + " equals the windows of the records the server holds", settings.catchUpTimeout(),
                () -> {
                    Map<Integer, Long> copies = copies();
                    if (!copiesProblem(copies).isEmpty()) {
                        return false;
                    }
                    expected.set(0, ExpectedResults.tumblingWindows(RecordCopies.accepted(input, copies), WINDOW,
                            record -> true));
                    actual.set(0, ViewRows.windows(server.jdbcUrl(), windowsView));
                    return RowDiff.sameMultiset(expected.get(0), actual.get(0));
                }, () -> RowDiff.describe(expected.get(0), actual.get(0)) + "\nserver log (" + server.log()
                        + "), last lines:\n" + server.logTail(60));
    }

    private void createQueries() throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            // a watermark delay longer than a step spans in event time (up to 18,000 records), so that a step
            // delivered again is not late; the end marker, an hour after the rest, still closes their windows
            statement.execute("CREATE STREAM " + stream + " (id INT, k VARCHAR, x BIGINT, ts TIMESTAMP(3),"
                    + " WATERMARK FOR ts AS ts - INTERVAL '1' HOUR) WITH (" + streamOptions() + ")");
            statement.execute("SET 'checkpoint.interval' = '" + settings.checkpointInterval() + "'");
            statement.execute("CREATE MATERIALIZED VIEW " + windowsView + " AS SELECT window_start, window_end, k,"
                    + " COUNT(*) AS c, SUM(x) AS s FROM TABLE(TUMBLE(TABLE " + stream + ", DESCRIPTOR(ts), INTERVAL '"
                    + WINDOW.toSeconds() + "' SECOND)) GROUP BY window_start, window_end, k");
            statement.execute("CREATE MATERIALIZED VIEW " + copiesView + " AS SELECT id, COUNT(*) AS n FROM " + stream
                    + " GROUP BY id");
        }
    }

    private Map<Integer, Long> copies() throws SQLException {
        return RecordCopies.read(server.jdbcUrl(), copiesView);
    }

    private String copiesProblem(Map<Integer, Long> copies) {
        return RecordCopies.problem(copies, input.size(), client.unanswered()::of);
    }
}

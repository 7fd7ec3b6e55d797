package io.weir.server.crash;

import io.weir.server.crash.ExpectedResults.WindowRow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Crash recovery of file → HOP → file sink (issue 9): JSON-lines files are moved into a watched
 * directory over time while the server, in a child JVM, is killed with SIGKILL at seeded random
 * moments and started again; a HOP window aggregate is written with {@code INSERT INTO} a file sink
 * stream (exactly-once, the default). The visible part files — names starting with '.' or '_' are
 * ignored, as Spark and the file source do — must hold every closed window once, with its exact count
 * and sum.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileHopCrashTest {
    private static final Duration SLIDE = Duration.ofSeconds(2);
    private static final Duration SIZE = Duration.ofSeconds(6);

    private final CrashSettings settings = CrashSettings.fromSystemProperties();
    @TempDir
    static Path work;
    private ServerProcess server;
    private List<InputRecord> input;
    private Path output;

    @BeforeAll
    void runWithCrashes() throws Exception {
        long started = System.nanoTime();
        // one end marker: the files are one source whose splits (files) come in event-time order
        input = CrashInput.generate(settings.seed(), settings.records(), 1);
        Path watched = Files.createDirectories(work.resolve("in"));
        output = work.resolve("out");
        // each restart after a kill at another parallelism: 2, 1, 3, 2, ...
        server = ServerProcess.start(work.resolve("data"), work.resolve("server.log"), List.of("--batch-interval", "100ms", "--file-roots", work.toString()),
                ServerProcess::rescaling);
        createQuery(watched);
        List<String> kills;
        try (InputFeeder feeder = InputFeeder.start(input, settings.feedTime(),
                new DirectoryStepWriter(work.resolve("staging"), watched))) {
            kills = CrashKills.run(settings, server, feeder::produced, input.size());
            feeder.awaitDone(settings.feedTime().multipliedBy(4).plusSeconds(30));
        }
        System.out.printf("File crash run: seed %d, %d records in files, checkpoint interval %s, %d kills in %d ms:%n  %s%n",
                settings.seed(), settings.records(), settings.checkpointInterval(), settings.kills(),
                (System.nanoTime() - started) / 1_000_000, String.join("\n  ", kills));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theVisiblePartFilesHoldEveryClosedHopWindowOnce() {
        // the end marker's windows stay open (nothing comes after it); every other window is closed and written
        List<WindowRow> expected = ExpectedResults.hoppingWindows(input, SLIDE, SIZE, record -> !record.endMarker());
        OutputCheck.awaitRows(settings, server, "the visible part files in " + output + " hold each HOP window once",
                expected, this::visibleRows);
    }

    private void createQuery(Path watched) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM crash_files (k VARCHAR, x BIGINT, ts TIMESTAMP(3),"
                    + " WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'file', 'path' = '"
                    + watched + "', 'format' = 'json', 'watch' = 'true', 'watch.interval' = '100 ms')");
            statement.execute("CREATE STREAM crash_hops_out (window_start TIMESTAMP(3), window_end TIMESTAMP(3),"
                    + " k VARCHAR, c BIGINT, s BIGINT) WITH ('connector' = 'file', 'path' = '" + output
                    + "', 'format' = 'json')");
            statement.execute("SET 'checkpoint.interval' = '" + settings.checkpointInterval() + "'");
            statement.execute("INSERT INTO crash_hops_out SELECT STREAM window_start, window_end, k, COUNT(*) AS c, SUM(x) AS s"
                    + " FROM TABLE(HOP(TABLE crash_files, DESCRIPTOR(ts), INTERVAL '" + SLIDE.toSeconds() + "' SECOND,"
                    + " INTERVAL '" + SIZE.toSeconds() + "' SECOND)) GROUP BY window_start, window_end, k");
        }
    }

    /** The rows of the sink directory's visible files, as a reader that lists the directory sees them. */
    private List<WindowRow> visibleRows() throws IOException {
        List<WindowRow> rows = new ArrayList<>();
        if (!Files.isDirectory(output)) {
            return rows;
        }
        List<Path> visible;
        try (Stream<Path> files = Files.list(output)) {
            visible = files.filter(file -> !file.getFileName().toString().startsWith(".")
                    && !file.getFileName().toString().startsWith("_") && Files.isRegularFile(file)).toList();
        }
        for (Path file : visible) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    rows.add(WindowRowJson.parse(line));
                }
            }
        }
        return rows;
    }
}

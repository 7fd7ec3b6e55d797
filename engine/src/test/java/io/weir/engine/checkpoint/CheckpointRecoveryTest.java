package io.weir.engine.checkpoint;

import io.weir.engine.exec.QueryRunner;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SinkSpec;
import io.weir.engine.plan.SinkWrite;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.sink.SinkOpener;
import io.weir.engine.source.SharedSources;
import io.weir.engine.source.SourceOpener;
import io.weir.engine.source.SourceStatistics;
import io.weir.engine.testing.ManualClock;
import io.weir.spi.connector.ConnectorServices;
import io.weir.spi.connector.memory.InMemoryData;
import io.weir.spi.error.InMemoryDeadLetterSink;
import io.weir.spi.type.DataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import static io.weir.engine.testing.TestPlans.aggregate;
import static io.weir.engine.testing.TestPlans.call;
import static io.weir.engine.testing.TestPlans.countStar;
import static io.weir.engine.testing.TestPlans.stream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A windowed persistent query over a replayable source into an exactly-once sink, "crashed" (its
 * runner abandoned without closing: what it held in memory is gone) at a batch boundary and started
 * again on the same data directory: the sink's rows equal an uninterrupted run's, none missing, none twice.
 */
class CheckpointRecoveryTest {
    private static final int ROWS = 3_000;
    private static final int ROWS_PER_APPEND = 100;

    @TempDir
    Path dataDir;
    private final String input = "ckr-in-" + UUID.randomUUID();
    private final List<String> outputs = new ArrayList<>();
    private final ManualClock clock = new ManualClock(1_000_000);
    private final CheckpointCompactor compactor = new CheckpointCompactor();
    private final ConnectorServices services = new ConnectorServices();

    @AfterEach
    void unregister() {
        compactor.close();
        services.close();
        InMemoryData.unregister(input);
        outputs.forEach(InMemoryData::unregister);
    }

    @Test
    void crashAtEveryFewBatchesGivesTheUninterruptedResult() throws IOException {
        List<String> expected = run("uninterrupted", Duration.ofSeconds(5), new int[0]);
        assertThat(expected).hasSizeGreaterThan(100);
        Random random = new Random(42);
        for (int trial = 0; trial < 4; trial++) {
            int[] crashes = random.ints(3, 1, ROWS / ROWS_PER_APPEND).sorted().distinct().toArray();
            assertThat(run("crashed-" + trial, Duration.ofSeconds(5), crashes)).as("crashes after appends %s", Arrays.toString(crashes))
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void checkpointingEveryBatchAlsoGivesTheUninterruptedResult() throws IOException {
        List<String> expected = run("uninterrupted", Duration.ZERO, new int[0]);
        assertThat(run("crashed", Duration.ZERO, new int[] {3, 4, 17})).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aCorruptNewestCheckpointFallsBackToThePreviousOne() throws IOException {
        // the checkpoint before the newest is complete: its state is consistent with its positions
        List<String> expected = run("uninterrupted", Duration.ZERO, new int[0]);
        Harness harness = Harness.start(this, "corrupt", Duration.ZERO);
        String query = harness.queryId;
        for (int append = 0; append < 10; append++) {
            harness.appendAndRun(append);
        }
        // cut the newest checkpoint short, as a crash during a copy or a bad disk would
        CheckpointStorage storage = CheckpointStorage.of(dataDir, query);
        Path newest = storage.list().get(0).file();
        byte[] bytes = Files.readAllBytes(newest);
        Files.write(newest, Arrays.copyOf(bytes, bytes.length - 7));
        harness = harness.crash();
        for (int append = 10; append < ROWS / ROWS_PER_APPEND; append++) {
            harness.appendAndRun(append);
        }
        harness.finish();
        assertThat(harness.runner.checkpointStatistics().warning()).hasValueSatisfying(warning ->
                assertThat(warning).contains("unusable").contains("checksum"));
        // nothing lost and nothing wrong; the output the lost checkpoint had committed is written again
        assertThat(new HashSet<>(harness.output())).isEqualTo(new HashSet<>(expected));
    }

    @Test
    void batchesAfterTheCheckpointAreReplayedWithTheirBoundariesSoLateRowsStayLate() throws IOException {
        // every 10th row is 2.5 s older than the others: whether its window has fired depends on the batch it is in
        InMemoryData.unregister(input);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            long ts = i * 100L - (i % 10 == 9 ? 2_500 : 0);
            rows.add(new Object[] {(long) (i % 7), (long) i, java.time.Instant.ofEpochMilli(Math.max(0, ts))});
        }
        InMemoryData.register(input, rows, false);
        Harness uninterrupted = Harness.start(this, "uninterrupted", Duration.ofSeconds(5));
        for (int append = 0; append < ROWS / ROWS_PER_APPEND; append++) {
            uninterrupted.appendAndRun(append);
        }
        uninterrupted.finish();
        assertThat(uninterrupted.runner.lateRows()).as("the input has late rows").isPositive();

        // Batches 11 to 15 (rows up to 1,499) ran after the checkpoint of batch 10 before the crash. After the restart the
        // backlog is read 1,000 rows a batch: replayed with their logged boundaries, those batches drop the same late rows.
        // Windows ending by 140 s hold only rows read before the crash, so they must be as in the uninterrupted run.
        assertThat(windowsUpTo(140_000, crashAndReplay(true))).containsExactlyInAnyOrderElementsOf(windowsUpTo(140_000, uninterrupted));
        // the control: without the offset log the first batch after the restart takes 1,000 rows, and rows that were late are not
        assertThat(windowsUpTo(140_000, crashAndReplay(false))).isNotEqualTo(windowsUpTo(140_000, uninterrupted));
    }

    @Test
    void onlyBatchesThatReadRowsAreLoggedSoIdleQueriesDoNotForceTheDisk() {
        Harness harness = Harness.start(this, "idle", Duration.ofHours(1));
        for (int append = 0; append < 5; append++) {
            harness.appendAndRun(append);
        }
        Path directory = CheckpointStorage.of(dataDir, harness.queryId).directory();
        assertThat(BatchPositionLog.readAll(directory)).hasSize(5);
        // the input is still there; a query that read all of it runs empty batches
        harness.finish();
        int logged = BatchPositionLog.readAll(directory).size();
        for (int i = 0; i < 10; i++) {
            clock.advance(1_000);
            harness.runner.runBatch();
        }
        assertThat(BatchPositionLog.readAll(directory)).hasSize(logged);
    }

    private Harness crashAndReplay(boolean keepOffsetLog) throws IOException {
        Harness harness = Harness.start(this, keepOffsetLog ? "replayed" : "unlogged", Duration.ofSeconds(5));
        for (int append = 0; append < 15; append++) {
            harness.appendAndRun(append);
        }
        if (!keepOffsetLog) {
            try (var files = Files.list(CheckpointStorage.of(dataDir, harness.queryId).directory())) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith("batches-")).toList()) {
                    Files.delete(file);
                }
            }
        }
        harness = harness.crash(1_000);
        assertThat(harness.runner.batches()).isZero();
        harness.finish();
        return harness;
    }

    private static List<String> windowsUpTo(long end, Harness harness) {
        return InMemoryData.rows(harness.output).stream().filter(row -> (Long) row[2] <= end).map(Arrays::toString).sorted().toList();
    }

    /** Runs the query over the whole input, crashing after the given appends; returns the sink's rows (windows fired in one batch come in no set order). */
    private List<String> run(String name, Duration interval, int[] crashAfter) throws IOException {
        Harness harness = Harness.start(this, name, interval);
        int next = 0;
        for (int append = 0; append < ROWS / ROWS_PER_APPEND; append++) {
            harness.appendAndRun(append);
            if (next < crashAfter.length && crashAfter[next] == append) {
                harness = harness.crash();
                next++;
            }
        }
        harness.finish();
        return harness.output();
    }

    /** One query's runner over the shared input, and a way to crash it. */
    private final class Harness {

        final String queryId;
        final String output;
        final Duration interval;
        final int rowsPerBatch;
        final QueryRunner runner;

        /** A new query writing to a new output. */
        static Harness start(CheckpointRecoveryTest test, String name, Duration interval) {
            String queryId = "q-" + UUID.randomUUID();
            return test.new Harness(queryId, test.registerOutput(name + "-" + queryId), interval, ROWS_PER_APPEND);
        }

        Harness(String queryId, String output, Duration interval, int rowsPerBatch) {
            this.queryId = queryId;
            this.output = output;
            this.interval = interval;
            this.rowsPerBatch = rowsPerBatch;
            this.runner = newRunner();
        }

        private QueryRunner newRunner() {
            SourceOpener opener = new SourceOpener(dataDir, new SourceStatistics(), new InMemoryDeadLetterSink(), clock, services);
            return new QueryRunner(plan(input, output), opener, new SinkOpener(dataDir, clock, services),
                    new SharedSources(Duration.ZERO, System::nanoTime), Optional.of(queryId),
                    Optional.of(new CheckpointConfig(queryId, CheckpointStorage.of(dataDir, queryId), interval, compactor)), clock,
                    rowsPerBatch,
                    batch -> {
                    });
        }

        void appendAndRun(int append) {
            // the whole input exists from the start; each micro-batch takes the next ROWS_PER_APPEND rows
            clock.advance(1_000);
            runner.runBatch();
        }

        /** Abandons the runner as a killed process would (no close, no last checkpoint) and starts a new one. */
        Harness crash() {
            return crash(rowsPerBatch);
        }

        /** Crashes, and the new run takes up to {@code rowsPerBatch} rows a micro-batch (as a backlog after a restart does). */
        Harness crash(int newRowsPerBatch) {
            return new Harness(queryId, output, interval, newRowsPerBatch);
        }

        /** Reads the rest of the input (a restarted query replays from its checkpoint, so it may be behind). */
        void finish() {
            long read;
            do {
                clock.advance(1_000);
                read = runner.runBatch();
            } while (read > 0);
            runner.checkpointNow();
        }

        List<String> output() {
            return InMemoryData.rows(output).stream().map(Arrays::toString).toList();
        }
    }

    private String registerOutput(String name) {
        InMemoryData.register(name, List.of(), false);
        outputs.add(name);
        return name;
    }

    /** The input: k = i % 7, v = i, ts = i * 100 ms, in order. */
    @BeforeEach
    void registerInput() {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(new Object[] {(long) (i % 7), (long) i, java.time.Instant.ofEpochMilli(i * 100L)});
        }
        InMemoryData.register(input, rows, false);
    }

    private static PlanNode plan(String input, String output) {
        WindowAggregate counts = aggregate(stream(input, 0), WindowSpec.tumble(2, true, 1_000), List.of(0),
                List.of(countStar(), call(io.weir.engine.plan.AggregateKind.SUM, 1, DataType.of(io.weir.spi.type.TypeKind.BIGINT))));
        return new SinkWrite(counts, new SinkSpec(output, Map.of("connector", "memory", "data", output,
                "delivery.guarantee", "exactly-once"), counts.outputType()));
    }
}

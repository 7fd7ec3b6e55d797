package io.weir.engine.exec;

import io.weir.engine.checkpoint.CheckpointCompactor;
import io.weir.engine.checkpoint.CheckpointConfig;
import io.weir.engine.checkpoint.CheckpointStorage;
import io.weir.engine.expression.BatchFilter;
import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.AggregateKind;
import io.weir.engine.plan.IntervalJoin;
import io.weir.engine.plan.JoinKind;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SharedSubPlans;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowJoin;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.source.SharedSources;
import io.weir.engine.source.SourceOpener;
import io.weir.engine.source.SourceStatistics;
import io.weir.engine.testing.ManualClock;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorServices;
import io.weir.spi.connector.memory.InMemoryData;
import io.weir.spi.error.InMemoryDeadLetterSink;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static io.weir.engine.testing.TestPlans.KV_TS;
import static io.weir.engine.testing.TestPlans.hottestKeys;
import static io.weir.engine.testing.TestPlans.aggregate;
import static io.weir.engine.testing.TestPlans.countStar;
import static io.weir.engine.testing.TestPlans.row;
import static io.weir.engine.testing.TestPlans.show;
import static io.weir.engine.testing.TestPlans.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A plan whose equal sub-plans are one node (a DAG, see {@link SharedSubPlans}) gives the rows of the
 * same plan with every sub-plan computed separately (a tree), reading its stream once; over several
 * micro-batches, with windows firing on watermarks, and across a restore from a checkpoint.
 */
class SharedSubPlanExecutionTest {
    private static final int EVENTS = 2_000;
    private static final int ROWS_PER_BATCH = 97;

    @TempDir
    Path dataDir;

    private final ManualClock clock = new ManualClock(0);
    private final List<String> dataSets = new ArrayList<>();

    @AfterEach
    void unregister() {
        dataSets.forEach(InMemoryData::unregister);
    }

    /** Events k in 0..9, v in 0..99, one every 50 ms with some disorder, bounded. */
    private String events() {
        Random random = new Random(42);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            rows.add(row((long) random.nextInt(10), (long) random.nextInt(100), i * 50L + random.nextInt(300)));
        }
        String name = "shared-" + System.nanoTime();
        InMemoryData.register(name, rows, true);
        dataSets.add(name);
        return name;
    }

    /** Each event with the events of its key at most 100 ms later: the stream joined with itself. */
    private static PlanNode selfJoin(String data) {
        List<DataType.Field> output = new ArrayList<>(KV_TS);
        KV_TS.forEach(f -> output.add(new DataType.Field(f.name() + "0", f.type())));
        return new IntervalJoin(stream(data, 200), stream(data, 200), List.of(0), List.of(0), 2, 2, 0, 100, JoinKind.INNER,
                Optional.empty(), "", output);
    }

    /** A runner of query {@code queryId}, which resumes where the last runner of that id committed. */
    private QueryRunner runner(PlanNode plan, String queryId, Optional<CheckpointConfig> checkpoints, List<Object[]> sink) {
        SourceOpener opener = new SourceOpener(dataDir, new SourceStatistics(), new InMemoryDeadLetterSink(), clock,
                new ConnectorServices());
        // shared readers, as the server's: a reader by offsets resumes from a checkpoint's positions
        return new QueryRunner(plan, opener, null, new SharedSources(Duration.ZERO, System::nanoTime), Optional.of(queryId),
                checkpoints, clock, ROWS_PER_BATCH,
                batch -> sink.addAll(batch.rows()));
    }

    /** Runs the plan to its end; returns the rows, sorted, and how many rows its scans read. */
    private Result run(PlanNode plan) {
        List<Object[]> rows = new ArrayList<>();
        try (QueryRunner runner = runner(plan, "run-" + System.nanoTime(), Optional.empty(), rows)) {
            runToEnd(runner);
            return new Result(show(rows).stream().sorted().toList(), runner.rowsIn());
        }
    }

    private void runToEnd(QueryRunner runner) {
        for (int batch = 0; batch < 10_000 && !runner.isFinished(); batch++) {
            clock.advance(100);
            runner.runBatch();
        }
        assertThat(runner.isFinished()).as("the bounded input ends the query").isTrue();
    }

    private record Result(List<String> rows, long rowsRead) {
    }

    @Test
    void aSharedWindowAggregateFeedsBothItsParentsAsTwoCopiesWould() {
        String data = events();
        PlanNode tree = hottestKeys(data);
        WindowJoin dag = (WindowJoin) SharedSubPlans.share(tree);
        assertThat(dag.left()).isSameAs(dag.right().inputs().get(0));

        Result separate = run(tree);
        Result shared = run(dag);
        assertThat(separate.rows()).hasSizeGreaterThan(50);
        assertThat(shared.rows()).isEqualTo(separate.rows());
        assertThat(separate.rowsRead()).isEqualTo(2L * EVENTS);
        assertThat(shared.rowsRead()).isEqualTo(EVENTS);
    }

    /**
     * Regression: a Kafka source whose partitions had all ended (idle) one batch before it finished,
     * or any source back from an idle spell, made the join fire its windows on its first input's
     * watermark before the second input delivered those windows' maxima; they were counted late and
     * q5 lost its last windows.
     */
    @Test
    void aJoinGetsBothInputsRowsBeforeEitherWatermarkAfterAnIdleSpell() {
        Random random = new Random(7);
        List<Object[]> first = new ArrayList<>();
        List<Object[]> second = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            // disorder within the watermark's delay: no row is late at the counts
            Object[] event = row((long) random.nextInt(10), (long) random.nextInt(100), i * 50L + random.nextInt(150));
            (i < EVENTS / 2 ? first : second).add(event);
        }
        String quiet = "idle-" + System.nanoTime();
        InMemoryData.register(quiet, first, false);
        dataSets.add(quiet);
        String whole = "whole-" + System.nanoTime();
        List<Object[]> all = new ArrayList<>(first);
        all.addAll(second);
        InMemoryData.register(whole, all, true);
        dataSets.add(whole);

        PlanNode dag = SharedSubPlans.share(hottestKeys(quiet, Optional.of(Duration.ofMillis(500))));
        List<Object[]> rows = new ArrayList<>();
        try (QueryRunner runner = runner(dag, "idle-spell", Optional.empty(), rows)) {
            for (int batch = 0; batch < 30; batch++) { // the first half, then a second without rows: idle
                clock.advance(100);
                runner.runBatch();
            }
            InMemoryData.append(quiet, second);
            for (int batch = 0; batch < 40; batch++) {
                clock.advance(100);
                runner.runBatch();
            }
            assertThat(runner.lateRows()).isZero();
        }
        long lastEnd = (EVENTS - 1) * 50L - 10_000;
        List<String> expected = run(SharedSubPlans.share(hottestKeys(whole))).rows();
        List<String> fired = show(rows.stream().filter(row -> (long) row[2] <= lastEnd).toList()).stream().sorted().toList();
        assertThat(fired).hasSizeGreaterThan(50).isSubsetOf(expected);
        assertThat(fired).hasSize((int) expected.stream().filter(row -> Long.parseLong(row.split(", ")[2]) <= lastEnd).count());
    }

    @Test
    void aSelfJoinOverOneScanGetsEachBatchOnBothInputs() {
        String data = events();
        PlanNode tree = selfJoin(data);
        IntervalJoin dag = (IntervalJoin) SharedSubPlans.share(tree);
        assertThat(dag.left()).isSameAs(dag.right());

        Result separate = run(tree);
        Result shared = run(dag);
        // every event matches at least itself
        assertThat(separate.rows()).hasSizeGreaterThan(EVENTS);
        assertThat(shared.rows()).isEqualTo(separate.rows());
        assertThat(shared.rowsRead()).isEqualTo(EVENTS);
    }

    @Test
    void aSharedPlanRestoresItsOwnCheckpoint() {
        String data = events();
        PlanNode dag = SharedSubPlans.share(hottestKeys(data));
        Result uninterrupted = run(dag);

        CheckpointConfig checkpoints = checkpoints("restored");
        List<Object[]> rows = new ArrayList<>();
        try (QueryRunner first = runner(dag, "restored", Optional.of(checkpoints), rows)) {
            for (int batch = 0; batch < 8; batch++) {
                clock.advance(100);
                first.runBatch();
            }
            assertThat(first.checkpointNow()).isTrue();
        }
        try (QueryRunner second = runner(dag, "restored", Optional.of(checkpoints("restored")), rows)) {
            runToEnd(second);
        }
        assertThat(show(rows).stream().sorted().toList()).isEqualTo(uninterrupted.rows());
    }

    @Test
    void aCheckpointOfTheTreeIsRestoredIntoTheTree() throws Exception {
        // a query checkpointed by an earlier Weir, which planned q5 as a tree, restarted after an upgrade
        String data = events();
        PlanNode tree = hottestKeys(data);
        PlanNode dag = SharedSubPlans.share(tree);
        Result uninterrupted = run(dag);

        List<Object[]> rows = new ArrayList<>();
        try (QueryRunner before = runner(tree, "upgraded", Optional.of(checkpoints("upgraded")), rows)) {
            for (int batch = 0; batch < 8; batch++) {
                clock.advance(100);
                before.runBatch();
            }
            assertThat(before.checkpointNow()).isTrue();
        }
        try (QueryRunner after = runner(dag, "upgraded", Optional.of(checkpoints("upgraded")), rows)) {
            after.recover();
            assertThat(after.checkpointStatistics().restoredFrom()).isPresent();
            runToEnd(after);
            assertThat(after.checkpointNow()).isTrue();
        }
        assertThat(show(rows).stream().sorted().toList()).isEqualTo(uninterrupted.rows());
        // it went on as the tree, and checkpoints it
        assertThat(CheckpointStorage.of(dataDir, "upgraded").newestPlanFingerprint()).contains(PlanFingerprint.of(tree));
        assertThat(PlanFingerprint.of(tree)).isNotEqualTo(PlanFingerprint.of(dag));
    }

    @Test
    void aCheckpointOfAnotherPlanIsRefused() {
        String data = events();
        try (QueryRunner before = runner(selfJoin(data), "changed", Optional.of(checkpoints("changed")), new ArrayList<>())) {
            clock.advance(100);
            before.runBatch();
            assertThat(before.checkpointNow()).isTrue();
        }
        try (QueryRunner after = runner(SharedSubPlans.share(hottestKeys(data)), "changed", Optional.of(checkpoints("changed")),
                new ArrayList<>())) {
            assertThatThrownBy(after::recover).isInstanceOf(WeirException.class)
                    .hasMessageContaining("holds the state of another plan");
        }
    }

    private CheckpointConfig checkpoints(String queryId) {
        return new CheckpointConfig(queryId, CheckpointStorage.of(dataDir, queryId), Duration.ofHours(1), new CheckpointCompactor());
    }
}

package io.weir.engine.exec;

import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.source.SourceStatistics;
import io.weir.spi.ErrorCode;
import io.weir.spi.connector.memory.InMemoryData;
import io.weir.spi.error.InMemoryDeadLetterSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.weir.engine.testing.TestPlans.aggregate;
import static io.weir.engine.testing.TestPlans.countStar;
import static io.weir.engine.testing.TestPlans.row;
import static io.weir.engine.testing.TestPlans.show;
import static io.weir.engine.testing.TestPlans.stream;
import static org.assertj.core.api.Assertions.assertThat;

/** The engine's threads, output queue, row limit, close and failures. */
class MicroBatchQueryEngineTest {
    private final MicroBatchQueryEngine engine = new MicroBatchQueryEngine(1000);
    private final List<String> dataSets = new ArrayList<>();

    @AfterEach
    void tearDown() {
        engine.close();
        dataSets.forEach(InMemoryData::unregister);
    }

    private String data(boolean bounded, List<Object[]> rows) {
        String name = "engine-" + System.nanoTime();
        InMemoryData.register(name, rows, bounded);
        dataSets.add(name);
        return name;
    }

    private static QueryOptions options(long maxRows, int queueRows) {
        return new QueryOptions(Duration.ofMillis(10), maxRows, queueRows, Path.of("target", "test-data"),
                new SourceStatistics(), new InMemoryDeadLetterSink(), InstantSource.system());
    }

    /** One row per 10 ms window for keys 0..keys-1 over {@code windows} windows. */
    private static List<Object[]> rows(int windows, int keys) {
        List<Object[]> rows = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            for (int k = 0; k < keys; k++) {
                rows.add(row(k, 1, w * 10 + k % 10));
            }
        }
        return rows;
    }

    private static List<Object[]> drain(ContinuousQuery query) throws InterruptedException {
        List<Object[]> rows = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            OutputChunk chunk = query.poll(100, Duration.ofMillis(200));
            rows.addAll(chunk.rows());
            if (chunk.finished()) {
                chunk.failure().ifPresent(e -> {
                    throw e;
                });
                return rows;
            }
        }
        throw new AssertionError("query did not finish");
    }

    @Test
    void boundedQueryDeliversEveryWindowAndFinishesThroughASmallQueue() throws InterruptedException {
        // 5,000 rows over 500 windows of 10 keys: more than one micro-batch (cap 1,000 rows) and a queue of 7 rows
        String data = data(true, rows(500, 10));
        WindowAggregate plan = aggregate(stream(data, 0), WindowSpec.tumble(2, true, 10), List.of(0), List.of(countStar()));
        ContinuousQuery query = engine.start("bounded", plan, options(0, 7));
        List<Object[]> rows = drain(query);
        assertThat(rows).hasSize(5000);
        assertThat(show(rows.subList(0, 2))).containsExactly("[0, 0, 10, 1]", "[1, 0, 10, 1]");
        assertThat(query.state()).isEqualTo(QueryState.FINISHED);
        QueryStatistics statistics = query.statistics();
        assertThat(statistics.rowsIn()).isEqualTo(5000);
        assertThat(statistics.rowsOut()).isEqualTo(5000);
        assertThat(statistics.batches()).isGreaterThanOrEqualTo(5);
        assertThat(statistics.watermarkMillis()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aQueryCapOnRowsPerSourceBatchOverridesTheEngineDefaultAndMakesOutOfOrderRowsLate() throws InterruptedException {
        // one row per micro-batch: the watermark passes 10 after the row at 12, so the row at 5 is late
        String data = data(true, List.of(row(1, 1, 1), row(1, 1, 12), row(1, 1, 5), row(1, 1, 15)));
        WindowAggregate plan = aggregate(stream(data, 0), WindowSpec.tumble(2, true, 10), List.of(0), List.of(countStar()));
        QueryOptions capped = new QueryOptions(Duration.ofMillis(10), 0, 100, Path.of("target", "test-data"),
                new SourceStatistics(), new InMemoryDeadLetterSink(), InstantSource.system(), 1);
        ContinuousQuery query = engine.start("capped", plan, capped);
        assertThat(show(drain(query))).containsExactly("[1, 0, 10, 1]", "[1, 10, 20, 2]");
        assertThat(query.statistics().lateRows()).isEqualTo(1);
        assertThat(query.statistics().batches()).isGreaterThanOrEqualTo(4);

        // the engine's default (1,000 rows) reads all four rows in one batch: nothing is late
        ContinuousQuery uncapped = engine.start("uncapped", aggregate(stream(data, 0), WindowSpec.tumble(2, true, 10),
                List.of(0), List.of(countStar())), options(0, 100));
        assertThat(show(drain(uncapped))).containsExactly("[1, 0, 10, 2]", "[1, 10, 20, 2]");
        assertThat(uncapped.statistics().lateRows()).isZero();
    }

    @Test
    void outputReadyCompletesOnceRowsAreQueuedOrTheQueryEnds() throws InterruptedException {
        String idle = data(false, List.of());
        ContinuousQuery waiting = engine.start("idle", aggregate(stream(idle, 0), WindowSpec.tumble(2, true, 10), List.of(0),
                List.of(countStar())), options(0, 100));
        CompletableFuture<Void> ready = waiting.outputReady();
        assertThat(ready).isNotDone();
        waiting.stop(Duration.ofSeconds(10));
        assertThat(ready).succeedsWithin(Duration.ofSeconds(10));
        assertThat(waiting.poll(1, Duration.ZERO).finished()).isTrue();

        String data = data(true, rows(5, 2));
        ContinuousQuery producing = engine.start("producing", aggregate(stream(data, 0), WindowSpec.tumble(2, true, 10),
                List.of(0), List.of(countStar())), options(0, 100));
        assertThat(producing.outputReady()).succeedsWithin(Duration.ofSeconds(10));
        assertThat(producing.poll(100, Duration.ZERO).rows()).isNotEmpty();
    }

    @Test
    void maxRowsEndsTheQuery() throws InterruptedException {
        String data = data(true, rows(50, 3));
        WindowAggregate plan = aggregate(stream(data, 0), WindowSpec.tumble(2, true, 10), List.of(0), List.of(countStar()));
        ContinuousQuery query = engine.start("limited", plan, options(4, 100));
        assertThat(drain(query)).hasSize(4);
        assertThat(query.state()).isEqualTo(QueryState.FINISHED);
    }

    @Test
    void aQueryClosedRightAfterItsRowLimitHasFinished() throws InterruptedException {
        String data = data(false, rows(3, 2));
        WindowAggregate plan = aggregate(stream(data, 0), WindowSpec.tumble(2, true, 10), List.of(0), List.of(countStar()));
        ContinuousQuery query = engine.start("limit-then-close", plan, options(1, 100));
        assertThat(query.poll(1, Duration.ofSeconds(10)).rows()).hasSize(1);
        query.close();
        assertThat(query.state()).isEqualTo(QueryState.FINISHED);
    }

    @Test
    void closeStopsAnUnboundedQueryAndFreesIt() throws InterruptedException {
        String data = data(false, rows(3, 2));
        WindowAggregate plan = aggregate(stream(data, 0), WindowSpec.tumble(2, true, 10), List.of(0), List.of(countStar()));
        ContinuousQuery query = engine.start("endless", plan, options(0, 100));
        OutputChunk first = query.poll(100, Duration.ofSeconds(10));
        assertThat(show(first.rows())).startsWith("[0, 0, 10, 1]");
        assertThat(first.finished()).isFalse();
        query.close();
        assertThat(query.state()).isEqualTo(QueryState.CANCELLED);
        OutputChunk last = query.poll(100, Duration.ofSeconds(1));
        assertThat(last.finished()).isTrue();
        assertThat(last.failure()).isEmpty();
        assertThat(engine.runningQueries()).doesNotContain("endless");
    }

    @Test
    void aClientThatDoesNotFetchHoldsUpOnlyItsOwnQueryAndCloseReleasesIt() throws InterruptedException {
        WindowAggregate plan = aggregate(stream(data(true, rows(100, 5)), 0), WindowSpec.tumble(2, true, 10), List.of(0),
                List.of(countStar()));
        ContinuousQuery stalled = engine.start("stalled", plan, options(0, 1));
        ContinuousQuery other = engine.start("other", aggregate(stream(data(true, rows(100, 5)), 0),
                WindowSpec.tumble(2, true, 10), List.of(0), List.of(countStar())), options(0, 1000));
        assertThat(drain(other)).hasSize(500);
        assertThat(stalled.state()).isEqualTo(QueryState.RUNNING); // waiting for its client
        assertThat(stalled.poll(10, Duration.ofSeconds(5)).rows()).hasSize(1);
        stalled.close(); // wakes the query thread waiting for queue space
        assertThat(stalled.state()).isEqualTo(QueryState.CANCELLED);
        assertThat(engine.runningQueries()).isEmpty();
    }

    @Test
    void aDecodeErrorFailsOnlyItsQuery() throws InterruptedException {
        String good = data(false, rows(3, 2));
        List<Object[]> badRows = new ArrayList<>(rows(2, 2));
        badRows.add(row("not a number", 1, 5));
        String bad = data(true, badRows);
        ContinuousQuery healthy = engine.start("healthy",
                aggregate(stream(good, 0), WindowSpec.tumble(2, true, 10), List.of(0), List.of(countStar())), options(0, 100));
        ContinuousQuery failing = engine.start("failing",
                aggregate(stream(bad, 0), WindowSpec.tumble(2, true, 10), List.of(0), List.of(countStar())), options(0, 100));
        OutputChunk chunk;
        do {
            chunk = failing.poll(100, Duration.ofSeconds(10));
        } while (!chunk.finished());
        assertThat(chunk.failure()).hasValueSatisfying(e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_DECODE_ERROR);
            assertThat(e.getMessage()).contains("not a number");
        });
        assertThat(failing.state()).isEqualTo(QueryState.FAILED);
        assertThat(healthy.state()).isEqualTo(QueryState.RUNNING);
        assertThat(healthy.poll(10, Duration.ofSeconds(10)).rows()).isNotEmpty();
        healthy.close();
    }
}

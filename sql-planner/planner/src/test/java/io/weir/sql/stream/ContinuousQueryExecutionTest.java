package io.weir.sql.stream;

import io.weir.engine.exec.ContinuousQuery;
import io.weir.engine.exec.MicroBatchQueryEngine;
import io.weir.engine.exec.OutputChunk;
import io.weir.engine.exec.QueryOptions;
import io.weir.engine.source.SourceStatistics;
import io.weir.spi.connector.memory.InMemoryData;
import io.weir.spi.error.InMemoryDeadLetterSink;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogStore;
import io.weir.sql.session.SessionProperties;
import io.weir.sql.statement.StatementExecutor;
import io.weir.sql.statement.StatementResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plans run on the engine: what the SQL scenarios cannot pin down because it depends on where
 * micro-batches end. Here every source row is a micro-batch of its own.
 */
class ContinuousQueryExecutionTest {
    @TempDir
    Path dataDir;

    private StatementExecutor executor;
    private final SessionProperties session = new SessionProperties(Map.of());
    private final MicroBatchQueryEngine engine = new MicroBatchQueryEngine(1);

    @BeforeEach
    void setUp() {
        // Seconds after the epoch: 1, 20, then 5 (its window [0, 10) fired when the watermark passed 18), then 21.
        InMemoryData.register("execution-events", List.of(
                new Object[] {"a", 1_000L},
                new Object[] {"b", 20_000L},
                new Object[] {"late", 5_000L},
                new Object[] {"c", 21_000L}), true);
        executor = new StatementExecutor(Catalog.open(new CatalogStore(dataDir.resolve("catalog"))), dataDir);
        executor.execute(session, "CREATE STREAM events (k VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)"
                + " WITH ('connector' = 'memory', 'data' = 'execution-events')");
    }

    @AfterEach
    void tearDown() {
        engine.close();
        InMemoryData.unregister("execution-events");
    }

    private record Run(List<Object[]> rows, long lateRows) {
    }

    private Run run(String sql) throws InterruptedException {
        StatementResult.Continuous continuous = (StatementResult.Continuous) executor.execute(session, sql);
        QueryOptions options = new QueryOptions(Duration.ofMillis(10), continuous.limit(), 1_000, dataDir, new SourceStatistics(),
                new InMemoryDeadLetterSink(), InstantSource.system());
        List<Object[]> rows = new ArrayList<>();
        try (ContinuousQuery query = engine.start("test", continuous.plan(), options)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            OutputChunk chunk;
            do {
                chunk = query.poll(100, Duration.ofMillis(200));
                rows.addAll(chunk.rows());
                assertThat(chunk.failure()).isEmpty();
            } while (!chunk.finished() && System.nanoTime() < deadline);
            assertThat(chunk.finished()).as("query finished").isTrue();
            return new Run(rows, query.statistics().lateRows());
        }
    }

    @Test
    void dropsAndCountsRowsForWindowsThatAlreadyFired() throws InterruptedException {
        Run run = run("SELECT STREAM window_start, COUNT(*) AS n, MAX(k) AS last_key"
                + " FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end");
        assertThat(run.rows()).extracting(r -> List.of(r)).containsExactly(
                List.of(0L, 1L, "a"),
                List.of(20_000L, 2L, "c"));
        assertThat(run.lateRows()).isEqualTo(1);
    }

    @Test
    void projectionsPassEveryRowAndLimitEndsTheQuery() throws InterruptedException {
        Run all = run("SELECT STREAM UPPER(k) AS k, ts FROM events");
        assertThat(all.rows()).extracting(r -> r[0]).containsExactly("A", "B", "LATE", "C");
        assertThat(all.lateRows()).isZero();
        Run limited = run("SELECT STREAM k FROM events WHERE k <> 'a' LIMIT 2");
        assertThat(limited.rows()).extracting(r -> r[0]).containsExactly("b", "late");
    }
}

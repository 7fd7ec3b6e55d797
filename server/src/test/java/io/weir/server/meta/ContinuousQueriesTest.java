package io.weir.server.meta;

import io.weir.engine.deadletter.DeadLetterStore;
import io.weir.engine.exec.QueryOptions;
import io.weir.engine.exec.QueryState;
import io.weir.engine.exec.RunningQueries;
import io.weir.engine.plan.SourceScan;
import io.weir.engine.plan.SourceSpec;
import io.weir.engine.source.SourceStatistics;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import io.weir.sql.statement.ResultColumn;
import org.apache.calcite.avatica.Meta;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The continuous-query registry and long-polling results over a scripted engine, without a server. */
class ContinuousQueriesTest {
    private static final DataType BIGINT = DataType.of(TypeKind.BIGINT);
    private static final List<ResultColumn> COLUMNS = List.of(new ResultColumn("n", BIGINT), new ResultColumn("produced_at", BIGINT));
    private static final SourceScan PLAN = new SourceScan(new SourceSpec("ticks", ObjectKind.STREAM, Map.of("connector", "datagen"),
            List.of(new DataType.Field("n", BIGINT), new DataType.Field("produced_at", BIGINT)), -1, Duration.ZERO, Optional.empty()));

    @TempDir
    Path temp;

    private ContinuousQueries queries;

    @AfterEach
    void close() {
        if (queries != null) {
            queries.close();
        }
    }

    private ScriptedQueryEngine engine(Duration interval, int failAfter) {
        ScriptedQueryEngine engine = new ScriptedQueryEngine(interval, failAfter);
        queries = new ContinuousQueries(engine);
        return engine;
    }

    private ContinuousResult start(long maxRows, Duration clientTimeout) {
        QueryOptions options = new QueryOptions(Duration.ofMillis(100), maxRows, 1000, temp, new SourceStatistics(),
                new DeadLetterStore(temp.resolve("dead-letters")), InstantSource.system());
        return queries.start("SELECT STREAM * FROM ticks", COLUMNS, PLAN, options, clientTimeout, java.util.Set.of(),
                java.util.Optional.empty());
    }

    @Test
    void fetchReturnsRowsAsSoonAsTheyAreProduced() {
        engine(Duration.ofMillis(200), 0);
        ContinuousResult result = start(0, Duration.ofMinutes(1));
        assertThat(result.firstFrame().done).isFalse();
        assertThat(result.firstFrame().rows).isEmpty();
        long offset = 0;
        for (int i = 0; i < 3; i++) {
            Meta.Frame frame = fetch(result, offset, 100, Duration.ofSeconds(5));
            long received = System.currentTimeMillis();
            assertThat(frame.done).isFalse();
            assertThat(frame.offset).isEqualTo(offset);
            List<Object> rows = rows(frame);
            assertThat(rows).hasSize(1);
            Object[] row = (Object[]) rows.get(0);
            assertThat(row[0]).isEqualTo(i + 1L);
            assertThat(received - (Long) row[1]).isLessThan(50);
            offset += rows.size();
        }
        assertThat(queries.list()).extracting(RunningQueries.QueryInfo::id).containsExactly(result.id());
        assertThat(queries.list().get(0).state()).isEqualTo(QueryState.RUNNING);
    }

    @Test
    void fetchWithoutRowsAnswersEmptyAfterTheWait() {
        engine(Duration.ofSeconds(30), 0);
        ContinuousResult result = start(0, Duration.ofMinutes(1));
        long started = System.nanoTime();
        Meta.Frame frame = fetch(result, 0, 100, Duration.ofMillis(150));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(140), Duration.ofSeconds(5));
        assertThat(frame.done).isFalse();
        assertThat(rows(frame)).isEmpty();
    }

    @Test
    void retriedFetchGetsTheSameFrame() {
        engine(Duration.ofMillis(20), 0);
        ContinuousResult result = start(0, Duration.ofMinutes(1));
        Meta.Frame first = fetch(result, 0, 100, Duration.ofSeconds(5));
        Meta.Frame retried = fetch(result, 0, 100, Duration.ofSeconds(5));
        assertThat(retried).isSameAs(first);
        Meta.Frame next = fetch(result, rows(first).size(), 100, Duration.ofSeconds(5));
        assertThat(((Object[]) rows(next).get(0))[0]).isEqualTo(rows(first).size() + 1L);
    }

    @Test
    void maxRowsEndsTheResultAndReleasesTheQuery() {
        ScriptedQueryEngine engine = engine(Duration.ofMillis(10), 0);
        ContinuousResult result = start(5, Duration.ofMinutes(1));
        assertThat(engine.queries().get(0).options().maxRows()).isEqualTo(5);
        List<Object> all = new ArrayList<>();
        Meta.Frame frame;
        do {
            frame = fetch(result, all.size(), 2, Duration.ofSeconds(5));
            assertThat(rows(frame).size()).isLessThanOrEqualTo(2);
            all.addAll(rows(frame));
        } while (!frame.done);
        assertThat(all).hasSize(5);
        result.close();
        assertThat(engine.queries().get(0).isClosed()).isTrue();
        assertThat(queries.size()).isZero();
    }

    @Test
    void releasedQueriesAreRememberedWithTheirFinalStateUpToTheHistorySize() {
        engine(Duration.ofMillis(10), 0);
        ContinuousResult first = start(0, Duration.ofMinutes(1));
        fetch(first, 0, 1, Duration.ofSeconds(5));
        assertThat(queries.ended()).isEmpty();
        first.close();
        assertThat(queries.list()).isEmpty();
        assertThat(queries.ended()).singleElement().satisfies(info -> {
            assertThat(info.id()).isEqualTo(first.id());
            assertThat(info.state()).isEqualTo(QueryState.CANCELLED);
            assertThat(info.ended()).hasValueSatisfying(ended -> assertThat(ended).isAfterOrEqualTo(info.started()));
            assertThat(info.statistics().rowsOut()).isPositive();
        });
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ContinuousQueries.HISTORY_SIZE; i++) {
            ContinuousResult result = start(0, Duration.ofMinutes(1));
            ids.add(result.id());
            result.close();
        }
        assertThat(queries.ended()).extracting(RunningQueries.QueryInfo::id).containsExactlyElementsOf(ids);
    }

    @Test
    void failureIsRaisedAfterTheRowsBeforeIt() {
        engine(Duration.ofMillis(10), 3);
        ContinuousResult result = start(0, Duration.ofMinutes(1));
        List<Object> all = new ArrayList<>();
        WeirException failure = null;
        while (failure == null) {
            try {
                Meta.Frame frame = fetch(result, all.size(), 100, Duration.ofSeconds(5));
                assertThat(frame.done).isFalse();
                all.addAll(rows(frame));
            } catch (WeirException e) {
                failure = e;
            }
        }
        assertThat(all).hasSize(3);
        assertThat(failure.errorCode()).isEqualTo(ScriptedQueryEngine.FAILURE_CODE);
        assertThatThrownBy(() -> fetch(result, 3, 100, Duration.ofSeconds(1))).isSameAs(failure);
        assertThat(queries.size()).isZero();
    }

    @Test
    void queryWhoseClientStopsFetchingIsStopped() throws Exception {
        ScriptedQueryEngine engine = engine(Duration.ofMillis(10), 0);
        ContinuousResult result = start(0, Duration.ofMillis(300));
        fetch(result, 0, 1, Duration.ofSeconds(5));
        assertThat(engine.queries().get(0).awaitClosed(Duration.ofSeconds(5))).isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (queries.size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(queries.size()).isZero();
        assertThatThrownBy(() -> fetch(result, 1, 1, Duration.ofSeconds(1)))
                .isInstanceOf(WeirException.class)
                .hasMessageContaining("query.client-timeout");
    }

    @Test
    void waitingFetchDoesNotCountAsAbsentClient() {
        ScriptedQueryEngine engine = engine(Duration.ofSeconds(30), 0);
        ContinuousResult result = start(0, Duration.ofMillis(200));
        Meta.Frame frame = fetch(result, 0, 1, Duration.ofMillis(800));
        assertThat(frame.done).isFalse();
        assertThat(engine.queries().get(0).isClosed()).isFalse();
    }

    @Test
    void stopByIdAndCloseEndAWaitingFetch() throws Exception {
        ScriptedQueryEngine engine = engine(Duration.ofSeconds(30), 0);
        ContinuousResult result = start(0, Duration.ofMinutes(1));
        assertThat(queries.stop("no-such-query")).isEmpty();
        Thread stopper = new Thread(() -> {
            sleep(100);
            queries.stop(result.id());
        });
        stopper.start();
        long started = System.nanoTime();
        assertThatThrownBy(() -> fetch(result, 0, 1, Duration.ofSeconds(10)))
                .isInstanceOf(WeirException.class)
                .hasMessageContaining("STOP QUERY");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        stopper.join();
        assertThat(engine.queries().get(0).isClosed()).isTrue();
    }

    @Test
    void smallestLimitPrefersThePositiveOne() {
        assertThat(ServerContext.smallestLimit(0, 0)).isZero();
        assertThat(ServerContext.smallestLimit(-1, 7)).isEqualTo(7);
        assertThat(ServerContext.smallestLimit(5, 0)).isEqualTo(5);
        assertThat(ServerContext.smallestLimit(5, 7)).isEqualTo(5);
        assertThat(ServerContext.smallestLimit(9, 7)).isEqualTo(7);
    }

    /** The frame the fetch answers, waiting for it; its failure thrown as it is. */
    private static Meta.Frame fetch(ContinuousResult result, long offset, int maxRowCount, Duration maxWait) {
        try {
            return result.fetch(offset, maxRowCount, maxWait).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    private static List<Object> rows(Meta.Frame frame) {
        List<Object> rows = new ArrayList<>();
        frame.rows.forEach(rows::add);
        return rows;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

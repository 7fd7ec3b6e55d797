package io.weir.sql.stream;

import io.weir.engine.exec.ContinuousQuery;
import io.weir.engine.exec.MicroBatchQueryEngine;
import io.weir.engine.exec.OutputChunk;
import io.weir.engine.exec.QueryOptions;
import io.weir.engine.plan.IntervalJoin;
import io.weir.engine.plan.JoinKind;
import io.weir.engine.plan.LookupJoin;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.WindowJoin;
import io.weir.engine.source.SourceStatistics;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Joins in continuous queries: which kind each join is planned as, what EXPLAIN shows, what is rejected, and runs. */
class JoinPlannerTest {
    @TempDir
    Path dataDir;

    private StatementExecutor executor;
    private final SessionProperties session = new SessionProperties(Map.of());
    private final MicroBatchQueryEngine engine = new MicroBatchQueryEngine(1);
    private final List<String> dataSets = new ArrayList<>();

    @BeforeEach
    void setUp() {
        // seconds after the epoch; the memory source delivers a row of each stream per micro-batch
        data("join-bids", true,
                new Object[] {1L, 10.0, 1_000L},
                new Object[] {2L, 20.0, 2_000L},
                new Object[] {1L, 30.0, 12_000L},
                new Object[] {3L, 40.0, 13_000L});
        data("join-asks", true,
                new Object[] {1L, 11.0, 3_000L},
                new Object[] {1L, 31.0, 14_000L},
                new Object[] {2L, 21.0, 30_000L});
        data("join-products", true,
                new Object[] {1L, "lamp"},
                new Object[] {2L, "desk"});
        data("join-labels", true,
                new Object[] {"lamp", "light"});
        executor = new StatementExecutor(Catalog.open(new CatalogStore(dataDir.resolve("catalog"))), dataDir);
        executor.execute(session, "CREATE STREAM bids (auction BIGINT, price DOUBLE, ts TIMESTAMP(3),"
                + " WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'memory', 'data' = 'join-bids')");
        executor.execute(session, "CREATE STREAM asks (auction BIGINT, price DOUBLE, ts TIMESTAMP(3),"
                + " WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'memory', 'data' = 'join-asks')");
        executor.execute(session, "CREATE TABLE products (id BIGINT, name VARCHAR)"
                + " WITH ('connector' = 'memory', 'data' = 'join-products', 'refresh-interval' = '1 h')");
        executor.execute(session, "CREATE TABLE labels (name VARCHAR, label VARCHAR)"
                + " WITH ('connector' = 'memory', 'data' = 'join-labels')");
        executor.execute(session, "CREATE STREAM clicks (auction BIGINT, pt AS PROCTIME())"
                + " WITH ('connector' = 'memory', 'data' = 'join-asks')");
    }

    private void data(String name, boolean bounded, Object[]... rows) {
        InMemoryData.register(name, List.of(rows), bounded);
        dataSets.add(name);
    }

    @AfterEach
    void tearDown() {
        engine.close();
        dataSets.forEach(InMemoryData::unregister);
    }

    private PlanNode plan(String sql) {
        return ((StatementResult.Continuous) executor.execute(session, sql)).plan();
    }

    private List<String> explain(String sql) {
        List<String> lines = new ArrayList<>();
        ((StatementResult.Rows) executor.execute(session, "EXPLAIN PLAN FOR " + sql)).rows()
                .forEachRemaining(row -> lines.add((String) row[0]));
        return lines;
    }

    private static <T extends PlanNode> T find(PlanNode node, Class<T> type) {
        if (type.isInstance(node)) {
            return type.cast(node);
        }
        for (PlanNode input : node.inputs()) {
            T found = find(input, type);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private List<String> run(String sql) throws InterruptedException {
        StatementResult.Continuous continuous = (StatementResult.Continuous) executor.execute(session, sql);
        QueryOptions options = new QueryOptions(Duration.ofMillis(10), continuous.limit(), 1_000, dataDir, new SourceStatistics(),
                new InMemoryDeadLetterSink(), InstantSource.system());
        List<String> rows = new ArrayList<>();
        try (ContinuousQuery query = engine.start("test", continuous.plan(), options)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            OutputChunk chunk;
            do {
                chunk = query.poll(100, Duration.ofMillis(200));
                chunk.rows().forEach(r -> rows.add(Arrays.toString(r)));
                assertThat(chunk.failure()).isEmpty();
            } while (!chunk.finished() && System.nanoTime() < deadline);
            assertThat(chunk.finished()).as("query finished").isTrue();
            return rows;
        }
    }

    @Test
    void streamJoinedWithATableIsALookupJoin() throws InterruptedException {
        String sql = "SELECT STREAM b.auction, p.name, b.price FROM bids b LEFT JOIN products p"
                + " ON b.auction = p.id AND p.name <> 'desk'";
        LookupJoin join = find(plan(sql), LookupJoin.class);
        assertThat(join.kind()).isEqualTo(JoinKind.LEFT);
        assertThat(join.streamKeys()).containsExactly(0);
        assertThat(join.tableKeys()).containsExactly(0);
        assertThat(join.condition()).isPresent();
        assertThat(join.refreshInterval()).contains(Duration.ofHours(1));
        assertThat(explain(sql)).anySatisfy(line -> assertThat(line).contains("LookupJoin(type=LEFT, table=products,"
                + " connector=memory, keys=[auction]=[id], condition=[<>($4:name, 'desk')], refresh=PT1H, state=hash table"));
        assertThat(run(sql)).containsExactlyInAnyOrder("[1, lamp, 10.0]", "[2, null, 20.0]", "[1, lamp, 30.0]", "[3, null, 40.0]");
        assertThat(run("SELECT STREAM b.auction, p.name FROM bids b JOIN products p ON b.auction = p.id"))
                .containsExactlyInAnyOrder("[1, lamp]", "[2, desk]", "[1, lamp]");
    }

    @Test
    void theTableSideMayCastFilterAndComputeApplyingThatWhenTheTableIsRead() throws InterruptedException {
        // id INT against auction BIGINT: Calcite casts the table's key
        executor.execute(session, "CREATE TABLE iproducts (id INT, name VARCHAR, shout AS UPPER(name))"
                + " WITH ('connector' = 'memory', 'data' = 'join-products')");
        String sql = "SELECT STREAM b.auction, p.shout FROM bids b JOIN iproducts p ON b.auction = p.id";
        assertThat(explain(sql)).anySatisfy(line -> assertThat(line).contains("LookupJoin(type=INNER, table=iproducts,"
                + " connector=memory, on load: "));
        assertThat(run(sql)).containsExactlyInAnyOrder("[1, LAMP]", "[2, DESK]", "[1, LAMP]");
        assertThat(run("SELECT STREAM b.auction, p.name FROM bids b LEFT JOIN (SELECT * FROM products WHERE id > 1) p"
                + " ON b.auction = p.id")).containsExactlyInAnyOrder("[1, null]", "[2, desk]", "[1, null]", "[3, null]");
    }

    @Test
    void lookupJoinsChain() throws InterruptedException {
        String sql = "SELECT STREAM b.auction, p.name, l.label FROM bids b JOIN products p ON b.auction = p.id"
                + " LEFT JOIN labels l ON p.name = l.name";
        assertThat(find(plan(sql), LookupJoin.class).tableSpec().objectName()).isEqualTo("labels");
        assertThat(run(sql)).containsExactlyInAnyOrder("[1, lamp, light]", "[2, desk, null]", "[1, lamp, light]");
    }

    @Test
    void windowsOverALookupJoinKeepTheStreamsEventTime() throws InterruptedException {
        assertThat(run("SELECT STREAM p.name, TUMBLE_START(b.ts, INTERVAL '10' SECOND) AS ws, COUNT(*) AS n"
                + " FROM bids b JOIN products p ON b.auction = p.id GROUP BY p.name, TUMBLE(b.ts, INTERVAL '10' SECOND)"))
                .containsExactlyInAnyOrder("[lamp, 0, 1]", "[desk, 0, 1]", "[lamp, 10000, 1]");
    }

    @Test
    void twoWindowedAggregationsJoinedOnTheirWindowAreAWindowJoin() throws InterruptedException {
        String sql = "SELECT STREAM b.auction, b.window_start, b.n AS bids, a.n AS asks FROM"
                + " (SELECT auction, window_start, window_end, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts),"
                + " INTERVAL '10' SECOND)) GROUP BY auction, window_start, window_end) b"
                + " JOIN (SELECT auction, TUMBLE_START(ts, INTERVAL '10' SECOND) AS window_start,"
                + " TUMBLE_END(ts, INTERVAL '10' SECOND) AS window_end, COUNT(*) AS n FROM asks"
                + " GROUP BY auction, TUMBLE(ts, INTERVAL '10' SECOND)) a"
                + " ON b.auction = a.auction AND b.window_start = a.window_start AND b.window_end = a.window_end";
        WindowJoin join = find(plan(sql), WindowJoin.class);
        assertThat(join.kind()).isEqualTo(JoinKind.INNER);
        assertThat(join.leftKeys()).hasSize(3);
        assertThat(explain(sql)).anySatisfy(line -> assertThat(line).contains("WindowJoin(type=INNER, keys="));
        // bids: [0,10) auction 1 x1, 2 x1; [10,20) 1 x1, 3 x1. asks: [0,10) 1 x1; [10,20) 1 x1; [30,40) 2 x1
        assertThat(run(sql)).containsExactlyInAnyOrder("[1, 0, 1, 1]", "[1, 10000, 1, 1]");
    }

    @Test
    void timeBoundsOnBothSidesMakeAnIntervalJoin() throws InterruptedException {
        String sql = "SELECT STREAM b.auction, b.price, a.price AS ask FROM bids b JOIN asks a"
                + " ON b.auction = a.auction AND a.ts BETWEEN b.ts - INTERVAL '1' SECOND AND b.ts + INTERVAL '5' SECOND";
        IntervalJoin join = find(plan(sql), IntervalJoin.class);
        assertThat(join.lowerMillis()).isEqualTo(-1_000);
        assertThat(join.upperMillis()).isEqualTo(5_000);
        assertThat(join.leftTime()).isEqualTo(2);
        assertThat(join.rightTime()).isEqualTo(2);
        assertThat(explain(sql)).anySatisfy(line -> assertThat(line).contains("IntervalJoin(type=INNER, keys=[auction]=[auction],"
                + " bounds=[right.ts - left.ts between -1000 ms and 5000 ms]"));
        // bid 1@1 ~ ask 1@3 (2 s); bid 1@12 ~ ask 1@14 (2 s); bid 2@2 vs ask 2@30: no
        assertThat(run(sql)).containsExactlyInAnyOrder("[1, 10.0, 11.0]", "[1, 30.0, 31.0]");

        IntervalJoin equal = find(plan("SELECT STREAM * FROM bids b JOIN asks a ON b.auction = a.auction AND a.ts = b.ts"),
                IntervalJoin.class);
        assertThat(equal.lowerMillis()).isZero();
        assertThat(equal.upperMillis()).isZero();

        IntervalJoin strict = find(plan("SELECT STREAM * FROM bids b LEFT JOIN asks a ON b.auction = a.auction"
                + " AND b.ts < a.ts AND a.ts <= b.ts + INTERVAL '2' SECOND"), IntervalJoin.class);
        assertThat(strict.kind()).isEqualTo(JoinKind.LEFT);
        assertThat(strict.lowerMillis()).isEqualTo(1);
        assertThat(strict.upperMillis()).isEqualTo(2_000);
        assertThat(run("SELECT STREAM b.auction, b.price, a.price AS ask FROM bids b LEFT JOIN asks a ON b.auction = a.auction"
                + " AND b.ts < a.ts AND a.ts <= b.ts + INTERVAL '2' SECOND"))
                .containsExactlyInAnyOrder("[1, 10.0, 11.0]", "[2, 20.0, null]", "[1, 30.0, 31.0]", "[3, 40.0, null]");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "SELECT STREAM * FROM bids b JOIN asks a ON b.auction = a.auction | needs a time bound",
        "SELECT STREAM * FROM bids b, asks a | needs a time bound",
        "SELECT STREAM * FROM bids b JOIN asks a ON b.auction = a.auction AND a.ts >= b.ts | no upper bound on ts relative to ts",
        "SELECT STREAM * FROM bids b JOIN asks a ON b.auction = a.auction AND a.ts <= b.ts + INTERVAL '1' SECOND | no lower bound",
        "SELECT STREAM * FROM products p JOIN bids b ON b.auction = p.id | Put the stream first",
        "SELECT STREAM * FROM bids b RIGHT JOIN products p ON b.auction = p.id | Use JOIN or LEFT JOIN",
        "SELECT STREAM * FROM bids b JOIN products p ON b.price > 1 | looks rows up by key",
        "SELECT STREAM * FROM bids b JOIN (SELECT p.id FROM products p JOIN products q ON p.id = q.id) p ON b.auction = p.id | reads one reference table",
        "SELECT STREAM * FROM (SELECT auction, TUMBLE_START(pt, INTERVAL '1' SECOND) AS ws, TUMBLE_END(pt, INTERVAL '1' SECOND) AS we FROM clicks GROUP BY auction, TUMBLE(pt, INTERVAL '1' SECOND)) a JOIN (SELECT auction, TUMBLE_START(pt, INTERVAL '1' SECOND) AS ws, TUMBLE_END(pt, INTERVAL '1' SECOND) AS we FROM clicks GROUP BY auction, TUMBLE(pt, INTERVAL '1' SECOND)) b ON a.auction = b.auction AND a.ws = b.ws AND a.we = b.we | not on PROCTIME()",
        "SELECT STREAM * FROM bids b JOIN asks a ON b.auction = a.auction AND a.price BETWEEN b.price AND b.price + 1 | needs a time bound",
    })
    void rejectsUnboundedStreamJoinsSayingWhatToWrite(String sql, String message) {
        assertThatThrownBy(() -> executor.prepare(session, sql))
                .isInstanceOfSatisfying(WeirException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED);
                    assertThat(e.getMessage()).contains(message).contains("line 1, column");
                });
    }
}

package io.weir.sql.stream;

import io.weir.engine.plan.GroupAggregate;
import io.weir.engine.plan.Changelog;
import io.weir.engine.expression.EvaluationContext;
import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.AggregateKind;
import io.weir.engine.plan.Calc;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SourceScan;
import io.weir.engine.plan.UnionAll;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowKind;
import io.weir.engine.plan.WindowSpec;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.memory.InMemoryData;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogStore;
import io.weir.sql.session.SessionProperties;
import io.weir.sql.statement.PreparedPlan;
import io.weir.sql.statement.ResultColumn;
import io.weir.sql.statement.StatementExecutor;
import io.weir.sql.statement.StatementResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContinuousQueryPlannerTest {
    static final String BIDS = "CREATE STREAM bids (auction BIGINT, bidder BIGINT NOT NULL, price DOUBLE, channel VARCHAR,"
            + " ts TIMESTAMP(3), pt AS PROCTIME(), WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)"
            + " WITH ('connector' = 'memory', 'data' = 'continuous-bids', 'watermark.idle-timeout' = '5 s')";

    @TempDir
    Path dataDir;

    private StatementExecutor executor;
    private SessionProperties session;

    @BeforeEach
    void setUp() {
        InMemoryData.register("continuous-bids", List.of(), false);
        InMemoryData.register("continuous-products", List.of(), true);
        executor = new StatementExecutor(Catalog.open(new CatalogStore(dataDir.resolve("catalog"))), dataDir);
        session = new SessionProperties(Map.of());
        executor.execute(session, BIDS);
        executor.execute(session, "CREATE STREAM untimed (id BIGINT, ts TIMESTAMP(3))"
                + " WITH ('connector' = 'memory', 'data' = 'continuous-bids')");
        executor.execute(session, "CREATE TABLE products (id BIGINT, name VARCHAR)"
                + " WITH ('connector' = 'memory', 'data' = 'continuous-products')");
    }

    @AfterEach
    void tearDown() {
        InMemoryData.unregister("continuous-bids");
        InMemoryData.unregister("continuous-products");
    }

    private StatementResult.Continuous continuous(String sql) {
        return (StatementResult.Continuous) executor.execute(session, sql);
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

    @Test
    void preparesTheResultColumnsWithoutRunning() {
        PreparedPlan plan = executor.prepare(session, "SELECT STREAM auction, TUMBLE_END(ts, INTERVAL '10' SECOND) AS w,"
                + " COUNT(*) AS n FROM bids GROUP BY auction, TUMBLE(ts, INTERVAL '10' SECOND)");
        assertThat(plan.columns()).extracting(ResultColumn::name).containsExactly("auction", "w", "n");
        assertThat(plan.columns()).extracting(c -> c.type().kind())
                .containsExactly(TypeKind.BIGINT, TypeKind.TIMESTAMP, TypeKind.BIGINT);
        assertThat(plan.producesRows()).isTrue();
    }

    @Test
    void executeReturnsThePlanTheLimitAndTheSql() {
        String sql = "SELECT STREAM auction, price FROM bids WHERE price > 10 LIMIT 3";
        StatementResult.Continuous result = continuous(sql);
        assertThat(result.sql()).isEqualTo(sql);
        assertThat(result.limit()).isEqualTo(3);
        assertThat(result.columns()).extracting(ResultColumn::name).containsExactly("auction", "price");
        Calc calc = (Calc) result.plan();
        assertThat(calc.filter()).isPresent();
        SourceScan scan = (SourceScan) calc.input();
        assertThat(scan.spec().objectName()).isEqualTo("bids");
        assertThat(scan.spec().physicalSchema()).extracting(DataType.Field::name)
                .containsExactly("auction", "bidder", "price", "channel", "ts");
        assertThat(scan.spec().eventTimeColumn()).isEqualTo(4);
        assertThat(scan.spec().watermarkDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(scan.spec().idleTimeout()).contains(Duration.ofSeconds(5));
        assertThat(continuous("SELECT STREAM * FROM bids").limit()).isZero();
        StatementResult probe = executor.execute(session, "SELECT STREAM auction FROM bids LIMIT 0");
        assertThat(probe).isInstanceOfSatisfying(StatementResult.Rows.class, rows -> {
            assertThat(rows.columns()).extracting(ResultColumn::name).containsExactly("auction");
            assertThat(rows.rows().hasNext()).isFalse();
        });
    }

    @Test
    void compiledCalcFiltersAndProjectsSourceBatches() {
        Calc calc = (Calc) continuous("SELECT STREAM auction, price * 2 AS doubled, UPPER(channel) AS c,"
                + " CASE WHEN price > 100 THEN 'high' ELSE 'low' END AS level, pt FROM bids WHERE price > 10 OR channel = 'vip'").plan();
        SourceScan scan = (SourceScan) calc.input();
        Batch batch = Batch.of(scan.spec().physicalSchema(), List.of(
                new Object[] {1L, 10L, 5.0, "web", 1_000L},
                new Object[] {2L, 11L, 50.0, "app", 2_000L},
                new Object[] {3L, 12L, null, "vip", 3_000L},
                new Object[] {4L, 13L, 500.0, null, 4_000L}));
        int[] selection = {0, 1, 2, 3};
        int kept = calc.filter().orElseThrow().filter(batch, selection, 4, selection);
        BatchBuilder out = new BatchBuilder(calc.outputType());
        calc.projection().project(batch, selection, kept, new EvaluationContext(99_000L, 0L), out);
        List<Object[]> rows = out.build().rows();
        assertThat(rows).extracting(r -> r[0]).containsExactly(2L, 3L, 4L);
        assertThat(rows).extracting(r -> r[1]).containsExactly(100.0, null, 1000.0);
        assertThat(rows).extracting(r -> r[2]).containsExactly("APP", "VIP", null);
        assertThat(rows).extracting(r -> r[3]).containsExactly("low ", "low ", "high");
        assertThat(rows).extracting(r -> r[4]).containsOnly(99_000L);
        assertThat(calc.eventTimeColumn()).isEqualTo(-1);
        assertThat(((Calc) continuous("SELECT STREAM price, ts FROM bids").plan()).eventTimeColumn()).isEqualTo(1);
    }

    @Test
    void compilesStandardScalarFunctions() {
        Calc calc = (Calc) continuous("SELECT STREAM SUBSTRING(channel FROM 2 FOR 2) AS sub, TRIM(' ' || channel || ' ') AS trimmed,"
                + " POSITION('e' IN channel) AS pos, ABS(price - 100) AS distance, MOD(auction, 2) AS parity, ROUND(price / 3, 1) AS r,"
                + " FLOOR(ts TO MINUTE) AS m, CEIL(price) AS up, EXTRACT(YEAR FROM ts) AS y, CAST(ts AS DATE) AS d,"
                + " CAST(auction AS VARCHAR) AS s, COALESCE(channel, 'none') AS c, NULLIF(auction, 1) AS n,"
                + " auction IN (1, 3) AS in_list, price BETWEEN 1 AND 10 AS between_, ts + INTERVAL '1' HOUR AS later,"
                + " CURRENT_TIMESTAMP > ts AS past, CHAR_LENGTH(channel) > 2 OR channel IS NULL AS flag, LOWER(channel) AS low"
                + " FROM bids").plan();
        SourceScan scan = (SourceScan) calc.input();
        Batch batch = Batch.of(scan.spec().physicalSchema(), List.of(
                new Object[] {1L, 10L, 5.0, "web", 90_000L},
                new Object[] {2L, 11L, null, null, null}));
        BatchBuilder out = new BatchBuilder(calc.outputType());
        calc.projection().project(batch, new int[] {0, 1}, 2, new EvaluationContext(0, 0), out);
        List<Object[]> rows = out.build().rows();
        assertThat(rows.get(0)).containsExactly("eb", "web", 2L, 95.0, 1L, 1.7, 60_000L, 5.0, 1970L, 0L, "1", "web", null,
                true, true, 3_690_000L, true, true, "web");
        assertThat(rows.get(1)).containsExactly(null, null, null, null, 0L, null, null, null, null, null, "2", "none", 2L,
                false, null, null, null, true, null);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "GROUP BY TUMBLE(ts, INTERVAL '10' SECOND) | TUMBLE | true | 10000 | 10000 | 0 | 0",
        "GROUP BY HOP(ts, INTERVAL '2' SECOND, INTERVAL '10' SECOND) | HOP | true | 10000 | 2000 | 0 | 0",
        "GROUP BY SESSION(ts, INTERVAL '30' SECOND) | SESSION | true | 0 | 0 | 30000 | 0",
        "GROUP BY TUMBLE(pt, INTERVAL '1' MINUTE) | TUMBLE | false | 60000 | 60000 | 0 | 0",
        "FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end | TUMBLE | true | 10000 | 10000 | 0 | 0",
        "FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '1' HOUR, INTERVAL '15' MINUTE)) GROUP BY window_start, window_end | TUMBLE | true | 3600000 | 3600000 | 0 | 900000",
        "FROM TABLE(TUMBLE(DATA => TABLE bids, TIMECOL => DESCRIPTOR(ts), SIZE => INTERVAL '10' SECOND)) GROUP BY window_start, window_end | TUMBLE | true | 10000 | 10000 | 0 | 0",
        "FROM TABLE(HOP(TABLE bids, DESCRIPTOR(pt), INTERVAL '5' SECOND, INTERVAL '20' SECOND)) GROUP BY window_start, window_end | HOP | false | 20000 | 5000 | 0 | 0",
        "FROM TABLE(CUMULATE(TABLE bids, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '10' SECOND)) GROUP BY window_start, window_end | CUMULATE | true | 10000 | 2000 | 0 | 0",
        "FROM TABLE(SESSION(TABLE bids PARTITION BY bidder, DESCRIPTOR(ts), INTERVAL '30' SECOND)) GROUP BY window_start, window_end, bidder | SESSION | true | 0 | 0 | 30000 | 0",
        "FROM TABLE(SESSION(TABLE bids, DESCRIPTOR(ts), DESCRIPTOR(bidder), INTERVAL '30' SECOND)) GROUP BY window_start, window_end, bidder | SESSION | true | 0 | 0 | 30000 | 0",
    })
    void plansEveryWindowKindInBothSyntaxes(String clause, WindowKind kind, boolean eventTime, long size, long slide, long gap,
                                            long offset) {
        String from = clause.startsWith("FROM") ? clause : "FROM bids " + clause;
        WindowAggregate aggregate = find(continuous("SELECT STREAM COUNT(*) AS n " + from).plan(), WindowAggregate.class);
        WindowSpec window = aggregate.window();
        assertThat(window.kind()).isEqualTo(kind);
        assertThat(window.eventTime()).isEqualTo(eventTime);
        assertThat(window.sizeMillis()).isEqualTo(size);
        assertThat(window.slideMillis()).isEqualTo(slide);
        assertThat(window.gapMillis()).isEqualTo(gap);
        assertThat(window.offsetMillis()).isEqualTo(offset);
        DataType.Field time = aggregate.input().outputType().get(window.timeColumn());
        assertThat(time.type().kind()).isEqualTo(TypeKind.TIMESTAMP);
    }

    @Test
    void mapsEveryAggregate() {
        WindowAggregate aggregate = find(continuous("SELECT STREAM channel, COUNT(*), COUNT(price), COUNT(DISTINCT bidder),"
                + " SUM(price), MIN(price), MAX(channel), AVG(price), STDDEV_POP(price), STDDEV_SAMP(price), VAR_POP(price),"
                + " VAR_SAMP(price), APPROX_COUNT_DISTINCT(bidder), SUM(price) FILTER (WHERE channel = 'web')"
                + " FROM bids GROUP BY channel, TUMBLE(ts, INTERVAL '1' MINUTE)").plan(), WindowAggregate.class);
        assertThat(aggregate.aggregates()).extracting(AggregateCall::kind).containsExactly(AggregateKind.COUNT,
                AggregateKind.COUNT, AggregateKind.COUNT, AggregateKind.SUM, AggregateKind.MIN, AggregateKind.MAX,
                AggregateKind.AVG, AggregateKind.STDDEV_POP, AggregateKind.STDDEV_SAMP, AggregateKind.VAR_POP,
                AggregateKind.VAR_SAMP, AggregateKind.APPROX_COUNT_DISTINCT, AggregateKind.SUM);
        List<DataType.Field> input = aggregate.input().outputType();
        List<AggregateCall> calls = aggregate.aggregates();
        assertThat(calls.get(0).argument()).isEqualTo(-1);
        assertThat(input.get(calls.get(1).argument()).name()).isEqualTo("price");
        assertThat(calls.get(2).distinct()).isTrue();
        assertThat(input.get(calls.get(2).argument()).name()).isEqualTo("bidder");
        assertThat(calls.get(11).distinct()).isFalse();
        assertThat(calls.get(3).filterColumn()).isEqualTo(-1);
        assertThat(calls.get(12).filterColumn()).isGreaterThanOrEqualTo(0);
        assertThat(input.get(calls.get(12).filterColumn()).type().kind()).isEqualTo(TypeKind.BOOLEAN);
        assertThat(aggregate.groupKeys()).extracting(k -> input.get(k).name()).containsExactly("channel");
    }

    @Test
    void sessionEndIsTheWindowEndTheEngineComputes() {
        StatementResult.Continuous result = continuous("SELECT STREAM bidder, SESSION_START(ts, INTERVAL '30' SECOND) AS s,"
                + " SESSION_END(ts, INTERVAL '30' SECOND) AS e, COUNT(*) AS n FROM bids GROUP BY bidder, SESSION(ts, INTERVAL '30' SECOND)");
        Calc top = (Calc) result.plan();
        WindowAggregate aggregate = (WindowAggregate) top.input();
        // the aggregate's output: bidder, window_start, window_end, COUNT(*)
        Batch windows = Batch.of(aggregate.outputType(), List.<Object[]>of(new Object[] {7L, 1_000L, 45_000L, 3L}));
        BatchBuilder out = new BatchBuilder(top.outputType());
        top.projection().project(windows, new int[] {0}, 1, new EvaluationContext(0, 0), out);
        assertThat(out.build().rows().get(0)).containsExactly(7L, 1_000L, 45_000L, 3L);
    }

    @Test
    void tumbleEndAndHavingAreComputedAfterTheWindow() {
        StatementResult.Continuous result = continuous("SELECT STREAM TUMBLE_START(ts, INTERVAL '10' SECOND) AS s,"
                + " TUMBLE_END(ts, INTERVAL '10' SECOND) AS e, channel, COUNT(*) AS n FROM bids"
                + " GROUP BY TUMBLE(ts, INTERVAL '10' SECOND), channel HAVING COUNT(*) > 1");
        Calc top = (Calc) result.plan();
        WindowAggregate aggregate = (WindowAggregate) top.input();
        Batch windows = Batch.of(aggregate.outputType(), List.of(
                new Object[] {"web", 10_000L, 20_000L, 1L},
                new Object[] {"app", 10_000L, 20_000L, 2L}));
        int[] selection = {0, 1};
        int kept = top.filter().orElseThrow().filter(windows, selection, 2, selection);
        BatchBuilder out = new BatchBuilder(top.outputType());
        top.projection().project(windows, selection, kept, new EvaluationContext(0, 0), out);
        List<Object[]> rows = out.build().rows();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsExactly(10_000L, 20_000L, "app", 2L);
    }

    @Test
    void plansAnOutermostGroupByWithoutWindowAsTheChangesOfItsGroups() {
        StatementResult.Continuous plan = continuous("SELECT STREAM auction, COUNT(*) AS n FROM bids GROUP BY auction HAVING COUNT(*) > 1");
        assertThat(plan.columns()).extracting(ResultColumn::name).containsExactly("op", "auction", "n");
        Changelog changes = (Changelog) plan.plan();
        assertThat(changes.keyColumns()).containsExactly(0);
        assertThat(changes.keepColumn()).as("the HAVING decides whether a group is in the result").isTrue();
        assertThat(changes.outputType()).extracting(DataType.Field::name).containsExactly("op", "auction", "n");
        assertThat(find(changes, GroupAggregate.class).groupKeys()).hasSize(1);

        Changelog total = (Changelog) continuous("SELECT STREAM COUNT(*) AS n FROM bids").plan();
        assertThat(total.keyColumns()).as("one group").isEmpty();
        assertThat(total.keepColumn()).isFalse();
        // a windowed GROUP BY still sends each window's final rows
        assertThat(continuous("SELECT STREAM auction, COUNT(*) AS n FROM bids GROUP BY auction, TUMBLE(ts, INTERVAL '1' SECOND)")
                .plan()).isNotInstanceOf(Changelog.class);
        assertThatThrownBy(() -> continuous("SELECT STREAM COUNT(*) AS n FROM bids GROUP BY auction"))
                .hasMessageContaining("sends the changes of each group, so it must select every grouping column: add 'auction'");
    }

    @Test
    void plansUnionAllAndSubqueries() {
        PlanNode plan = continuous("SELECT STREAM * FROM (SELECT STREAM auction AS id, ts FROM bids WHERE price > 1)"
                + " UNION ALL SELECT STREAM id, ts FROM untimed").plan();
        UnionAll union = (UnionAll) plan;
        assertThat(union.inputs()).hasSize(2);
        assertThat(union.outputType()).extracting(DataType.Field::name).containsExactly("id", "ts");
        assertThat(find(union.inputs().get(1), SourceScan.class).spec().hasEventTime()).isFalse();

        WindowAggregate nested = find(continuous("SELECT STREAM window_end, n FROM (SELECT STREAM window_start, window_end,"
                + " COUNT(*) AS n FROM TABLE(TUMBLE((SELECT * FROM bids WHERE price > 5), DESCRIPTOR(ts),"
                + " INTERVAL '1' MINUTE)) GROUP BY window_start, window_end) WHERE n > 2").plan(), WindowAggregate.class);
        assertThat(nested.window().kind()).isEqualTo(WindowKind.TUMBLE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "SELECT STREAM n, COUNT(*) FROM (SELECT auction, COUNT(*) AS n FROM bids GROUP BY auction) GROUP BY n | inside a continuous query needs a window | ",
        "SELECT STREAM b.auction FROM bids b JOIN (SELECT auction, MAX(price) AS top FROM bids GROUP BY auction) m ON b.auction = m.auction | needs a window | ",
        "SELECT STREAM COUNT(*) FROM bids GROUP BY TUMBLE(ts + INTERVAL '1' SECOND, INTERVAL '1' SECOND) | neither | 1, column 34",
        "SELECT STREAM COUNT(*) FROM untimed GROUP BY TUMBLE(ts, INTERVAL '1' SECOND) | event-time column | ",
        "SELECT STREAM * FROM bids ORDER BY ts | ORDER BY is not supported | 1, column 27",
        "SELECT STREAM * FROM bids a JOIN untimed b ON a.auction = b.id | needs a time bound | ",
        "SELECT STREAM * FROM bids, untimed | needs a time bound | ",
        "SELECT STREAM * FROM products | read streams | ",
        "SELECT STREAM auction FROM bids UNION SELECT STREAM id FROM untimed | UNION ALL | ",
        "SELECT STREAM * FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '1' SECOND)) | GROUP BY window_start, window_end | ",
        "SELECT STREAM COUNT(*) FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '1' SECOND)) GROUP BY channel | add window_start, window_end | ",
        "SELECT STREAM COUNT(*) FROM TABLE(SESSION(TABLE bids PARTITION BY bidder, DESCRIPTOR(ts), INTERVAL '1' SECOND)) GROUP BY window_start, window_end | must also be in GROUP BY | ",
        "SELECT STREAM COUNT(*) FROM bids GROUP BY TUMBLE(ts, INTERVAL '1' MONTH) | not in months | ",
        "SELECT STREAM auction, ROW_NUMBER() OVER (ORDER BY ts) FROM bids | OVER windows | ",
        "SELECT STREAM * FROM (SELECT auction, RANK() OVER (PARTITION BY auction ORDER BY price) AS r FROM bids) WHERE r <= 3 | RANK() OVER is not supported | ",
        "SELECT STREAM * FROM (SELECT auction, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price) AS r FROM bids) WHERE r > 3 | bound the row number once | ",
        "SELECT STREAM * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price) AS r FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '1' SECOND))) WHERE r <= 3 | aggregate them first | ",
        "SELECT STREAM * FROM bids LIMIT 3 OFFSET 1 | OFFSET | ",
    })
    void rejectsWhatTheEngineCannotRunSayingWhatToWrite(String sql, String message, String position) {
        assertThatThrownBy(() -> executor.prepare(session, sql))
                .isInstanceOfSatisfying(WeirException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED);
                    assertThat(e.errorCode().sqlState()).isEqualTo("0A000");
                    assertThat(e.getMessage()).contains(message);
                    if (position != null) {
                        assertThat(e.getMessage()).contains("line " + position);
                    }
                });
    }

    @Test
    void typesParametersAndRejectsUnknownColumnsAtPrepare() {
        assertThat(executor.prepare(session, "SELECT STREAM auction FROM bids WHERE price > ?").parameters())
                .singleElement().satisfies(p -> assertThat(p.type().kind()).isEqualTo(io.weir.spi.type.TypeKind.DOUBLE));
        assertThatThrownBy(() -> executor.prepare(session, "SELECT STREAM nope FROM bids"))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_COLUMN));
    }

    @Test
    void emitEveryPlansAWindowThatSendsItsOpenGroupsAndAChangelogThatForgetsClosedWindows() {
        List<String> plan = explain("EXPLAIN PLAN FOR SELECT STREAM window_end, auction, COUNT(*) AS n"
                + " FROM TABLE(HOP(TABLE bids, DESCRIPTOR(ts), INTERVAL '1' SECOND, INTERVAL '4' SECOND))"
                + " GROUP BY window_start, window_end, auction EMIT EVERY INTERVAL '2' SECOND");
        assertThat(plan).anySatisfy(line -> assertThat(line).contains("Changelog(keys=[window_end, auction]")
                .contains("forget a window's row 8000 ms after its watermark passed it"));
        assertThat(plan).anySatisfy(line -> assertThat(line).contains("WindowAggregate(window=HOP(")
                .contains("emit=open windows' changed groups every 2000 ms of processing time, then final"));
        assertThat(executor.prepare(session, "SELECT STREAM window_end, auction, COUNT(*) AS n"
                + " FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '1' SECOND))"
                + " GROUP BY window_start, window_end, auction EMIT EVERY INTERVAL '2' SECOND").columns())
                .extracting(io.weir.sql.statement.ResultColumn::name).containsExactly("op", "window_end", "auction", "n");
        // the default, said out loud: final rows without an op column
        assertThat(executor.prepare(session, "SELECT STREAM window_end, auction, COUNT(*) AS n"
                + " FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '1' SECOND))"
                + " GROUP BY window_start, window_end, auction EMIT AFTER WATERMARK").columns())
                .extracting(io.weir.sql.statement.ResultColumn::name).containsExactly("window_end", "auction", "n");
    }

    @Test
    void explainShowsLogicalAndPhysicalPlansOfContinuousAndBoundedQueries() {
        List<String> continuous = explain("EXPLAIN PLAN FOR SELECT STREAM COUNT(*) FROM bids GROUP BY TUMBLE(ts, INTERVAL '1' SECOND)");
        assertThat(continuous).contains("== Logical plan (Calcite, optimized) ==", "== Physical plan (micro-batch operators) ==");
        assertThat(continuous).anySatisfy(line -> assertThat(line).startsWith("  WindowAggregate(window=TUMBLE(size=1000 ms, event time)"));
        assertThat(executor.prepare(session, "EXPLAIN PLAN FOR SELECT STREAM * FROM bids").columns())
                .extracting(ResultColumn::name).containsExactly("PLAN");

        List<String> bounded = explain("EXPLAIN PLAN FOR SELECT channel, COUNT(*) FROM bids GROUP BY channel");
        assertThat(bounded).contains("== Logical plan (Calcite) ==");
        assertThat(bounded).anySatisfy(line -> assertThat(line).contains("EnumerableAggregate"));
    }

    private List<String> explain(String sql) {
        StatementResult.Rows rows = (StatementResult.Rows) executor.execute(session, sql);
        List<String> lines = new ArrayList<>();
        rows.rows().forEachRemaining(row -> lines.add((String) row[0]));
        return lines;
    }

    @Test
    void viewsOverStreamsAreExpandedWhereTheyAreUsedAndSurviveARestart() {
        executor.execute(session, "CREATE VIEW expensive AS SELECT STREAM auction, price, ts FROM bids WHERE price > 10");
        executor.execute(session, "CREATE VIEW renamed (a, t) AS SELECT auction, ts FROM bids");
        assertThat(rows("SHOW VIEWS")).extracting(r -> r[0]).containsExactly("expensive", "renamed");
        assertThat(rows("DESCRIBE VIEW renamed")).extracting(r -> r[1]).contains("a", "t");

        WindowAggregate tvf = find(continuous("SELECT STREAM window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE expensive,"
                + " DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end").plan(), WindowAggregate.class);
        assertThat(tvf.window().eventTime()).isTrue();
        Calc filter = find(tvf, Calc.class);
        assertThat(filter.filter()).as("the view's WHERE runs before the window").isPresent();
        WindowAggregate grouped = find(continuous("SELECT STREAM a, COUNT(*) FROM renamed GROUP BY a, TUMBLE(t, INTERVAL '1' SECOND)")
                .plan(), WindowAggregate.class);
        assertThat(grouped.window().kind()).isEqualTo(WindowKind.TUMBLE);
        assertThat(executor.prepare(session, "SELECT * FROM renamed").columns()).extracting(ResultColumn::name)
                .containsExactly("a", "t");

        StatementExecutor reopened = new StatementExecutor(Catalog.open(new CatalogStore(dataDir.resolve("catalog"))), dataDir);
        assertThat(reopened.prepare(session, "SELECT STREAM * FROM expensive").columns()).extracting(ResultColumn::name)
                .containsExactly("auction", "price", "ts");

        executor.execute(session, "DROP VIEW expensive");
        assertThat(rows("SHOW VIEWS")).extracting(r -> r[0]).containsExactly("renamed");
        assertThatThrownBy(() -> executor.execute(session, "DROP STREAM renamed"))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.getMessage()).contains("is a view"));
    }

    @Test
    void rejectsViewsThatCannotBeExpanded() {
        assertThatThrownBy(() -> executor.execute(session, "CREATE VIEW s AS SELECT STREAM bidder, SESSION_END(ts, INTERVAL '1' SECOND)"
                + " FROM bids GROUP BY bidder, SESSION(ts, INTERVAL '1' SECOND)"))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED))
                .hasMessageContaining("SESSION_END is not supported in views");
        assertThatThrownBy(() -> executor.execute(session, "CREATE VIEW g AS SELECT STREAM n, COUNT(*) AS c FROM"
                + " (SELECT auction, COUNT(*) AS n FROM bids GROUP BY auction) GROUP BY n"))
                .hasMessageContaining("needs a window");
        assertThatThrownBy(() -> executor.execute(session, "CREATE VIEW n (a, b) AS SELECT auction FROM bids"))
                .hasMessageContaining("names 2 columns but its query has 1");
        assertThat(rows("SHOW VIEWS")).isEmpty();
    }

    private List<Object[]> rows(String sql) {
        StatementResult.Rows rows = (StatementResult.Rows) executor.execute(session, sql);
        List<Object[]> all = new ArrayList<>();
        rows.rows().forEachRemaining(all::add);
        return all;
    }

    @Test
    void plainSelectOverAnUnboundedStreamStillPointsToSelectStream() {
        assertThatThrownBy(() -> {
            StatementResult.Rows rows = (StatementResult.Rows) executor.execute(session, "SELECT * FROM bids");
            rows.rows().hasNext();
        }).isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.getMessage()).contains("SELECT STREAM"));
        assertThat(Arrays.asList(ErrorCode.values())).contains(ErrorCode.UNBOUNDED_QUERY_NOT_SUPPORTED);
    }
}

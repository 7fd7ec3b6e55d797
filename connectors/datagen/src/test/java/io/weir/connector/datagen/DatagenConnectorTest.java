package io.weir.connector.datagen;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorConformanceTest;
import io.weir.spi.connector.ManualClock;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DatagenConnectorTest extends ConnectorConformanceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long START = Instant.parse("2024-01-15T10:00:00Z").toEpochMilli();
    private static final List<DataType.Field> ORDERS = List.of(
            new DataType.Field("id", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("Category", DataType.varchar()),
            new DataType.Field("price", DataType.decimal(6, 2)),
            new DataType.Field("note", DataType.varchar()),
            new DataType.Field("ts", DataType.timestamp(3)));

    @Override
    protected String connectorName() {
        return "datagen";
    }

    @Override
    protected List<DataType.Field> schema() {
        return ORDERS;
    }

    @Override
    protected Map<String, String> fixtureOptions(Path dir) {
        return options("rows-per-second", "0", "number-of-rows", "4", "start-time", "2024-01-15 10:00:00",
                "fields.id.kind", "sequence", "fields.id.start", "10",
                "fields.category.values", "books",
                "fields.price.value", "9.99",
                "fields.note.kind", "constant", "fields.note.value", "hello, world",
                "fields.ts.max-disorder", "0 s");
    }

    @Override
    protected List<Object[]> expectedRows() {
        BigDecimal price = new BigDecimal("9.99");
        return List.of(
                new Object[] {10L, "books", price, "hello, world", START},
                new Object[] {11L, "books", price, "hello, world", START + 1},
                new Object[] {12L, "books", price, "hello, world", START + 2},
                new Object[] {13L, "books", price, "hello, world", START + 3});
    }

    private static Map<String, String> options(String... keyValues) {
        Map<String, String> options = new HashMap<>();
        options.put("connector", "datagen");
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put(keyValues[i], keyValues[i + 1]);
        }
        return options;
    }

    private SourceHarness open(List<DataType.Field> schema, Map<String, String> options, InstantSource clock) {
        return SourceHarness.create("orders", ObjectKind.STREAM, schema, options, tempDir, clock);
    }

    private SourceHarness open(List<DataType.Field> schema, Map<String, String> options) {
        return open(schema, options, InstantSource.system());
    }

    private static void rejected(ThrowingRunnable action, ErrorCode code, String... fragments) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(WeirException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(code);
            for (String fragment : fragments) {
                assertThat(e.getMessage()).contains(fragment);
            }
        });
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    // ---- determinism -------------------------------------------------------------------------

    private static final List<DataType.Field> RANDOM = List.of(
            new DataType.Field("n", DataType.of(TypeKind.INTEGER)),
            new DataType.Field("d", DataType.of(TypeKind.DOUBLE)),
            new DataType.Field("s", DataType.varchar(12)),
            new DataType.Field("b", DataType.of(TypeKind.BOOLEAN)),
            new DataType.Field("ts", DataType.timestamp(3)),
            new DataType.Field("tags", DataType.array(DataType.varchar())),
            new DataType.Field("attrs", DataType.map(DataType.varchar(), DataType.of(TypeKind.BIGINT))),
            new DataType.Field("point", DataType.row(List.of(new DataType.Field("x", DataType.of(TypeKind.DOUBLE)),
                    new DataType.Field("day", DataType.of(TypeKind.DATE))))));

    private List<Object[]> randomRows(String seed, int maxRowsPerPoll) {
        SourceHarness harness = open(RANDOM, options("seed", seed, "rows-per-second", "0", "number-of-rows", "200",
                "start-time", "2024-01-15 10:00:00", "fields.ts.max-disorder", "5 s", "fields.n.null-rate", "0.2"));
        try (SourceReader reader = harness.createSource().createReader()) {
            BatchBuilder builder = new BatchBuilder(RANDOM);
            while (!reader.isFinished()) {
                reader.poll(builder, maxRowsPerPoll);
            }
            return builder.build().rows();
        }
    }

    @Test
    void sameSeedSameRowsWhateverThePollSize() {
        List<Object[]> first = randomRows("42", 1000);
        assertThat(first).hasSize(200);
        assertThat(randomRows("42", 3)).containsExactlyElementsOf(first);
        assertThat(randomRows("43", 1000)).isNotEqualTo(first);
        assertThat(first).extracting(row -> row[0]).containsNull();
    }

    @Test
    void addingAColumnKeepsTheOthersValues() {
        Map<String, String> options = options("seed", "7", "rows-per-second", "0", "number-of-rows", "50");
        List<DataType.Field> one = List.of(new DataType.Field("n", DataType.of(TypeKind.BIGINT)));
        List<DataType.Field> two = List.of(new DataType.Field("extra", DataType.varchar()), new DataType.Field("n", DataType.of(TypeKind.BIGINT)));
        List<Object[]> narrow = open(one, options).readAll(TIMEOUT);
        List<Object[]> wide = open(two, options).readAll(TIMEOUT);
        assertThat(wide).extracting(row -> row[1]).containsExactlyElementsOf(narrow.stream().map(row -> row[0]).toList());
    }

    // ---- rate, bounds, time ------------------------------------------------------------------

    @Test
    void rowsFollowTheRateOfTheClockWithoutWaiting() {
        ManualClock clock = ManualClock.at("2024-01-15T10:00:00Z");
        List<DataType.Field> schema = List.of(new DataType.Field("ts", DataType.timestamp(3)));
        SourceHarness harness = open(schema, options("rows-per-second", "100"), clock);
        try (SourceReader reader = harness.createSource().createReader()) {
            BatchBuilder builder = new BatchBuilder(schema);
            long started = System.nanoTime();
            assertThat(reader.poll(builder, 1000)).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(200));
            clock.advance(Duration.ofSeconds(1));
            assertThat(reader.poll(builder, 1000)).isEqualTo(100);
            clock.advance(Duration.ofMillis(250));
            assertThat(reader.poll(builder, 10)).isEqualTo(10);
            assertThat(reader.poll(builder, 1000)).isEqualTo(15);
            assertThat(reader.poll(builder, 1000)).isZero();
            List<Object[]> rows = builder.build().rows();
            for (int i = 0; i < rows.size(); i++) {
                assertThat(rows.get(i)[0]).isEqualTo(START + i * 10L);
            }
        }
    }

    @Test
    void numberOfRowsAndSequenceEndBoundTheSource() {
        List<DataType.Field> schema = List.of(new DataType.Field("id", DataType.of(TypeKind.INTEGER)));
        assertThat(open(schema, options("rows-per-second", "0", "number-of-rows", "7")).readAll(TIMEOUT)).hasSize(7);
        SourceHarness sequence = open(schema, options("rows-per-second", "0", "fields.id.start", "5", "fields.id.end", "9"));
        assertThat(sequence.createSource().isBounded()).isTrue();
        assertThat(sequence.readAll(TIMEOUT)).extracting(row -> row[0]).containsExactly(5L, 6L, 7L, 8L, 9L);
        assertThat(open(schema, options("rows-per-second", "0", "number-of-rows", "2", "fields.id.end", "9")).readAll(TIMEOUT))
                .extracting(row -> row[0]).containsExactly(1L, 2L);
        assertThat(open(schema, options("number-of-rows", "0")).readAll(TIMEOUT)).isEmpty();
    }

    @Test
    void unboundedByDefault() {
        SourceHarness harness = open(ORDERS, options("rows-per-second", "0"));
        Source source = harness.createSource();
        assertThat(source.isBounded()).isFalse();
        assertThat(harness.readRows(5000, TIMEOUT)).hasSize(5000);
    }

    @Test
    void eventTimesFollowTheClockWithBoundedDisorder() {
        ManualClock clock = ManualClock.at("2024-01-15T10:00:00Z");
        List<DataType.Field> schema = List.of(new DataType.Field("ts", DataType.timestamp(3)));
        SourceHarness harness = open(schema, options("rows-per-second", "1000", "fields.ts.max-disorder", "2 s"), clock);
        try (SourceReader reader = harness.createSource().createReader()) {
            BatchBuilder builder = new BatchBuilder(schema);
            for (int second = 0; second < 10; second++) {
                clock.advance(Duration.ofSeconds(1));
                reader.poll(builder, 10_000);
            }
            List<Object[]> rows = builder.build().rows();
            assertThat(rows).hasSize(10_000);
            long max = START - 2000;
            int outOfOrder = 0;
            for (int i = 0; i < rows.size(); i++) {
                long ts = (Long) rows.get(i)[0];
                long scheduled = START + i;
                assertThat(ts).isBetween(scheduled - 2000, scheduled);
                assertThat(ts).as("lateness behind the newest timestamp").isGreaterThanOrEqualTo(max - 2000);
                if (ts < max) {
                    outOfOrder++;
                }
                max = Math.max(max, ts);
            }
            assertThat(outOfOrder).isGreaterThan(1000);
        }
    }

    // ---- generators ---------------------------------------------------------------------------

    @Test
    void generatorOptionsAreRespected() {
        List<DataType.Field> schema = List.of(
                new DataType.Field("n", DataType.of(TypeKind.SMALLINT)),
                new DataType.Field("x", DataType.of(TypeKind.DOUBLE)),
                new DataType.Field("s", DataType.varchar()),
                new DataType.Field("c", DataType.of(TypeKind.INTEGER)),
                new DataType.Field("amount", DataType.decimal(4, 2)),
                new DataType.Field("fixed", DataType.charType(4)),
                new DataType.Field("day", DataType.of(TypeKind.DATE)),
                new DataType.Field("maybe", DataType.varchar()));
        List<Object[]> rows = open(schema, options("rows-per-second", "0", "number-of-rows", "10000", "seed", "1",
                "fields.n.min", "-5", "fields.n.max", "5",
                "fields.x.min", "0.5", "fields.x.max", "1.5",
                "fields.s.length", "3",
                "fields.c.kind", "enum", "fields.c.values", "1, 2,3",
                "fields.day.min", "2024-01-01", "fields.day.max", "2024-01-31",
                "fields.maybe.null-rate", "0.3")).readAll(TIMEOUT);
        assertThat(rows).hasSize(10_000).allSatisfy(row -> {
            assertThat((Long) row[0]).isBetween(-5L, 5L);
            assertThat((Double) row[1]).isBetween(0.5, 1.5);
            assertThat((String) row[2]).matches("[A-Za-z0-9]{3}");
            assertThat(row[3]).isIn(1L, 2L, 3L);
            assertThat((BigDecimal) row[4]).isBetween(BigDecimal.ZERO, new BigDecimal("99.99"));
            assertThat(((BigDecimal) row[4]).scale()).isEqualTo(2);
            assertThat((String) row[5]).hasSize(4);
            assertThat((Long) row[6]).isBetween(19723L, 19753L);
        });
        assertThat(rows.stream().map(row -> row[0]).distinct().count()).isEqualTo(11);
        double nulls = rows.stream().filter(row -> row[7] == null).count() / 10_000.0;
        assertThat(nulls).isCloseTo(0.3, within(0.03));
    }

    @Test
    void defaultGeneratorsCoverEveryType() {
        List<Object[]> rows = open(RANDOM, options("rows-per-second", "0", "number-of-rows", "100")).readAll(TIMEOUT);
        assertThat(rows).hasSize(100).allSatisfy(row -> {
            assertThat(row).doesNotContainNull();
            assertThat((String) row[2]).hasSizeLessThanOrEqualTo(12);
            assertThat((List<?>) row[5]).hasSizeLessThanOrEqualTo(3);
            assertThat((Object[]) row[7]).hasSize(2);
        });
    }

    // ---- validation ---------------------------------------------------------------------------

    @Test
    void fieldOptionsAreChecked() {
        rejected(() -> open(ORDERS, options("fields.nope.kind", "random")), ErrorCode.UNKNOWN_OPTION,
                "'fields.nope.kind'", "no column 'nope'");
        rejected(() -> open(ORDERS, options("fields.id.mn", "1")), ErrorCode.UNKNOWN_OPTION, "'fields.id.mn'", "min");
        rejected(() -> open(ORDERS, options("fields.id", "1")), ErrorCode.UNKNOWN_OPTION, "'fields.id'");
        rejected(() -> open(ORDERS, options("fields.id.kind", "timestamp")), ErrorCode.INVALID_OPTION_VALUE,
                "'fields.id.kind'", "cannot produce BIGINT");
        rejected(() -> open(ORDERS, options("fields.id.kind", "gaussian")), ErrorCode.INVALID_OPTION_VALUE,
                "'fields.id.kind'", "sequence, random, enum, timestamp, constant");
        rejected(() -> open(ORDERS, options("fields.id.min", "10", "fields.id.max", "1")), ErrorCode.INVALID_OPTION_VALUE, "'fields.id.max'");
        rejected(() -> open(ORDERS, options("fields.id.values", "1,x")), ErrorCode.INVALID_OPTION_VALUE,
                "'fields.id.values'", "cannot parse 'x' as BIGINT");
        rejected(() -> open(ORDERS, options("fields.id.kind", "sequence", "fields.id.values", "1")), ErrorCode.INVALID_OPTION_VALUE,
                "'fields.id.values'", "does not apply to kind 'sequence'");
        rejected(() -> open(ORDERS, options("fields.id.length", "3")), ErrorCode.INVALID_OPTION_VALUE, "'fields.id.length'");
        rejected(() -> open(ORDERS, options("fields.note.min", "3")), ErrorCode.INVALID_OPTION_VALUE, "'fields.note.min'", "'length'");
        rejected(() -> open(ORDERS, options("fields.note.null-rate", "2")), ErrorCode.INVALID_OPTION_VALUE, "'fields.note.null-rate'");
        rejected(() -> open(ORDERS, options("fields.ts.max-disorder", "soon")), ErrorCode.INVALID_OPTION_VALUE, "'fields.ts.max-disorder'");
        rejected(() -> open(ORDERS, options("fields.price.max", "100000")), ErrorCode.INVALID_OPTION_VALUE,
                "'fields.price.max'", "does not fit DECIMAL(6, 2)");
        rejected(() -> open(ORDERS, options("fields.id.end", "3", "fields.id.start", "5")), ErrorCode.INVALID_OPTION_VALUE, "'fields.id.end'");
        List<DataType.Field> notNull = List.of(new DataType.Field("id", DataType.of(TypeKind.BIGINT).withNullable(false)));
        rejected(() -> open(notNull, options("fields.id.null-rate", "0.1")), ErrorCode.INVALID_OPTION_VALUE, "NOT NULL");
    }

    @Test
    void sourceOptionsAreChecked() {
        rejected(() -> open(ORDERS, options("rows-per-second", "-1")), ErrorCode.INVALID_OPTION_VALUE, "'rows-per-second'");
        rejected(() -> open(ORDERS, options("rows-per-second", "fast")), ErrorCode.INVALID_OPTION_VALUE, "'rows-per-second'");
        rejected(() -> open(ORDERS, options("number-of-rows", "-3")), ErrorCode.INVALID_OPTION_VALUE, "'number-of-rows'");
        rejected(() -> open(ORDERS, options("start-time", "yesterday")), ErrorCode.INVALID_OPTION_VALUE, "'start-time'");
        rejected(() -> SourceHarness.create("t", ObjectKind.TABLE, ORDERS, options(), tempDir, InstantSource.system()),
                ErrorCode.VALIDATION_ERROR, "needs an end");
        SourceHarness table = SourceHarness.create("t", ObjectKind.TABLE, ORDERS, options("number-of-rows", "3", "rows-per-second", "0"),
                tempDir, InstantSource.system());
        assertThat(table.readAll(TIMEOUT)).hasSize(3);
    }

    // ---- weblogs ------------------------------------------------------------------------------

    private static final List<DataType.Field> LOGS = List.of(
            new DataType.Field("IP", DataType.varchar()),
            new DataType.Field("user", DataType.varchar()),
            new DataType.Field("method", DataType.varchar()),
            new DataType.Field("url", DataType.varchar()),
            new DataType.Field("status", DataType.of(TypeKind.INTEGER)),
            new DataType.Field("bytes", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("latency", DataType.of(TypeKind.DOUBLE)),
            new DataType.Field("ts", DataType.timestamp(3)));

    @Test
    void weblogsProfileHasRealisticDistributions() {
        List<Object[]> rows = open(LOGS, options("profile", "weblogs", "rows-per-second", "0", "number-of-rows", "20000",
                "seed", "3", "start-time", "2024-01-15 10:00:00")).readAll(TIMEOUT);
        Map<Object, Long> statuses = count(rows, 4);
        assertThat(statuses.get(200L) / 20_000.0).isBetween(0.75, 0.92);
        assertThat(statuses).containsKeys(404L, 500L, 304L);
        assertThat(statuses.get(404L)).isGreaterThan(statuses.get(500L));
        Map<Object, Long> methods = count(rows, 2);
        assertThat(methods.get("GET")).isGreaterThan(methods.get("POST"));
        Map<Object, Long> users = count(rows, 1);
        assertThat(users.size()).isBetween(300, 1001);
        assertThat(users.get("-") / 20_000.0).isCloseTo(0.25, within(0.03));
        Map<Object, Long> urls = count(rows, 3);
        long top = urls.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(urls.get("/")).isEqualTo(top);
        assertThat(top / 20_000.0).isGreaterThan(0.05);
        assertThat(rows).allSatisfy(row -> {
            assertThat((String) row[0]).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
            assertThat((Long) row[5]).isNotNegative();
            if (row[4].equals(304L)) {
                assertThat(row[5]).isEqualTo(0L);
            }
            assertThat((Double) row[6]).isPositive();
        });
        // A user keeps one IP.
        Map<Object, java.util.Set<Object>> ipsByUser = new HashMap<>();
        rows.stream().filter(row -> !row[1].equals("-"))
                .forEach(row -> ipsByUser.computeIfAbsent(row[1], u -> new java.util.HashSet<>()).add(row[0]));
        assertThat(ipsByUser.values()).allSatisfy(ips -> assertThat(ips).hasSize(1));
        double medianLatency = rows.stream().mapToDouble(row -> (Double) row[6]).sorted().skip(10_000).findFirst().orElseThrow();
        assertThat(medianLatency).isBetween(15.0, 80.0);
    }

    private static Map<Object, Long> count(List<Object[]> rows, int column) {
        Map<Object, Long> counts = new HashMap<>();
        rows.forEach(row -> counts.merge(row[column], 1L, Long::sum));
        return counts;
    }

    @Test
    void weblogsSubsetIsDeterministic() {
        List<DataType.Field> subset = List.of(new DataType.Field("STATUS", DataType.varchar()), new DataType.Field("ts", DataType.timestamp(3)));
        Map<String, String> options = options("profile", "weblogs", "rows-per-second", "0", "number-of-rows", "100",
                "start-time", "2024-01-15 10:00:00", "fields.ts.max-disorder", "1 s");
        List<Object[]> first = open(subset, options).readAll(TIMEOUT);
        assertThat(open(subset, options).readAll(TIMEOUT)).containsExactlyElementsOf(first);
        assertThat(first).allSatisfy(row -> assertThat((String) row[0]).matches("[2-5]\\d\\d"));
    }

    @Test
    void weblogsRejectsUnknownColumnsAndTypes() {
        List<DataType.Field> unknown = List.of(new DataType.Field("ip", DataType.varchar()), new DataType.Field("country", DataType.varchar()));
        rejected(() -> open(unknown, options("profile", "weblogs")), ErrorCode.UNKNOWN_COLUMN,
                "column 'country'", "ip, user, method, url, status, bytes, latency, ts, referrer, user_agent");
        List<DataType.Field> wrongType = List.of(new DataType.Field("ts", DataType.varchar()));
        rejected(() -> open(wrongType, options("profile", "weblogs")), ErrorCode.VALIDATION_ERROR, "column 'ts'", "TIMESTAMP");
        rejected(() -> open(LOGS, options("profile", "weblogs", "fields.status.kind", "constant")), ErrorCode.UNKNOWN_OPTION,
                "'fields.status.kind'");
        rejected(() -> open(LOGS, options("profile", "apache")), ErrorCode.INVALID_OPTION_VALUE, "'profile'");
    }
}

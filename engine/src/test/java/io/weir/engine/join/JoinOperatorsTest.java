package io.weir.engine.join;

import io.weir.engine.expression.BatchFilter;
import io.weir.engine.operator.Operator;
import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.IntervalJoin;
import io.weir.engine.plan.JoinKind;
import io.weir.engine.plan.LookupJoin;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SourceScan;
import io.weir.engine.plan.SourceSpec;
import io.weir.engine.plan.WindowJoin;
import io.weir.engine.source.SourceOpener;
import io.weir.engine.source.SourceStatistics;
import io.weir.engine.state.KeyGroupRange;
import io.weir.engine.state.KeyGroups;
import io.weir.engine.state.KeyHashing;
import io.weir.engine.testing.ManualClock;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.LongVector;
import io.weir.spi.connector.ConnectorServices;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.memory.InMemoryData;
import io.weir.spi.error.InMemoryDeadLetterSink;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.weir.engine.testing.TestPlans.KV_TS;
import static io.weir.engine.testing.TestPlans.row;
import static io.weir.engine.testing.TestPlans.show;
import static io.weir.engine.testing.TestPlans.stream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The join operators fed by hand: matches, outer rows, state freed once the watermarks pass, late
 * rows, table refresh. Expected rows are worked out in the comments.
 */
class JoinOperatorsTest {
    private static final List<DataType.Field> PRODUCTS = List.of(
            new DataType.Field("id", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("name", DataType.of(TypeKind.VARCHAR)));
    private static final List<DataType.Field> WINDOWED = List.of(
            new DataType.Field("k", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("window_start", DataType.timestamp(3)),
            new DataType.Field("window_end", DataType.timestamp(3)),
            new DataType.Field("n", DataType.of(TypeKind.BIGINT)));

    private final List<String> dataSets = new ArrayList<>();
    private final SourceOpener opener = new SourceOpener(Path.of("target", "test-data"), new SourceStatistics(),
            new InMemoryDeadLetterSink(), new ManualClock(0), new ConnectorServices());

    @AfterEach
    void unregister() {
        dataSets.forEach(InMemoryData::unregister);
    }

    private String data(String name, Object[]... rows) {
        String unique = name + "-" + System.nanoTime();
        InMemoryData.register(unique, List.of(rows), true);
        dataSets.add(unique);
        return unique;
    }

    private static List<DataType.Field> concat(List<DataType.Field> left, List<DataType.Field> right, boolean rightNullable) {
        List<DataType.Field> fields = new ArrayList<>(left);
        for (DataType.Field field : right) {
            fields.add(rightNullable ? new DataType.Field(field.name() + "0", field.type().withNullable(true))
                    : new DataType.Field(field.name() + "0", field.type()));
        }
        return fields;
    }

    private static Batch batch(List<DataType.Field> type, Object[]... rows) {
        return Batch.of(type, java.util.Arrays.asList(rows));
    }

    private static List<String> drain(Operator operator) {
        List<Object[]> rows = new ArrayList<>();
        Batch batch;
        while ((batch = operator.getOutput()) != null) {
            rows.addAll(batch.rows());
        }
        return show(rows);
    }

    private LookupJoin lookup(String table, JoinKind kind, Optional<BatchFilter> condition, Optional<Duration> refresh) {
        PlanNode input = stream("unused", 0);
        SourceSpec spec = new SourceSpec(table, ObjectKind.TABLE, Map.of("connector", "memory", "data", table), PRODUCTS, -1,
                Duration.ZERO, Optional.empty());
        return new LookupJoin(input, new SourceScan(spec), List.of(0), List.of(0), kind, condition, condition.isPresent() ? "cond" : "", refresh,
                concat(KV_TS, PRODUCTS, true));
    }

    @Test
    void lookupJoinEnrichesEachRowWithTheTableAndPassesTheWatermark() {
        String table = data("products", row(1L, "lamp"), row(2L, "desk"), row(2L, "desk2"), row(null, "nobody"));
        try (LookupJoinOperator inner = new LookupJoinOperator(lookup(table, JoinKind.INNER, Optional.empty(), Optional.empty()),
                opener)) {
            assertThat(inner.tableRows()).isEqualTo(3); // the NULL key can match nothing
            inner.addInput(batch(KV_TS, row(1L, 10L, 5L), row(2L, 20L, 6L), row(3L, 30L, 7L), row(null, 40L, 8L)));
            assertThat(drain(inner)).containsExactlyInAnyOrder(
                    "[1, 10, 5, 1, lamp]", "[2, 20, 6, 2, desk]", "[2, 20, 6, 2, desk2]");
            inner.processWatermark(0, Watermark.active(7));
            assertThat(inner.outputWatermark()).isEqualTo(Watermark.active(7));
        }
        // LEFT, and only names other than 'desk' match: key 2 keeps desk2, key 3 and NULL get NULLs
        BatchFilter notDesk = (batch, selection, count, out) -> {
            int kept = 0;
            for (int i = 0; i < count; i++) {
                if (!"desk".equals(batch.value(4, selection[i]))) {
                    out[kept++] = selection[i];
                }
            }
            return kept;
        };
        try (LookupJoinOperator left = new LookupJoinOperator(lookup(table, JoinKind.LEFT, Optional.of(notDesk), Optional.empty()),
                opener)) {
            left.addInput(batch(KV_TS, row(1L, 10L, 5L), row(2L, 20L, 6L), row(3L, 30L, 7L), row(null, 40L, 8L)));
            assertThat(drain(left)).containsExactlyInAnyOrder("[1, 10, 5, 1, lamp]", "[2, 20, 6, 2, desk2]",
                    "[3, 30, 7, null, null]", "[null, 40, 8, null, null]");
        }
    }

    @Test
    void lookupJoinRereadsTheTableEveryRefreshInterval() throws InterruptedException {
        String table = data("products-refresh", row(1L, "lamp"));
        try (LookupJoinOperator join = new LookupJoinOperator(
                lookup(table, JoinKind.LEFT, Optional.empty(), Optional.of(Duration.ofMillis(20))), opener)) {
            join.addInput(batch(KV_TS, row(2L, 20L, 6L)));
            assertThat(drain(join)).containsExactly("[2, 20, 6, null, null]");
            InMemoryData.append(table, List.<Object[]>of(row(2L, "desk")));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (join.tableRows() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(join.tableRows()).isEqualTo(2);
            join.addInput(batch(KV_TS, row(2L, 21L, 7L)));
            assertThat(drain(join)).containsExactly("[2, 21, 7, 2, desk]");
        }
    }

    private static WindowJoin windowJoin(JoinKind kind) {
        return new WindowJoin(stream("l", WINDOWED, 2, 0, Optional.empty()), stream("r", WINDOWED, 2, 0, Optional.empty()),
                List.of(0, 1, 2), List.of(0, 1, 2), 2, 2, kind, Optional.empty(), "", concat(WINDOWED, WINDOWED, true));
    }

    @Test
    void windowJoinMatchesAWindowOnceBothWatermarksPassItsEndThenFreesIt() {
        WindowJoinOperator join = new WindowJoinOperator(windowJoin(JoinKind.INNER));
        join.addInput(0, batch(WINDOWED, row(1L, 0L, 10L, 3L), row(2L, 0L, 10L, 1L), row(1L, 10L, 20L, 4L)));
        join.addInput(1, batch(WINDOWED, row(1L, 0L, 10L, 7L), row(1L, 10L, 20L, 8L)));
        join.processWatermark(0, Watermark.active(9));
        assertThat(drain(join)).isEmpty(); // the right side's watermark has not reached 9
        join.processWatermark(1, Watermark.active(12));
        // [0, 10) fires: key 1 matches, key 2 has no partner; [10, 20) stays
        assertThat(drain(join)).containsExactly("[1, 0, 10, 3, 1, 0, 10, 7]");
        assertThat(join.heldRows(0)).isEqualTo(1);
        assertThat(join.heldRows(1)).isEqualTo(1);
        assertThat(join.outputWatermark()).isEqualTo(Watermark.active(9));

        join.addInput(1, batch(WINDOWED, row(2L, 0L, 10L, 9L))); // its window fired: late
        assertThat(join.lateRows()).isEqualTo(1);
        join.processWatermark(0, Watermark.FINISHED);
        join.processWatermark(1, Watermark.FINISHED);
        assertThat(drain(join)).containsExactly("[1, 10, 20, 4, 1, 10, 20, 8]");
        assertThat(join.heldRows(0)).isZero();
        assertThat(join.heldRows(1)).isZero();
    }

    @Test
    void windowJoinOfManyKeysMatchesEachOnceAcrossTableGrowth() {
        // enough keys that the held rows' hash table grows while rows are added (a row once got linked twice there)
        WindowJoinOperator join = new WindowJoinOperator(windowJoin(JoinKind.INNER));
        List<Object[]> left = new java.util.ArrayList<>();
        List<Object[]> right = new java.util.ArrayList<>();
        for (long key = 0; key < 500; key++) {
            left.add(row(key, 0L, 10L, key));
            right.add(row(key, 0L, 10L, -key));
        }
        join.addInput(0, Batch.of(WINDOWED, left));
        join.addInput(1, Batch.of(WINDOWED, right));
        join.processWatermark(0, Watermark.FINISHED);
        join.processWatermark(1, Watermark.FINISHED);
        List<String> out = drain(join);
        assertThat(out).hasSize(500).doesNotHaveDuplicates();
        assertThat(out).contains("[499, 0, 10, 499, 499, 0, 10, -499]");
        assertThat(join.heldRows(0)).isZero();
    }

    @Test
    void outerWindowJoinsPadRowsWithoutAPartner() {
        WindowJoinOperator join = new WindowJoinOperator(windowJoin(JoinKind.FULL));
        join.addInput(0, batch(WINDOWED, row(1L, 0L, 10L, 3L), row(2L, 0L, 10L, 1L)));
        join.addInput(1, batch(WINDOWED, row(1L, 0L, 10L, 7L), row(3L, 0L, 10L, 5L)));
        join.finish();
        assertThat(drain(join)).containsExactlyInAnyOrder("[1, 0, 10, 3, 1, 0, 10, 7]",
                "[2, 0, 10, 1, null, null, null, null]", "[null, null, null, null, 3, 0, 10, 5]");
        assertThat(join.isFinished()).isTrue();
    }

    /** {@code -5 <= right.ts - left.ts <= 10} over the output row (left ts is column 2, right ts column 5). */
    private static final BatchFilter WITHIN_BOUNDS = (batch, selection, count, out) -> {
        long[] left = ((LongVector) batch.column(2)).values();
        long[] right = ((LongVector) batch.column(5)).values();
        int kept = 0;
        for (int i = 0; i < count; i++) {
            long difference = right[selection[i]] - left[selection[i]];
            if (difference >= -5 && difference <= 10) {
                out[kept++] = selection[i];
            }
        }
        return kept;
    };

    private static IntervalJoin intervalJoin(JoinKind kind) {
        return new IntervalJoin(stream("l", 0), stream("r", 0), List.of(0), List.of(0), 2, 2, -5, 10, kind,
                Optional.of(WITHIN_BOUNDS), "bounds", concat(KV_TS, KV_TS, true));
    }

    @Test
    void intervalJoinMatchesWithinTheBoundsAndFreesRowsTheOtherWatermarkPassed() {
        IntervalJoinOperator join = new IntervalJoinOperator(intervalJoin(JoinKind.INNER));
        join.addInput(0, batch(KV_TS, row(1L, 1L, 100L), row(2L, 2L, 100L)));
        join.processWatermark(0, Watermark.active(100));
        join.addInput(1, batch(KV_TS, row(1L, 11L, 105L), row(1L, 12L, 120L), row(2L, 13L, 94L)));
        // 105 - 100 = 5 matches; 120 - 100 = 20 and 94 - 100 = -6 do not
        assertThat(drain(join)).containsExactly("[1, 1, 100, 1, 11, 105]");
        assertThat(join.outputWatermark()).isEqualTo(Watermark.INITIAL);
        join.processWatermark(1, Watermark.active(105));
        // left rows live while ts + 10 >= right watermark: 110 >= 105; right rows while ts + 5 >= left watermark (100)
        assertThat(join.heldRows(0)).isEqualTo(2);
        assertThat(join.heldRows(1)).isEqualTo(2); // 94 + 5 < 100 was never held
        assertThat(join.outputWatermark()).isEqualTo(Watermark.active(90)); // min(100, 105) - max(5, 10)

        join.addInput(0, batch(KV_TS, row(1L, 3L, 112L))); // matches 120 (8) and 105 (-7: no)
        assertThat(drain(join)).containsExactly("[1, 3, 112, 1, 12, 120]");
        join.processWatermark(1, Watermark.active(111));
        assertThat(join.heldRows(0)).isEqualTo(1); // the rows at 100 expired (110 < 111); 112 stays
        join.processWatermark(0, Watermark.active(126));
        assertThat(join.heldRows(1)).isZero(); // 105 + 5 and 120 + 5 < 126
        assertThat(join.outputWatermark()).isEqualTo(Watermark.active(101));

        // the join's watermark is min(126, 111): a row older than that is late, dropped and counted
        join.addInput(1, batch(KV_TS, row(1L, 14L, 110L), row(1L, 15L, 113L)));
        assertThat(drain(join)).containsExactly("[1, 3, 112, 1, 15, 113]");
        assertThat(join.lateRows()).isEqualTo(1);
    }

    @Test
    void outerIntervalJoinsEmitUnmatchedRowsWhenTheyExpire() {
        IntervalJoinOperator join = new IntervalJoinOperator(intervalJoin(JoinKind.LEFT));
        join.addInput(0, batch(KV_TS, row(1L, 1L, 100L), row(2L, 2L, 100L)));
        join.addInput(1, batch(KV_TS, row(1L, 11L, 105L)));
        assertThat(drain(join)).containsExactly("[1, 1, 100, 1, 11, 105]");
        join.processWatermark(0, Watermark.active(100));
        join.processWatermark(1, Watermark.active(110));
        assertThat(drain(join)).isEmpty(); // 100 + 10 is not below 110 yet
        join.processWatermark(1, Watermark.active(111));
        assertThat(drain(join)).containsExactly("[2, 2, 100, null, null, null]");
        assertThat(join.heldRows(0)).isZero();
        join.addInput(0, batch(KV_TS, row(3L, 3L, 50L))); // older than the join's watermark (100): late, dropped
        assertThat(drain(join)).isEmpty();
        assertThat(join.lateRows()).isEqualTo(1);
        join.addInput(0, batch(KV_TS, row(4L, 4L, 100L))); // not late, but no right row can come for it any more
        assertThat(drain(join)).containsExactly("[4, 4, 100, null, null, null]");
        assertThat(join.heldRows(0)).isZero();
    }

    @Test
    void joinStateSurvivesASnapshotAndARestoreKeepsOnlyItsKeyGroups() {
        WindowJoinOperator join = new WindowJoinOperator(windowJoin(JoinKind.LEFT));
        join.addInput(0, batch(WINDOWED, row(1L, 0L, 10L, 3L), row(2L, 0L, 10L, 1L)));
        join.addInput(1, batch(WINDOWED, row(1L, 0L, 10L, 7L)));
        join.processWatermark(0, Watermark.active(5));
        byte[] snapshot = join.snapshot();

        WindowJoinOperator restored = new WindowJoinOperator(windowJoin(JoinKind.LEFT));
        restored.restore(snapshot, KeyGroupRange.ALL);
        assertThat(restored.heldRows(0)).isEqualTo(2);
        restored.processWatermark(1, Watermark.active(9)); // the left watermark (5) came back with the snapshot
        assertThat(drain(restored)).isEmpty();
        restored.processWatermark(0, Watermark.active(9));
        assertThat(drain(restored)).containsExactlyInAnyOrder("[1, 0, 10, 3, 1, 0, 10, 7]", "[2, 0, 10, 1, null, null, null, null]");

        // the rows of key 1 (window [0, 10)) only, as an instance owning that key's group would restore
        long hash = KeyHashing.combine(KeyHashing.combine(KeyHashing.combine(17, KeyHashing.hashLong(1)),
                KeyHashing.hashLong(0)), KeyHashing.hashLong(10));
        int group = KeyGroups.of(hash);
        WindowJoinOperator part = new WindowJoinOperator(windowJoin(JoinKind.LEFT));
        part.restore(snapshot, new KeyGroupRange(group, group));
        part.finish();
        assertThat(drain(part)).contains("[1, 0, 10, 3, 1, 0, 10, 7]").doesNotContain("[2, 0, 10, 1, null, null, null, null]");

        IntervalJoinOperator interval = new IntervalJoinOperator(intervalJoin(JoinKind.LEFT));
        interval.addInput(0, batch(KV_TS, row(1L, 1L, 100L), row(2L, 2L, 100L)));
        interval.addInput(1, batch(KV_TS, row(1L, 11L, 105L)));
        drain(interval);
        IntervalJoinOperator copy = new IntervalJoinOperator(intervalJoin(JoinKind.LEFT));
        copy.restore(interval.snapshot(), KeyGroupRange.ALL);
        copy.processWatermark(0, Watermark.active(200));
        copy.processWatermark(1, Watermark.active(200));
        // the matched flag of the row at key 1 was kept: only key 2 comes padded
        assertThat(drain(copy)).containsExactly("[2, 2, 100, null, null, null]");
    }
}

package io.weir.engine.rank;

import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.Rank;
import io.weir.engine.state.KeyGroupRange;
import io.weir.engine.state.StateBytes;
import io.weir.engine.testing.MicroBatchDriver;
import io.weir.engine.testing.MicroBatchDriver.MicroBatch;
import io.weir.engine.testing.TestPlans;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Rank over (k, v, ts) rows: Top-N and deduplication per key, their TTL and their snapshots. */
class RankOperatorTest {
    private static final PlanNode INPUT = TestPlans.stream("unused", 0);

    private static Rank rank(Rank.Kind kind, Rank.SortKey order, long limit, boolean eventTime) {
        return new Rank(INPUT, kind, List.of(0), List.of(order), limit, eventTime, Rank.outputType(INPUT.outputType()));
    }

    private static Object[] row(long k, long v, long ts) {
        return new Object[] {k, v, ts};
    }

    private static MicroBatch batch(List<Object[]> rows, long watermark, long now) {
        return MicroBatch.single(rows, new Watermark(watermark, false), now);
    }

    private final MicroBatchDriver driver = new MicroBatchDriver(List.of(TestPlans.KV_TS));

    @Test
    void topNKeepsTheBestRowsPerKeyAndSendsChangedKeysWithTheirRowNumbers() {
        RankOperator operator = new RankOperator(rank(Rank.Kind.UPDATING, new Rank.SortKey(1, true, false), 2, false));
        List<List<String>> out = driver.run(operator, List.of(
                batch(List.<Object[]>of(row(1, 5, 0), row(2, 1, 0), row(1, 7, 0)), 0, 0),
                batch(List.<Object[]>of(row(1, 3, 0)), 0, 1),           // not among key 1's top 2: nothing
                batch(List.<Object[]>of(row(1, 6, 0)), 0, 2)));
        assertThat(out.get(0)).containsExactly("[1, 7, 0, 1]", "[1, 5, 0, 2]", "[2, 1, 0, 1]");
        assertThat(out.get(1)).isEmpty();
        assertThat(out.get(2)).containsExactly("[1, 7, 0, 1]", "[1, 6, 0, 2]");
    }

    @Test
    void keepFirstByEventTimeWaitsForTheWatermarkSoAnEarlierLateRowWins() {
        RankOperator operator = new RankOperator(rank(Rank.Kind.KEEP_FIRST, new Rank.SortKey(2, false, false), 1, true));
        List<List<String>> out = driver.run(operator, List.of(
                batch(List.<Object[]>of(row(1, 1, 900)), 500, 0),
                batch(List.<Object[]>of(row(1, 2, 800)), 600, 1),
                batch(List.<Object[]>of(), 900, 2),
                batch(List.<Object[]>of(row(1, 3, 100)), 900, 3)));    // the key sent its row: later rows are dropped
        assertThat(out).containsExactly(List.of(), List.of(), List.of("[1, 2, 800, 1]"), List.of());
    }

    @Test
    void keepLastLetsALaterOrEqualTimeReplaceTheRowAndIgnoresOlderOnes() {
        RankOperator operator = new RankOperator(rank(Rank.Kind.KEEP_LAST, new Rank.SortKey(2, true, true), 1, true));
        List<List<String>> out = driver.run(operator, List.of(
                batch(List.<Object[]>of(row(1, 1, 500)), 0, 0),
                batch(List.<Object[]>of(row(1, 2, 400)), 0, 1),
                batch(List.<Object[]>of(row(1, 3, 500)), 0, 2)));
        assertThat(out).containsExactly(List.of("[1, 1, 500, 1]"), List.of(), List.of("[1, 3, 500, 1]"));
    }

    @Test
    void windowTopNSendsEachPartitionOnceAndKeepsNothingAfterTheBatch() {
        Rank plan = new Rank(INPUT, Rank.Kind.WINDOW, List.of(2), List.of(new Rank.SortKey(1, true, false)), 1, false,
                Rank.outputType(INPUT.outputType()));
        RankOperator operator = new RankOperator(plan);
        List<List<String>> out = driver.run(operator, List.of(
                batch(List.<Object[]>of(row(1, 5, 1000), row(2, 8, 1000), row(3, 2, 2000)), 0, 0)));
        assertThat(out.get(0)).containsExactly("[2, 8, 1000, 1]", "[3, 2, 2000, 1]");
        assertThat(operator.stateRows()).isZero();
    }

    @Test
    void aKeyNotUpdatedForTheTtlIsForgottenAndItsNextRowIsFirstAgain() {
        RankOperator operator = new RankOperator(rank(Rank.Kind.KEEP_FIRST, new Rank.SortKey(2, false, false), 1, false));
        operator.expireAfter(Duration.ofSeconds(10));
        List<List<String>> out = driver.run(operator, List.of(
                batch(List.<Object[]>of(row(1, 1, 0), row(2, 1, 0)), 0, 0),
                batch(List.<Object[]>of(row(2, 2, 0)), 0, 8_000),
                batch(List.<Object[]>of(), 0, 12_000),
                batch(List.<Object[]>of(row(1, 3, 0), row(2, 3, 0)), 0, 13_000)));
        assertThat(out.get(0)).containsExactly("[1, 1, 0, 1]", "[2, 1, 0, 1]");
        assertThat(out.get(3)).as("key 1 expired at 12 s, key 2 (updated at 8 s) did not").containsExactly("[1, 3, 0, 1]");
    }

    @Test
    void aSnapshotRestoresSentMarksAndWaitingRowsAtAnyKeyGroupSplit() {
        Rank plan = rank(Rank.Kind.KEEP_FIRST, new Rank.SortKey(2, false, false), 1, true);
        RankOperator operator = new RankOperator(plan);
        List<Object[]> rows = new java.util.ArrayList<>();
        for (long k = 0; k < 40; k++) {
            rows.add(row(k, k, k % 2 == 0 ? 100 : 5_000)); // even keys are sent, odd ones wait for the watermark
        }
        driver.run(operator, List.of(batch(rows, 1_000, 0)));
        byte[] snapshot = operator.snapshot();

        RankOperator low = new RankOperator(plan);
        RankOperator high = new RankOperator(plan);
        low.restore(snapshot, new KeyGroupRange(0, 63));
        high.restore(snapshot, new KeyGroupRange(64, 127));
        assertThat(low.stateRows() + high.stateRows()).isEqualTo(40);
        byte[] combined = low.combine(List.of(StateBytes.of(low.snapshot()), StateBytes.of(high.snapshot()))).toByteArray();
        RankOperator restored = new RankOperator(plan);
        restored.restore(combined, KeyGroupRange.ALL);

        List<Object[]> again = new java.util.ArrayList<>();
        for (long k = 0; k < 40; k++) {
            again.add(row(k, 100 + k, 50));
        }
        List<List<String>> out = driver.run(restored, List.of(batch(again, 1_000, 1)));
        // even keys had sent theirs; odd keys' earlier rows (50 ms) replace the waiting ones and pass the watermark
        assertThat(out.get(0)).hasSize(20).allMatch(line -> line.matches("\\[\\d*[13579], 1\\d\\d, 50, 1]"));
    }
}

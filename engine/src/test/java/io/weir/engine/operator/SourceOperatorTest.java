package io.weir.engine.operator;

import io.weir.engine.expression.BatchProjection;
import io.weir.engine.expression.EvaluationContext;
import io.weir.engine.plan.ComputedEventTime;
import io.weir.engine.plan.SourceSpec;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.type.DataType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.weir.engine.testing.TestPlans.KV_TS;
import static org.assertj.core.api.Assertions.assertThat;

/** Per-split watermarks: minimum over active splits, idle and finished splits released, bounded end. */
class SourceOperatorTest {
    /** A reader over rows queued per split; rows are {split, ts}. */
    private static final class FakeReader implements SourceReader {
        final Deque<long[]> rows = new ArrayDeque<>();
        final List<Split> splits = new ArrayList<>();
        boolean finished;
        boolean closed;
        boolean splitsKnown = true;

        void add(int split, long ts) {
            rows.add(new long[] {split, ts});
        }

        @Override
        public int poll(BatchBuilder out, int maxRows) {
            int added = 0;
            while (added < maxRows && !rows.isEmpty()) {
                long[] row = rows.poll();
                out.setSplit((int) row[0]);
                out.setLong(0, row[0]);
                out.setLong(1, 1);
                out.setLong(2, row[1]);
                out.commitRow();
                added++;
            }
            return added;
        }

        @Override
        public List<Split> splits() {
            return List.copyOf(splits);
        }

        @Override
        public boolean splitsKnown() {
            return splitsKnown;
        }

        @Override
        public boolean isFinished() {
            return finished && rows.isEmpty();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final FakeReader reader = new FakeReader();
    private final SourceOperator source = new SourceOperator(new SourceSpec("s", ObjectKind.STREAM, Map.of(), KV_TS, 2,
            Duration.ofMillis(10), Optional.of(Duration.ofSeconds(1))), reader, 3);

    private Watermark batch(long now) {
        source.startBatch(new EvaluationContext(now, Long.MIN_VALUE));
        int rows = 0;
        Batch batch;
        while ((batch = source.getOutput()) != null) {
            rows += batch.rowCount();
        }
        assertThat(rows).isLessThanOrEqualTo(3);
        return source.endBatch();
    }

    @Test
    void slowestActiveSplitHoldsTheWatermarkUntilItIsIdle() {
        reader.splits.add(new Split(0, "a", false));
        reader.splits.add(new Split(1, "b", false));
        reader.add(0, 100);
        reader.add(1, 50);
        assertThat(batch(0)).isEqualTo(Watermark.active(40)); // min(100, 50) - 10
        reader.add(0, 200);
        assertThat(batch(600)).isEqualTo(Watermark.active(40));
        reader.add(0, 300);
        assertThat(batch(1000)).isEqualTo(Watermark.active(290)); // split b idle since 0
        reader.add(1, 60);
        assertThat(batch(1100)).isEqualTo(Watermark.active(290)); // b is back but the watermark never goes back
    }

    @Test
    void aReaderWithoutSplitsIsIdleOnlyWhenItKnowsItHasNone() {
        reader.splitsKnown = false; // a Kafka reader before its partitions are assigned
        Watermark waiting = batch(0);
        assertThat(waiting.idle()).isFalse();
        // combined with another input that moved on, it still holds the query back
        assertThat(Watermark.combine(waiting, Watermark.active(5_000))).isEqualTo(waiting);
        reader.splitsKnown = true; // it has none: nothing to wait for
        assertThat(batch(10).idle()).isTrue();
        reader.splits.add(new Split(0, "a", false));
        reader.add(0, 100);
        assertThat(batch(20)).isEqualTo(Watermark.active(90));
    }

    @Test
    void finishedSplitsDoNotHoldBackAndAFinishedReaderEndsWithInfinity() {
        reader.splits.add(new Split(0, "a", false));
        reader.splits.add(new Split(1, "b", true));
        reader.add(1, 10);
        reader.add(0, 100);
        assertThat(batch(0)).isEqualTo(Watermark.active(90));
        reader.splits.set(0, new Split(0, "a", true));
        assertThat(batch(10)).isEqualTo(new Watermark(90, true)); // nothing active: what was seen counts
        reader.finished = true;
        assertThat(batch(20)).isEqualTo(Watermark.FINISHED);
        assertThat(source.isFinished()).isTrue();
        source.close();
        assertThat(reader.closed).isTrue();
    }

    @Test
    void perBatchCapLeavesTheRestForTheNextBatch() {
        reader.splits.add(new Split(0, "a", false));
        for (int i = 0; i < 5; i++) {
            reader.add(0, i);
        }
        batch(0);
        assertThat(source.backlogged()).isTrue();
        assertThat(source.rowsRead()).isEqualTo(3);
        batch(0);
        assertThat(source.backlogged()).isFalse();
        assertThat(source.rowsRead()).isEqualTo(5);
    }

    @Test
    void aComputedEventTimeIsAppendedToEachRowAndDrivesTheWatermark() {
        // event time = ts + 1000 ms, computed after the columns the reader fills
        DataType.Field eventTime = new DataType.Field("et", DataType.timestamp(3));
        BatchProjection plusOneSecond = (batch, selection, count, context, out) -> {
            for (int i = 0; i < count; i++) {
                out.setLong(0, ((io.weir.spi.batch.LongVector) batch.column(2)).values()[selection[i]] + 1_000);
                out.commitRow();
            }
        };
        SourceOperator computed = new SourceOperator(new SourceSpec("s", ObjectKind.STREAM, Map.of(), KV_TS, 3,
                Duration.ofMillis(10), Optional.empty(), List.of(),
                Optional.of(new ComputedEventTime(eventTime, plusOneSecond, "ts + INTERVAL '1' SECOND"))), reader, 10);
        reader.splits.add(new Split(0, "a", false));
        reader.add(0, 100);
        reader.add(0, 50);
        computed.startBatch(new EvaluationContext(0, Long.MIN_VALUE));
        Batch batch = computed.getOutput();
        assertThat(batch.rowType()).extracting(DataType.Field::name).containsExactly("k", "v", "ts", "et");
        assertThat(batch.rows()).containsExactly(new Object[] {0L, 1L, 100L, 1_100L}, new Object[] {0L, 1L, 50L, 1_050L});
        assertThat(computed.getOutput()).isNull();
        assertThat(computed.endBatch()).isEqualTo(Watermark.active(1_090)); // 1100 - 10
    }
}

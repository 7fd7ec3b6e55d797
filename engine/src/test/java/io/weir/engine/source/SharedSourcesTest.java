package io.weir.engine.source;

import io.weir.engine.plan.SourceSpec;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SharedSourcesTest {
    private static final List<DataType.Field> ROW = List.of(new DataType.Field("v", DataType.of(TypeKind.BIGINT)));
    private static final SourceSpec SPEC = new SourceSpec("s", ObjectKind.STREAM, Map.of("connector", "test"), ROW, -1,
            Duration.ZERO, Optional.empty());

    /** A live source: rows offered to it reach its readers' next polls. */
    private static final class LiveSource implements Source {
        final AtomicInteger readers = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final ConcurrentLinkedQueue<Long> rows = new ConcurrentLinkedQueue<>();
        final boolean live;
        volatile RuntimeException failure;
        /** Whether its readers can widen their projection, and the projections they were widened to. */
        volatile boolean widens;
        final List<Projection> widened = new java.util.concurrent.CopyOnWriteArrayList<>();

        LiveSource(boolean live) {
            this.live = live;
        }

        @Override
        public boolean isBounded() {
            return false;
        }

        @Override
        public boolean startsAtLiveEnd() {
            return live;
        }

        @Override
        public SourceReader createReader() {
            readers.incrementAndGet();
            return new SourceReader() {
                @Override
                public int poll(BatchBuilder out, int maxRows) {
                    if (failure != null) {
                        throw failure;
                    }
                    int added = 0;
                    Long value;
                    while (added < maxRows && (value = rows.poll()) != null) {
                        out.setSplit(0);
                        out.set(0, value);
                        out.commitRow();
                        added++;
                    }
                    return added;
                }

                @Override
                public List<Split> splits() {
                    return List.of(new Split(0, "test", false));
                }

                @Override
                public boolean isFinished() {
                    return false;
                }

                @Override
                public boolean widenProjection(Projection projection) {
                    if (widens) {
                        widened.add(projection);
                    }
                    return widens;
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }
    }

    private static List<Long> drain(SourceInput input) {
        List<Long> values = new ArrayList<>();
        Batch batch;
        while ((batch = input.next(1000)) != null) {
            for (int row = 0; row < batch.rowCount(); row++) {
                values.add((Long) batch.value(0, row));
            }
        }
        return values;
    }

    /** Split 1 holds one row and split 0 two; split 1 is read first and finishes with its row. */
    private static final class TwoSplitSource implements Source {
        @Override
        public boolean isBounded() {
            return true;
        }

        @Override
        public SourceReader createReader() {
            return new SourceReader() {
                private final List<long[]> rows = new ArrayList<>(List.of(new long[] {1, 10}, new long[] {0, 1}, new long[] {0, 2}));
                private boolean split1Finished;

                @Override
                public int poll(BatchBuilder out, int maxRows) {
                    int added = 0;
                    while (added < maxRows && !rows.isEmpty()) {
                        long[] row = rows.remove(0);
                        out.setSplit((int) row[0]);
                        out.set(0, row[1]);
                        out.commitRow();
                        split1Finished |= row[0] == 1;
                        added++;
                    }
                    return added;
                }

                @Override
                public List<Split> splits() {
                    return List.of(new Split(0, "s0", rows.isEmpty()), new Split(1, "s1", split1Finished));
                }

                @Override
                public boolean isFinished() {
                    return rows.isEmpty();
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @Test
    void aSplitTheReaderFinishedIsNotFinishedForAQueryThatStillHasRowsOfItToTake() {
        SharedSources shared = new SharedSources();
        TwoSplitSource source = new TwoSplitSource();
        SourceInput fast = shared.open(SPEC, source, 16);
        SourceInput slow = shared.open(SPEC, source, 16);
        assertThat(fast.next(1).value(0, 0)).isEqualTo(10L);
        assertThat(fast.splits()).extracting(Split::finished).containsExactly(false, true);
        // the slow query has not taken split 1's row: its watermark must still wait for that split
        assertThat(slow.splits()).noneMatch(Split::finished);
        assertThat(slow.next(1).value(0, 0)).isEqualTo(10L);
        assertThat(slow.splits()).extracting(Split::finished).containsExactly(false, true);
        assertThat(drain(fast)).containsExactly(1L, 2L);
        assertThat(slow.splits()).extracting(Split::finished).containsExactly(false, true);
        assertThat(slow.isFinished()).isFalse();
        assertThat(drain(slow)).containsExactly(1L, 2L);
        assertThat(slow.splits()).extracting(Split::finished).containsExactly(true, true);
        assertThat(slow.isFinished()).isTrue();
        fast.close();
        slow.close();
    }

    @Test
    void queriesStartedTogetherShareOneReaderAndEachGetsEveryRow() {
        SharedSources shared = new SharedSources();
        LiveSource source = new LiveSource(false);
        SourceInput first = shared.open(SPEC, source, 16);
        SourceInput second = shared.open(SPEC, source, 16);
        source.rows.addAll(List.of(1L, 2L, 3L));
        assertThat(drain(first)).containsExactly(1L, 2L, 3L);
        source.rows.add(4L);
        assertThat(drain(second)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(drain(first)).containsExactly(4L);
        assertThat(source.readers).hasValue(1);
        first.close();
        assertThat(source.closed).hasValue(0);
        second.close();
        assertThat(source.closed).hasValue(1);
        assertThat(shared.openReaders()).isZero();
    }

    @Test
    void aQueryStartedSoonAfterReadsFromTheStartAndALaterOneReadsOnItsOwn() throws InterruptedException {
        SharedSources shared = new SharedSources();
        LiveSource source = new LiveSource(false);
        SourceInput first = shared.open(SPEC, source, 16);
        source.rows.addAll(List.of(1L, 2L));
        assertThat(drain(first)).containsExactly(1L, 2L);
        // within the join grace the reader keeps its batches: a query started now still reads them all
        SourceInput soon = shared.open(SPEC, source, 16);
        assertThat(drain(soon)).containsExactly(1L, 2L);
        assertThat(source.readers).hasValue(1);
        Thread.sleep(SharedSources.JOIN_GRACE.toMillis() + 100);
        source.rows.add(3L);
        assertThat(drain(first)).containsExactly(3L);
        assertThat(drain(soon)).containsExactly(3L);
        SourceInput later = shared.open(SPEC, source, 16);
        assertThat(source.readers).hasValue(2);
        assertThat(shared.openReaders()).isEqualTo(2);
        first.close();
        soon.close();
        later.close();
    }

    @Test
    void aLaterQueryJoinsALiveSourceFromWhereItIsNow() {
        SharedSources shared = new SharedSources();
        LiveSource source = new LiveSource(true);
        SourceInput first = shared.open(SPEC, source, 16);
        source.rows.add(1L);
        assertThat(drain(first)).containsExactly(1L);
        SourceInput later = shared.open(SPEC, source, 16);
        source.rows.add(2L);
        assertThat(drain(later)).containsExactly(2L);
        assertThat(drain(first)).containsExactly(2L);
        assertThat(source.readers).hasValue(1);
        first.close();
        later.close();
    }

    @Test
    void theSlowestQueryBoundsHowFarTheOthersReadAhead() {
        SharedSources shared = new SharedSources();
        LiveSource source = new LiveSource(true);
        SourceInput fast = shared.open(SPEC, source, 1);
        SourceInput slow = shared.open(SPEC, source, 1);
        for (long i = 0; i < SharedSources.MAX_PENDING_BATCHES + 10; i++) {
            source.rows.add(i);
        }
        assertThat(drain(fast)).hasSize(SharedSources.MAX_PENDING_BATCHES);
        assertThat(drain(slow)).hasSize(SharedSources.MAX_PENDING_BATCHES + 10);
        assertThat(drain(fast)).hasSize(10);
        fast.close();
        slow.close();
    }

    @Test
    void aLoneQueryReadsOnAfterTheJoinGraceEnds() throws InterruptedException {
        SharedSources shared = new SharedSources();
        LiveSource source = new LiveSource(false);
        SourceInput only = shared.open(SPEC, source, 1);
        int kept = SharedSources.MAX_PENDING_BATCHES + 10;
        for (long i = 0; i < kept; i++) {
            source.rows.add(i);
        }
        // more batches than a reader normally holds, all kept during the join grace
        assertThat(drain(only)).hasSize(kept);
        Thread.sleep(SharedSources.JOIN_GRACE.toMillis() + 100);
        source.rows.add(-1L);
        // the grace is over: the kept batches go, and the reader moves on for its only query
        assertThat(drain(only)).containsExactly(-1L);
        only.close();
    }

    @Test
    void aReaderFailureFailsEveryQuerySharingIt() {
        SharedSources shared = new SharedSources();
        LiveSource source = new LiveSource(true);
        SourceInput first = shared.open(SPEC, source, 16);
        SourceInput second = shared.open(SPEC, source, 16);
        source.failure = new IllegalStateException("broker gone");
        assertThatThrownBy(() -> first.next(10)).hasMessage("broker gone");
        assertThatThrownBy(() -> second.next(10)).hasMessage("broker gone");
        // a new query does not join the failed reader
        source.failure = null;
        SourceInput third = shared.open(SPEC, source, 16);
        assertThat(source.readers).hasValue(2);
        first.close();
        second.close();
        third.close();
        assertThat(source.closed).hasValue(2);
    }

    @Test
    void aQuerySharesAReaderOnlyIfItDecodesEveryColumnTheQueryReads() {
        List<DataType.Field> row = List.of(new DataType.Field("a", DataType.of(TypeKind.BIGINT)),
                new DataType.Field("b", DataType.of(TypeKind.BIGINT)), new DataType.Field("c", DataType.of(TypeKind.BIGINT)));
        SourceSpec whole = new SourceSpec("s", ObjectKind.STREAM, Map.of("connector", "test"), row, -1, Duration.ZERO,
                Optional.empty());
        SourceSpec ab = whole.withProjection(Projection.of(0, 1));
        SharedSources shared = new SharedSources();
        LiveSource source = new LiveSource(true);
        SourceInput first = shared.open(ab, source, 16);
        // reads a and b: a query reading only b joins, one reading c (or all) cannot
        SourceInput bOnly = shared.open(whole.withProjection(Projection.of(1)), source, 16);
        assertThat(source.readers.get()).isEqualTo(1);
        SourceInput withC = shared.open(whole.withProjection(Projection.of(0, 2)), source, 16);
        SourceInput all = shared.open(whole, source, 16);
        assertThat(source.readers.get()).isEqualTo(3);
        assertThat(shared.openReaders()).isEqualTo(3);
        // a query reading a and b joins the first reader again; one reading a joins the first that serves it
        SourceInput abAgain = shared.open(ab, source, 16);
        assertThat(source.readers.get()).isEqualTo(3);
        for (SourceInput input : List.of(first, bOnly, withC, all, abAgain)) {
            input.close();
        }
        assertThat(shared.openReaders()).isZero();
    }

    @Test
    void aReaderThatCanWidenServesQueriesReadingMoreColumns() {
        List<DataType.Field> row = List.of(new DataType.Field("a", DataType.of(TypeKind.BIGINT)),
                new DataType.Field("b", DataType.of(TypeKind.BIGINT)));
        SourceSpec whole = new SourceSpec("s", ObjectKind.STREAM, Map.of("connector", "test"), row, -1, Duration.ZERO,
                Optional.empty());
        SharedSources shared = new SharedSources();
        LiveSource live = new LiveSource(true);
        live.widens = true;
        SourceInput first = shared.open(whole.withProjection(Projection.of(1)), live, 16);
        live.rows.add(5L);
        assertThat(first.next(16).isNull(0, 0)).isTrue(); // column a is not read yet
        SourceInput both = shared.open(whole, live, 16);
        assertThat(live.readers).hasValue(1);
        assertThat(live.widened).containsExactly(Projection.all());
        live.rows.add(6L);
        assertThat(both.next(16).value(0, 0)).isEqualTo(6L);
        assertThat(first.next(16).value(0, 0)).isEqualTo(6L);
        first.close();
        both.close();

        // not at the live end: a query reads from the first batch, so the reader widens only before it has one
        LiveSource fromStart = new LiveSource(false);
        fromStart.widens = true;
        fromStart.rows.add(1L);
        SourceInput early = shared.open(whole.withProjection(Projection.of(1)), fromStart, 16);
        SourceInput widened = shared.open(whole, fromStart, 16);
        assertThat(fromStart.readers).hasValue(1);
        assertThat(widened.next(16).value(0, 0)).isEqualTo(1L);
        SourceInput late = shared.open(whole.withProjection(Projection.of(0)), fromStart, 16);
        assertThat(fromStart.readers).hasValue(1); // covered: it joins
        assertThat(drain(late)).containsExactly(1L);
        for (SourceInput input : List.of(early, widened, late)) {
            input.close();
        }
        assertThat(shared.openReaders()).isZero();
    }
}

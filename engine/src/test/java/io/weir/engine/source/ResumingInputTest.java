package io.weir.engine.source;

import io.weir.engine.plan.SourceSpec;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.Split;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Persistent queries sharing a reader by offsets, each resuming from its own offsets. */
class ResumingInputTest {
    private static final List<DataType.Field> ROW = List.of(new DataType.Field("v", DataType.of(TypeKind.BIGINT)));
    private static final SourceSpec SPEC = new SourceSpec("s", ObjectKind.STREAM, Map.of("connector", "test"), ROW, -1,
            Duration.ZERO, Optional.empty());
    private static final List<String> SPLITS = List.of("t-0", "t-1");

    /** Two growing logs; a row's value is split * 1000 + offset. Consumers without commits start at the beginning. */
    private static final class Log implements OffsetReading {
        final List<List<Long>> records = List.of(new ArrayList<>(), new ArrayList<>());
        final Map<String, SplitOffsets> committed = new HashMap<>();
        final AtomicInteger readersCreated = new AtomicInteger();
        final AtomicInteger readersClosed = new AtomicInteger();
        final AtomicInteger rowsRead = new AtomicInteger();
        /** Whether its readers can widen their projection, and the projections they were widened to. */
        volatile boolean widens;
        final List<Projection> widened = new java.util.concurrent.CopyOnWriteArrayList<>();

        synchronized void append(int perSplit) {
            for (int split = 0; split < records.size(); split++) {
                List<Long> log = records.get(split);
                for (int i = 0; i < perSplit; i++) {
                    log.add(split * 1000L + log.size());
                }
            }
        }

        @Override
        public synchronized SplitOffsets startOffsets(String consumerId) {
            Map<String, Long> beginning = new LinkedHashMap<>();
            SPLITS.forEach(split -> beginning.put(split, 0L));
            return committed.getOrDefault(consumerId, SplitOffsets.of(beginning));
        }

        @Override
        public OffsetReader createReader(SplitOffsets start) {
            readersCreated.incrementAndGet();
            Map<String, Long> position = new LinkedHashMap<>(start.offsets());
            List<Split> splits = new ArrayList<>();
            position.keySet().forEach(name -> splits.add(new Split(splits.size(), name, false)));
            return new OffsetReader() {
                @Override
                public int poll(BatchBuilder out, int maxRows) {
                    int added = 0;
                    for (Split split : splits) {
                        List<Long> log = records.get(SPLITS.indexOf(split.name()));
                        synchronized (Log.this) {
                            long at = position.get(split.name());
                            while (added < maxRows && at < log.size()) {
                                out.setSplit(split.id());
                                out.setOffset(at);
                                out.set(0, log.get((int) at));
                                out.commitRow();
                                at++;
                                added++;
                            }
                            position.put(split.name(), at);
                        }
                    }
                    rowsRead.addAndGet(added);
                    return added;
                }

                @Override
                public SplitOffsets offsets() {
                    return SplitOffsets.of(position);
                }

                @Override
                public void commit(String consumerId, SplitOffsets offsets) {
                    synchronized (Log.this) {
                        Map<String, Long> merged = new LinkedHashMap<>(committed.getOrDefault(consumerId, SplitOffsets.of(Map.of())).offsets());
                        merged.putAll(offsets.offsets());
                        committed.put(consumerId, SplitOffsets.of(merged));
                    }
                }

                @Override
                public List<Split> splits() {
                    return List.copyOf(splits);
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
                    readersClosed.incrementAndGet();
                }
            };
        }
    }

    /** Per split, the offsets of the rows a query received, in order. */
    private static final class Received {
        final List<List<Long>> offsets = List.of(new ArrayList<>(), new ArrayList<>());

        void add(Batch batch, SourceInput input) {
            List<Split> splits = input.splits();
            for (int row = 0; row < batch.rowCount(); row++) {
                long value = (Long) batch.value(0, row);
                int split = (int) (value / 1000);
                // the row's split id is the shared reader's id of its split, also for rows read while catching up
                assertThat(splits.get(batch.splitId(row)).name()).isEqualTo(SPLITS.get(split));
                assertThat(batch.offset(row)).isEqualTo(value % 1000);
                offsets.get(split).add(value % 1000);
            }
        }

        List<Long> of(int split) {
            return offsets.get(split);
        }
    }

    private static void drain(SourceInput input, Received received, int maxRows) {
        Batch batch;
        while ((batch = input.next(maxRows)) != null) {
            received.add(batch, input);
        }
    }

    /** Shared readers that start reading at their first poll (no waiting for more queries). */
    private static SharedSources startingAtOnce() {
        return new SharedSources(Duration.ZERO, System::nanoTime);
    }

    /** One call of the query's poll, as one step of its micro-batch. */
    private static void takeOnce(SourceInput input, Received received, int maxRows) {
        Batch batch = input.next(maxRows);
        if (batch != null) {
            received.add(batch, input);
        }
    }

    private static List<Long> range(long from, long to) {
        List<Long> offsets = new ArrayList<>();
        for (long offset = from; offset < to; offset++) {
            offsets.add(offset);
        }
        return offsets;
    }

    @Test
    void aQueryResumingAheadOfTheSharedReaderSkipsTheRowsBeforeItsOffsets() {
        Log log = new Log();
        log.append(10);
        log.committed.put("b", SplitOffsets.of(Map.of("t-0", 4L, "t-1", 7L)));
        SharedSources sources = startingAtOnce();
        SourceInput a = sources.openResuming(SPEC, log, "a", 1024);
        SourceInput b = sources.openResuming(SPEC, log, "b", 1024);
        Received fromA = new Received();
        Received fromB = new Received();
        fromA.add(a.next(3), a); // a starts the reader at the beginning and reads 3 rows
        drain(b, fromB, 3);
        drain(a, fromA, 3);
        assertThat(log.readersCreated).hasValue(1);
        assertThat(fromA.of(0)).isEqualTo(range(0, 10));
        assertThat(fromA.of(1)).isEqualTo(range(0, 10));
        assertThat(fromB.of(0)).isEqualTo(range(4, 10));
        assertThat(fromB.of(1)).isEqualTo(range(7, 10));
        assertThat(log.rowsRead).hasValue(20);

        a.commit();
        b.commit();
        assertThat(log.committed.get("a").offsets()).isEqualTo(Map.of("t-0", 10L, "t-1", 10L));
        assertThat(log.committed.get("b").offsets()).isEqualTo(Map.of("t-0", 10L, "t-1", 10L));
        a.close();
        b.close();
        assertThat(sources.openReaders()).isZero();
        assertThat(log.readersClosed).hasValue(1);
    }

    @Test
    void aQueryBehindCatchesUpOnAReaderOfItsOwnThenTakesTheSharedRows() {
        Log log = new Log();
        log.append(10);
        SharedSources sources = startingAtOnce();
        SourceInput a = sources.openResuming(SPEC, log, "a", 1024);
        Received fromA = new Received();
        drain(a, fromA, 1024);
        SourceInput b = sources.openResuming(SPEC, log, "b", 1024);
        Received fromB = new Received();
        // b starts at the beginning while the shared reader is at 10: it catches up while a keeps reading new rows
        for (int round = 0; round < 30; round++) {
            log.append(1);
            drain(a, fromA, 4);
            takeOnce(b, fromB, 4);
            if (round == 2) {
                b.commit(); // while catching up, the offsets of its own reader count
                assertThat(log.committed.get("b").get("t-0").getAsLong()).isBetween(1L, 12L);
            }
        }
        drain(b, fromB, 4);
        assertThat(log.readersCreated).hasValue(2);
        assertThat(log.readersClosed).as("the catch-up reader is closed once b caught up").hasValue(1);
        int readBefore = log.rowsRead.get();
        log.append(5);
        drain(a, fromA, 1024);
        drain(b, fromB, 1024);
        assertThat(log.rowsRead.get() - readBefore).as("new rows are read once for both").isEqualTo(10);
        for (int split = 0; split < 2; split++) {
            assertThat(fromA.of(split)).isEqualTo(range(0, 45));
            assertThat(fromB.of(split)).isEqualTo(range(0, 45));
        }
        b.commit();
        assertThat(log.committed.get("b").offsets()).isEqualTo(Map.of("t-0", 45L, "t-1", 45L));
        a.close();
        b.close();
        assertThat(log.readersClosed).hasValue(2);
    }

    @Test
    void catchingUpProgressesWhileTheSharedReaderKeepsGivingRowsOfOtherSplits() {
        Log log = new Log();
        log.append(10);
        log.committed.put("b", SplitOffsets.of(new LinkedHashMap<>(Map.of("t-0", 0L, "t-1", 10L))));
        SharedSources sources = startingAtOnce();
        SourceInput a = sources.openResuming(SPEC, log, "a", 1024);
        Received fromA = new Received();
        drain(a, fromA, 1024);
        // b catches up on t-0 and takes t-1 from the shared reader, which has new t-1 rows at every call
        SourceInput b = sources.openResuming(SPEC, log, "b", 1024);
        Received fromB = new Received();
        for (int round = 0; round < 40; round++) {
            log.append(1);
            drain(a, fromA, 1024);
            takeOnce(b, fromB, 2);
        }
        drain(b, fromB, 1024);
        assertThat(log.readersClosed).as("b caught up").hasValue(1);
        assertThat(fromB.of(0)).isEqualTo(range(0, 50));
        assertThat(fromB.of(1)).isEqualTo(range(10, 50));
        a.close();
        b.close();
    }

    @Test
    void queriesJoiningBeforeTheReaderStartsShareItFromTheSmallestOfTheirOffsets() {
        Log log = new Log();
        log.append(10);
        log.committed.put("a", SplitOffsets.of(Map.of("t-0", 5L, "t-1", 5L)));
        log.committed.put("b", SplitOffsets.of(Map.of("t-0", 2L, "t-1", 8L)));
        AtomicLong clock = new AtomicLong();
        SharedSources sources = new SharedSources(Duration.ofSeconds(1), clock::get);
        SourceInput a = sources.openResuming(SPEC, log, "a", 1024);
        SourceInput b = sources.openResuming(SPEC, log, "b", 1024);
        SourceInput c = sources.openResuming(SPEC, log, "c", 1024);
        // as after a restart: the queries join one after the other, and nothing is read while they may
        assertThat(a.next(1024)).isNull();
        assertThat(b.next(1024)).isNull();
        clock.addAndGet(Duration.ofMillis(999).toNanos());
        assertThat(c.next(1024)).isNull();
        clock.addAndGet(Duration.ofMillis(1).toNanos());
        Received fromA = new Received();
        Received fromB = new Received();
        Received fromC = new Received();
        drain(a, fromA, 4);
        drain(b, fromB, 4);
        drain(c, fromC, 4);
        assertThat(log.readersCreated).as("one reader, and no query catches up on its own").hasValue(1);
        assertThat(log.rowsRead).hasValue(20);
        assertThat(fromA.of(0)).isEqualTo(range(5, 10));
        assertThat(fromA.of(1)).isEqualTo(range(5, 10));
        assertThat(fromB.of(0)).isEqualTo(range(2, 10));
        assertThat(fromB.of(1)).isEqualTo(range(8, 10));
        assertThat(fromC.of(0)).isEqualTo(range(0, 10));
        assertThat(fromC.of(1)).isEqualTo(range(0, 10));
        for (SourceInput input : List.of(a, b, c)) {
            input.commit();
            input.close();
        }
        assertThat(log.committed.get("b").offsets()).isEqualTo(Map.of("t-0", 10L, "t-1", 10L));
        assertThat(sources.openReaders()).isZero();
    }

    @Test
    void aQueryThatRestartsResumesFromWhatItCommitted() {
        Log log = new Log();
        log.append(10);
        SharedSources sources = startingAtOnce();
        SourceInput a = sources.openResuming(SPEC, log, "a", 1024);
        Received first = new Received();
        first.add(a.next(6), a);
        a.commit();
        a.close();
        assertThat(log.committed.get("a").offsets()).isEqualTo(Map.of("t-0", 6L, "t-1", 0L));

        SourceInput again = sources.openResuming(SPEC, log, "a", 1024);
        Received second = new Received();
        drain(again, second, 1024);
        assertThat(second.of(0)).isEqualTo(range(6, 10));
        assertThat(second.of(1)).isEqualTo(range(0, 10));
        again.close();
    }

    @Test
    void aSharedReaderWidensToTheColumnsOfAQueryThatReadsMore() {
        Log log = new Log();
        log.widens = true;
        log.append(10);
        List<Projection> requested = new ArrayList<>();
        java.util.function.Function<Projection, OffsetReading> readings = projection -> {
            requested.add(projection);
            return log;
        };
        SharedSources sources = startingAtOnce();
        // a reads no column (say COUNT(*) per processing-time window): its shared reader decodes none
        SourceInput a = sources.openResuming(SPEC.withProjection(Projection.of()), readings, "a", 1024);
        Batch first = a.next(1024);
        assertThat(first.rowCount()).isEqualTo(20);
        assertThat(first.column(0).isNull(0)).isTrue();
        log.append(5);
        // b reads v: it catches up on its own reader, and the shared reader decodes v from now on
        SourceInput b = sources.openResuming(SPEC, readings, "b", 1024);
        Received fromB = new Received();
        drain(b, fromB, 1024);
        assertThat(fromB.of(0)).isEqualTo(range(0, 15));
        assertThat(fromB.of(1)).isEqualTo(range(0, 15));
        assertThat(sources.openReaders()).isEqualTo(1);
        // a's own reading and its shared reader's, then b's own reading (to catch up); the shared reader widened
        assertThat(requested).containsExactly(Projection.of(), Projection.of(), Projection.all());
        assertThat(log.widened).containsExactly(Projection.all());
        // a takes the rows read since, which now have v as well
        Received fromA = new Received();
        log.append(2);
        drain(a, fromA, 1024);
        drain(b, fromB, 1024);
        assertThat(fromA.of(0)).isEqualTo(range(10, 17));
        assertThat(fromB.of(0)).isEqualTo(range(0, 17));
        a.close();
        b.close();
        assertThat(sources.openReaders()).isZero();
    }
}

package io.weir.benchmarks;

import io.weir.engine.expression.BatchProjection;
import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.AggregateKind;
import io.weir.engine.plan.Calc;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SourceScan;
import io.weir.engine.plan.SourceSpec;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowSpec;
import io.weir.spi.batch.LongVector;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.memory.MemoryConnectorFactory;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The measured queries, as the physical plans the planner makes for them (built by hand so that
 * the engine is measured alone). Each also knows how many (window, key) states are open once all
 * its input has been read, for the state-size estimate.
 */
enum WindowQuery {
    TUMBLE_PER_AUCTION("SELECT STREAM auction, window_start, window_end, COUNT(*) FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime),"
            + " INTERVAL '10' SECOND)) GROUP BY auction, window_start, window_end") {
        @Override
        PlanNode plan(String dataSet) {
            return countPer(scan(dataSet), BidData.AUCTION, WindowSpec.tumble(BidData.DATE_TIME, true, 10_000));
        }

        @Override
        long openStates(BidData data) {
            long watermark = data.maxTime();
            return distinctInWindows(data, BidData.AUCTION, watermark, 10_000, 10_000);
        }
    },
    HOP_PER_AUCTION("SELECT STREAM auction, window_start, window_end, COUNT(*) FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime),"
            + " INTERVAL '2' SECOND, INTERVAL '10' SECOND)) GROUP BY auction, window_start, window_end") {
        @Override
        PlanNode plan(String dataSet) {
            return countPer(scan(dataSet), BidData.AUCTION, WindowSpec.hop(BidData.DATE_TIME, true, 2_000, 10_000));
        }

        @Override
        long openStates(BidData data) {
            return distinctInWindows(data, BidData.AUCTION, data.maxTime(), 2_000, 10_000);
        }
    },
    SESSION_PER_BIDDER("SELECT STREAM bidder, window_start, window_end, COUNT(*) FROM TABLE(SESSION(TABLE bid PARTITION BY bidder,"
            + " DESCRIPTOR(dateTime), INTERVAL '10' SECOND)) GROUP BY bidder, window_start, window_end") {
        @Override
        PlanNode plan(String dataSet) {
            return countPer(scan(dataSet), BidData.BIDDER, WindowSpec.session(BidData.DATE_TIME, true, 10_000));
        }

        @Override
        long openStates(BidData data) {
            // A bidder's last session is open while its last bid + gap is beyond the watermark.
            Set<Long> open = new HashSet<>();
            for (int i = 0; i < data.size(); i++) {
                if (data.time(i) + 10_000 > data.maxTime()) {
                    open.add(data.bidder(i));
                }
            }
            return open.size();
        }
    },
    PROCTIME_TUMBLE_PER_BIDDER("SELECT STREAM bidder, window_start, window_end, COUNT(*) FROM TABLE(TUMBLE(TABLE bid,"
            + " DESCRIPTOR(pt), INTERVAL '10' SECOND)) GROUP BY bidder, window_start, window_end  -- pt AS PROCTIME()") {
        @Override
        PlanNode plan(String dataSet) {
            SourceScan scan = scan(dataSet);
            List<DataType.Field> projected = List.of(BidData.SCHEMA.get(BidData.BIDDER),
                    new DataType.Field("pt", DataType.timestamp(3).withNullable(false)));
            // What the planner compiles for "SELECT bidder, PROCTIME() AS pt FROM bid".
            BatchProjection bidderAndProcessingTime = (batch, selection, count, context, out) -> {
                LongVector bidders = (LongVector) batch.column(BidData.BIDDER);
                for (int i = 0; i < count; i++) {
                    out.setLong(0, bidders.get(selection[i]));
                    out.setLong(1, context.processingTimeMillis());
                    out.commitRow();
                }
            };
            Calc calc = new Calc(scan, Optional.empty(), bidderAndProcessingTime, projected, -1, "bidder, PROCTIME() AS pt");
            return countPer(calc, 0, WindowSpec.tumble(1, false, 10_000));
        }

        @Override
        long openStates(BidData data) {
            // The whole input is read within one or two processing-time windows: about every bidder is open.
            Set<Long> bidders = new HashSet<>();
            for (int i = 0; i < data.size(); i++) {
                bidders.add(data.bidder(i));
            }
            return bidders.size();
        }
    };

    private final String sql;

    WindowQuery(String sql) {
        this.sql = sql;
    }

    String sql() {
        return sql;
    }

    abstract PlanNode plan(String dataSet);

    /** (window, key) states open after all input was read with the watermark at the largest event time. */
    abstract long openStates(BidData data);

    static SourceScan scan(String dataSet) {
        return new SourceScan(new SourceSpec("bid", ObjectKind.STREAM,
                Map.of("connector", MemoryConnectorFactory.NAME, MemoryConnectorFactory.DATA.key(), dataSet),
                BidData.SCHEMA, BidData.DATE_TIME, Duration.ZERO, Optional.empty()));
    }

    /** COUNT(*) per key and window, as the planner plans it (also used by {@link KafkaBenchmark}). */
    static WindowAggregate countPer(PlanNode input, int key, WindowSpec window) {
        AggregateCall count = new AggregateCall(AggregateKind.COUNT, -1, false, -1,
                DataType.of(TypeKind.BIGINT).withNullable(false), "cnt");
        return new WindowAggregate(input, window, List.of(key), List.of(count),
                WindowAggregate.outputType(input.outputType(), List.of(key), List.of(count)));
    }

    /** Distinct (window, key) pairs among the windows of {@code slide}/{@code size} whose end is after {@code watermark}. */
    private static long distinctInWindows(BidData data, int keyColumn, long watermark, long slide, long size) {
        Set<String> open = new HashSet<>();
        for (int i = 0; i < data.size(); i++) {
            long time = data.time(i);
            long key = keyColumn == BidData.AUCTION ? data.auction(i) : data.bidder(i);
            for (long start = time - Math.floorMod(time, slide); start > time - size; start -= slide) {
                if (start + size > watermark) {
                    open.add(start + ":" + key);
                }
            }
        }
        return open.size();
    }
}

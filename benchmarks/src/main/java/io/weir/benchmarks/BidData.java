package io.weir.benchmarks;

import io.weir.connector.datagen.nexmark.NexmarkConfig;
import io.weir.connector.datagen.nexmark.NexmarkEvent;
import io.weir.connector.datagen.nexmark.NexmarkGenerator;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;

import java.util.ArrayList;
import java.util.List;

/**
 * Nexmark bids generated up front, so that generation is not part of what is measured: as rows for
 * the in-memory source, and as columns for computing the expected state of each query.
 */
final class BidData {
    static final int AUCTION = 0;
    static final int BIDDER = 1;
    static final int PRICE = 2;
    static final int DATE_TIME = 3;
    static final List<DataType.Field> SCHEMA = List.of(
            new DataType.Field("auction", DataType.of(TypeKind.BIGINT).withNullable(false)),
            new DataType.Field("bidder", DataType.of(TypeKind.BIGINT).withNullable(false)),
            new DataType.Field("price", DataType.of(TypeKind.BIGINT).withNullable(false)),
            new DataType.Field("dateTime", DataType.timestamp(3).withNullable(false)));

    private final List<Object[]> rows;
    private final long[] auctions;
    private final long[] bidders;
    private final long[] times;

    private BidData(List<Object[]> rows, long[] auctions, long[] bidders, long[] times) {
        this.rows = rows;
        this.auctions = auctions;
        this.bidders = bidders;
        this.times = times;
    }

    /**
     * The first {@code count} bids of the Nexmark stream at {@code eventsPerSecond} (all event
     * types; bids are 46 of every 50).
     */
    static BidData generate(int count, long eventsPerSecond, long seed) {
        NexmarkGenerator generator = new NexmarkGenerator(NexmarkConfig.defaults(eventsPerSecond, 1_700_000_000_000L), seed);
        List<Object[]> rows = new ArrayList<>(count);
        long[] auctions = new long[count];
        long[] bidders = new long[count];
        long[] times = new long[count];
        while (rows.size() < count) {
            if (generator.next() instanceof NexmarkEvent.Bid bid) {
                int i = rows.size();
                auctions[i] = bid.auction();
                bidders[i] = bid.bidder();
                times[i] = bid.dateTime();
                rows.add(new Object[] {bid.auction(), bid.bidder(), bid.price(), bid.dateTime()});
            }
        }
        return new BidData(List.copyOf(rows), auctions, bidders, times);
    }

    List<Object[]> rows() {
        return rows;
    }

    int size() {
        return rows.size();
    }

    long auction(int i) {
        return auctions[i];
    }

    long bidder(int i) {
        return bidders[i];
    }

    long time(int i) {
        return times[i];
    }

    long maxTime() {
        return times[times.length - 1];
    }
}

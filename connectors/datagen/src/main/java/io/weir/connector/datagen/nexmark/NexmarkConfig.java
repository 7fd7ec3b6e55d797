package io.weir.connector.datagen.nexmark;

/**
 * Parameters of the Nexmark event generator, with the defaults of the published benchmark (as in
 * Apache Beam's and Flink's Nexmark): one person, three auctions and 46 bids in every 50 events,
 * average sizes of 200, 500 and 100 bytes, hot auctions/sellers/bidders.
 *
 * @param eventsPerSecond event-time rate: event i happens at {@code baseTimeMillis + i / eventsPerSecond}
 * @param hotAuctionRatio a bid is for a hot auction with probability 1 - 1/ratio
 * @param hotSellersRatio an auction is by a hot seller with probability 1 - 1/ratio
 * @param hotBiddersRatio a bid is by a hot bidder with probability 1 - 1/ratio
 * @param numActivePeople people chosen as bidders/sellers are among the last this many
 * @param numInFlightAuctions auctions bid on are among the last this many
 */
public record NexmarkConfig(long eventsPerSecond, long baseTimeMillis, int personProportion, int auctionProportion,
                            int bidProportion, int avgPersonByteSize, int avgAuctionByteSize, int avgBidByteSize,
                            int hotAuctionRatio, int hotSellersRatio, int hotBiddersRatio, int numActivePeople,
                            int numInFlightAuctions) {
    public static final long FIRST_PERSON_ID = 1000;
    public static final long FIRST_AUCTION_ID = 1000;
    public static final long FIRST_CATEGORY_ID = 10;

    public NexmarkConfig {
        if (eventsPerSecond <= 0) {
            throw new IllegalArgumentException("eventsPerSecond must be positive: " + eventsPerSecond);
        }
        if (personProportion <= 0 || auctionProportion <= 0 || bidProportion <= 0) {
            throw new IllegalArgumentException("proportions must be positive");
        }
    }

    /** The benchmark's defaults at the given event rate, starting at {@code baseTimeMillis}. */
    public static NexmarkConfig defaults(long eventsPerSecond, long baseTimeMillis) {
        return new NexmarkConfig(eventsPerSecond, baseTimeMillis, 1, 3, 46, 200, 500, 100, 2, 4, 4, 1000, 100);
    }

    public int totalProportion() {
        return personProportion + auctionProportion + bidProportion;
    }

    /** Event time of event number {@code eventNumber}. */
    public long timestampForEvent(long eventNumber) {
        return baseTimeMillis + eventNumber * 1000 / eventsPerSecond;
    }
}
